import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { removeDir, tempDir } from "./support/files";
import { BIN, describeRun, expectSuccess, GIT_IDENTITY, REPO_ROOT, run, baseEnv } from "./support/process";
import { runRelease010 } from "./support/release-0.1.0";
import { codeBlocks } from "./support/readme-commands";

const GUIDE = readFileSync(join(REPO_ROOT, "docs", "keeping-current.md"), "utf8");

describe("docs/keeping-current.md, run on a real 0.1.0 project", () => {
  let root = "";
  afterAll(() => {
    removeDir(root);
  });

  it("every command of the guide does what it says, in order", async () => {
    root = tempDir("h-update-guide");
    const bin = join(root, "bin");
    mkdirSync(bin);
    // "quickscale" on PATH is this checkout's bin, as an installed package would be.
    writeFileSync(join(bin, "quickscale"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(bin, "quickscale"), 0o755);
    const dir = join(root, "myapp");
    expectSuccess(await runRelease010(["init", "myapp", "--directory", dir], root));
    const env = baseEnv({ ...GIT_IDENTITY, PATH: `${bin}:${process.env["PATH"] ?? ""}` });
    const lines = codeBlocks(GUIDE, "bash").flatMap((block) =>
      block.split("\n").filter((line) => line.trim() !== ""),
    );
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) {
      const result = await run("sh", ["-c", line], { cwd: dir, env, timeoutMs: 120_000 });
      // --check says the 0.1.0 project is behind: exit 1, by design.
      expect(result.code)
        .withContext(describeRun(result))
        .toBe(line.includes("--check") ? 1 : 0);
    }
    const log = await run("git", ["log", "--format=%s", "-1"], { cwd: dir, env, timeoutMs: 30_000 });
    expect(log.stdout.trim()).toBe("Update to the installed QuickScale");
    const after = await run("sh", ["-c", "quickscale update --check"], { cwd: dir, env, timeoutMs: 120_000 });
    expect(after.code).withContext(describeRun(after)).toBe(0);
  }, 600_000);
});
