import { Tree } from "@angular-devkit/schematics";
import { Manifest } from "../../../src/rules/manifest";
import { filesOf, runner } from "../support/schematic-trees";

/** The public concerns and one file each writes. */
const CONCERNS: [string, string][] = [
  ["quality", ".editorconfig"],
  ["docker", "Dockerfile"],
  ["ci", ".github/workflows/ci.yml"],
];

/** A generated project, rooted at the tree root as the concerns see it. */
async function generatedProject(): Promise<Tree> {
  const generated = await runner.runSchematic("init", { name: "shop", skipGit: true }, Tree.empty());
  const project = Tree.empty();
  for (const path of generated.files) {
    project.create(path.slice("/shop/".length), generated.readContent(path));
  }
  return project;
}

describe("concern schematics on an existing project", () => {
  let pristine: Record<string, string>;
  let project: Tree;
  beforeAll(async () => {
    pristine = filesOf(await generatedProject());
  });
  beforeEach(() => {
    project = Tree.empty();
    for (const [path, content] of Object.entries(pristine)) project.create(path, content);
  });

  for (const [concern, file] of CONCERNS) {
    describe(concern, () => {
      it("changes nothing on a project that has it", async () => {
        const result = await runner.runSchematic(concern, {}, project);
        expect(filesOf(result)).toEqual(pristine);
      });

      it("restores exactly what init wrote when its files were deleted", async () => {
        const manifest = JSON.parse(pristine["/.quickscale.json"] ?? "{}") as Manifest;
        const own = Object.keys(manifest.files).filter((path) => path === file.replace(/^\//, ""));
        expect(own.length).toBe(1);
        project.delete(file);
        const result = await runner.runSchematic(concern, {}, project);
        expect(filesOf(result)).toEqual(pristine);
      });

      it("stops with a diff on a file the user changed, and replaces it with --overwrite", async () => {
        project.overwrite(file, `${pristine[`/${file}`] ?? ""}# mine\n`);
        await expectAsync(runner.runSchematic(concern, {}, project)).toBeRejectedWithError(
          new RegExp(
            `changed since: ${file.replace(".", "\\.")}\\. .*--overwrite[^]*\\+\\+\\+ ${file.replace(".", "\\.")}[^]*-# mine`,
          ),
        );
        const result = await runner.runSchematic(concern, { overwrite: true }, project);
        expect(filesOf(result)).toEqual(pristine);
      });
    });
  }

  it("leaves the user's edit of its README section alone", async () => {
    const readme = (pristine["/README.md"] ?? "").replace(
      "## Code quality",
      "## Code quality\n\nOur own words.",
    );
    project.overwrite("README.md", readme);
    const manifest = JSON.parse(pristine["/.quickscale.json"] ?? "{}") as Manifest;
    manifest.files["README.md"] = "sha256-user-changed";
    project.overwrite(".quickscale.json", JSON.stringify(manifest));
    const result = await runner.runSchematic("quality", {}, project);
    expect(result.readText("README.md")).toBe(readme);
  });

  describe("refuses, writing nothing,", () => {
    it("a folder that is not a QuickScale project", async () => {
      await expectAsync(runner.runSchematic("quality", {}, Tree.empty())).toBeRejectedWithError(
        /^Not a QuickScale project: there is no \.quickscale\.json here\. Run this inside a project made by "quickscale init"\.$/,
      );
    });

    it("a corrupt manifest", async () => {
      project.overwrite(".quickscale.json", "{ not json");
      await expectAsync(runner.runSchematic("quality", {}, project)).toBeRejectedWithError(
        /\.quickscale\.json is corrupt .*restore it from version control/,
      );
      project.overwrite(".quickscale.json", "{}");
      await expectAsync(runner.runSchematic("quality", {}, project)).toBeRejectedWithError(
        /lacks the quickscale/,
      );
    });

    it("a project made by a newer QuickScale", async () => {
      const manifest = JSON.parse(pristine["/.quickscale.json"] ?? "{}") as Manifest;
      project.overwrite(".quickscale.json", JSON.stringify({ ...manifest, quickscale: "99.0.0" }));
      await expectAsync(runner.runSchematic("quality", {}, project)).toBeRejectedWithError(
        /made by QuickScale 99\.0\.0, newer than this QuickScale .*: upgrade QuickScale first/,
      );
    });
  });
});
