import { callRule, HostTree, SchematicContext, Tree } from "@angular-devkit/schematics";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lastValueFrom, of } from "rxjs";
import { concern } from "../../../../src/rules/concern";
import { readManifest, writeManifest } from "../../../../src/rules/manifest";
import { QUICKSCALE_VERSION } from "../../../../src/base/version";

describe("concern", () => {
  let dir: string;
  let context: SchematicContext;
  let tree: HostTree;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "qs-concern-"));
    mkdirSync(join(dir, "files"));
    writeFileSync(join(dir, "files", "ok.py"), "x = 1\n");
    context = { schematic: { description: { name: "sample", path: dir } } } as unknown as SchematicContext;
    tree = new HostTree();
    writeManifest(tree, {
      quickscale: QUICKSCALE_VERSION,
      options: { name: "shop" },
      concerns: {},
      files: {},
    });
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const apply = (rule: ReturnType<typeof concern>): Promise<Tree> =>
    lastValueFrom(callRule(rule, of(tree), context));

  it("refuses, naming it, a file one of its steps made that does not parse", async () => {
    const broken = concern(
      "sample",
      {},
      {
        steps: () => [
          (t: Tree) => {
            t.create("/broken.json", "{nope");
          },
        ],
      },
    );
    await expectAsync(apply(broken)).toBeRejectedWithError(/Invalid file "\/broken\.json"/);
  });

  it("records the hash of each file it created or changed, and not of the rest of the run", async () => {
    tree.create("/earlier.txt", "written by an earlier rule\n");
    const result = await apply(
      concern(
        "sample",
        {},
        {
          steps: () => [
            (t: Tree) => {
              t.create("/made.txt", "made\n");
            },
          ],
        },
      ),
    );
    const manifest = readManifest(result);
    expect(Object.keys(manifest.files).sort()).toEqual(["made.txt", "ok.py"]);
    expect(manifest.concerns["sample"]).toBe(QUICKSCALE_VERSION);
  });
});
