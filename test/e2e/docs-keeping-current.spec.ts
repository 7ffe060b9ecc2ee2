import { readFileSync } from "node:fs";
import { join } from "node:path";
import { removeDir, tempDir } from "./support/files";
import { guideCommands, guideEnv, runGuide } from "./support/guide-runner";
import { describeRun, expectSuccess, REPO_ROOT, run } from "./support/process";
import { runRelease010 } from "./support/release-0.1.0";

const GUIDE = readFileSync(join(REPO_ROOT, "docs", "keeping-current.md"), "utf8");

describe("docs/keeping-current.md, run on a real 0.1.0 project", () => {
  let root = "";
  afterAll(() => {
    removeDir(root);
  });

  it("every command of the guide does what it says, in order", async () => {
    root = tempDir("h-update-guide");
    const dir = join(root, "myapp");
    expectSuccess(await runRelease010(["init", "myapp", "--directory", dir], root));
    const env = guideEnv(root);
    const commands = guideCommands(GUIDE);
    expect(commands.length).toBeGreaterThanOrEqual(6);
    // --check says the 0.1.0 project is behind: the guide announces its exit 1.
    expect(commands.filter((command) => command.text.includes("--check")).map((c) => c.expectedCode)).toEqual(
      [1],
    );
    await runGuide(commands, { cwd: dir, env, timeoutMs: 120_000 });
    const log = await run("git", ["log", "--format=%s", "-1"], { cwd: dir, env, timeoutMs: 30_000 });
    expect(log.stdout.trim()).toBe("Update to the installed QuickScale");
    const after = await run("sh", ["-c", "quickscale update --check"], { cwd: dir, env, timeoutMs: 120_000 });
    expect(after.code).withContext(describeRun(after)).toBe(0);
  }, 600_000);
});
