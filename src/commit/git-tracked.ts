import { spawnSync } from "node:child_process";

/**
 * Which of `paths` (relative to `root`, files or folders) git tracks in the repository
 * `root` belongs to: recovery data committed to a repository was written by someone else.
 * Without git, or outside a repository, nothing is tracked.
 */
export function trackedByGit(root: string, paths: readonly string[]): string[] {
  const listed = spawnSync("git", ["-c", "core.fsmonitor=false", "ls-files", "-z", "--", ...paths], {
    cwd: root,
    encoding: "utf8",
  });
  if (listed.status !== 0) {
    return [];
  }
  return listed.stdout.split("\0").filter((path) => path !== "");
}
