import { Tree } from "@angular-devkit/schematics";
import { readManifest } from "../../../src/rules/manifest";
import { filesOf, runner } from "../support/schematic-trees";

/** A project as `init` then each `add` leave it, at the tree's root. */
async function projectWith(modules: readonly string[]): Promise<Tree> {
  const generated = await runner.runSchematic("init", { name: "shop", skipGit: true }, Tree.empty());
  let project = Tree.empty();
  for (const path of generated.files) project.create(path.slice("/shop".length), generated.readContent(path));
  for (const module of modules) {
    project = await runner.runSchematic(module, {}, project);
  }
  return project;
}

describe("update schematic", () => {
  // Both orders of teams and billing: the second wires the team as billing's customer.
  for (const modules of [
    ["auth", "teams", "billing"],
    ["auth", "billing", "teams"],
  ]) {
    it(`knows every module collection.json declares: a current project with ${modules.join(", ")} changes nothing`, async () => {
      const project = await projectWith(modules);
      const before = filesOf(project);
      const updated = await runner.runSchematic("update", {}, project);
      const after = filesOf(updated);
      delete before["/.quickscale.json"];
      delete after["/.quickscale.json"];
      expect(after).toEqual(before);
      expect(after["/shop/billing/migrations/0002_customer_team.py"]).toBeDefined();
      expect(Object.keys(readManifest(updated).concerns)).toEqual(
        Object.keys(readManifest(project).concerns),
      );
    });
  }

  it("still refuses a concern no schematic of the collection declares", async () => {
    const project = await projectWith([]);
    const manifest = JSON.parse(project.read(".quickscale.json")?.toString("utf-8") ?? "{}") as {
      concerns: Record<string, string>;
    };
    manifest.concerns["blog"] = "0.2.0";
    project.overwrite(".quickscale.json", JSON.stringify(manifest));
    await expectAsync(runner.runSchematic("update", {}, project)).toBeRejectedWithError(
      /records "blog", which this QuickScale does not know/,
    );
  });
});
