import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { removeDir } from "./files";
import { CACHE_DIR } from "./python-env";
import { baseEnv, describeRun, GIT_IDENTITY, REPO_ROOT, run, RunResult } from "./process";

/** The commit of this repository that QuickScale 0.1.0 was released from. */
export const RELEASE_0_1_0 = "237ec31";
const DONE = ".quickscale-e2e-complete";
const BUILD_TIMEOUT_MS = 15 * 60_000;

/**
 * QuickScale 0.1.0 as released, built once from this repository's history (git archive of
 * the commit, npm ci, npm run build) under `.cache/quickscale-<commit>`, and reused: built
 * under a temporary name and renamed into place when complete. Returns its bin.
 */
export async function ensureRelease010(): Promise<string> {
  const dir = join(CACHE_DIR, `quickscale-${RELEASE_0_1_0}`);
  if (!existsSync(join(dir, DONE))) {
    const building = `${dir}.building-${process.pid}`;
    removeDir(building);
    mkdirSync(building, { recursive: true });
    const steps: [string, string[], string][] = [
      ["sh", ["-c", `git -C "${REPO_ROOT}" archive ${RELEASE_0_1_0} | tar -x -C "${building}"`], building],
      ["npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], building],
      ["npm", ["run", "build"], building],
    ];
    for (const [command, args, cwd] of steps) {
      const result = await run(command, args, { cwd, env: baseEnv(), timeoutMs: BUILD_TIMEOUT_MS });
      if (result.code !== 0) {
        throw new Error(`Building QuickScale ${RELEASE_0_1_0} failed:\n${describeRun(result)}`);
      }
    }
    writeFileSync(join(building, DONE), "");
    removeDir(dir);
    renameSync(building, dir);
  }
  return join(dir, "bin", "quickscale.js");
}

/** Runs QuickScale 0.1.0's bin with `args` in `cwd`. */
export async function runRelease010(args: readonly string[], cwd: string): Promise<RunResult> {
  return run(process.execPath, [await ensureRelease010(), ...args], {
    cwd,
    env: baseEnv(GIT_IDENTITY),
    timeoutMs: 120_000,
  });
}
