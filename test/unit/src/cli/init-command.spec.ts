import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as engine from "../../../../src/cli/engine";
import { runInit } from "../../../../src/cli/init-command";

describe("runInit with git", () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), "qs-init-command-"));
  });
  afterEach(() => {
    rmSync(cwd, { recursive: true, force: true });
  });

  it("leaves nothing on disk when the engine fails, though git init had begun in the reserved staging folder", async () => {
    let duringRules: string[] = [];
    spyOn(engine, "runSchematic").and.callFake(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      duringRules = readdirSync(cwd);
      throw new Error("the engine failed");
    });
    await expectAsync(
      runInit({ name: "myapp", directory: undefined, skipGit: false, dryRun: false }, cwd),
    ).toBeRejectedWithError("the engine failed");
    expect(duringRules).toEqual([`.myapp.quickscale-staging-${process.pid}`]);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
