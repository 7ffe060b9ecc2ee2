import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A three-way merge's result: the merged text, with standard conflict markers where both sides changed the same lines. */
export interface MergeResult {
  content: Buffer;
  conflicts: number;
}

/** The labels of the three sides, shown on the conflict markers. */
export interface MergeLabels {
  ours: string;
  base: string;
  theirs: string;
}

/**
 * Git's own three-way merge (`git merge-file`) of `ours` and `theirs` from `base`, run on
 * copies in a temporary folder outside the project (no repository is involved, so nothing
 * of the project's git configuration applies).
 */
export function mergeFile(ours: Buffer, base: Buffer, theirs: Buffer, labels: MergeLabels): MergeResult {
  const dir = mkdtempSync(join(tmpdir(), "quickscale-merge-"));
  try {
    const [o, b, t] = ["ours", "base", "theirs"].map((name) => join(dir, name)) as [string, string, string];
    writeFileSync(o, ours);
    writeFileSync(b, base);
    writeFileSync(t, theirs);
    const result = spawnSync(
      "git",
      ["merge-file", "-L", labels.ours, "-L", labels.base, "-L", labels.theirs, o, b, t],
      { cwd: dir, env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: dir, XDG_CONFIG_HOME: dir } },
    );
    if (result.error !== undefined) {
      throw new Error(`git merge-file did not run (${result.error.message}): install git, then run again.`);
    }
    // The exit status is the number of conflicts (capped at 127); negative (>127) on error.
    if (result.status === null || result.status > 127) {
      throw new Error(`git merge-file failed: ${result.stderr.toString("utf8").trim()}`);
    }
    return { content: readFileSync(o), conflicts: result.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
