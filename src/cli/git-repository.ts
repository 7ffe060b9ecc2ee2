import { spawnSync, SpawnSyncReturns } from "node:child_process";
import { isCode } from "../base/errors";

/** The first commit's message, as the stock CLI's git task writes it. */
export const INITIAL_COMMIT_MESSAGE = "Initial commit from QuickScale";

/**
 * Makes `dir` a git repository with one commit holding every file, and says how that went
 * as the end of the summary line (`, a git repository with a first commit`, or why not in
 * parentheses). Never throws: the project is on disk already, and git is optional.
 *
 * At most five git processes (the devkit's task with our checks took seven): whether `dir`
 * sits in another work tree (which also finds out whether git exists at all), whether the
 * user chose a first branch name, then `init`, `add` and `commit`. Without a configured
 * `init.defaultBranch` the first branch is `main`, as GitHub names it, and git prints no
 * page of advice about it.
 */
export function initialCommit(dir: string): string {
  const git = (args: readonly string[]): SpawnSyncReturns<string> =>
    spawnSync("git", args, { cwd: dir, encoding: "utf8", stdio: ["inherit", "pipe", "pipe"] });

  const inside = git(["rev-parse", "--is-inside-work-tree"]);
  if (inside.error !== undefined) {
    return isCode(inside.error, "ENOENT")
      ? " (no git repository: git was not found on PATH; install it, then run git init there)"
      : ` (no git repository: git did not run: ${inside.error.message})`;
  }
  if (inside.status === 0 && inside.stdout.trim() === "true") {
    return " (no git repository: the folder is inside another git repository)";
  }
  const branch = git(["config", "--get", "init.defaultBranch"]);
  const branchOption =
    branch.status === 0 && branch.stdout.trim() !== "" ? [] : ["-c", "init.defaultBranch=main"];
  const init = git([...branchOption, "init", "--quiet"]);
  if (init.status !== 0) {
    return ` (no git repository: git init failed: ${firstLine(init)})`;
  }
  const add = git(["add", "--all"]);
  const commit = add.status === 0 ? git(["commit", "--quiet", "--message", INITIAL_COMMIT_MESSAGE]) : add;
  if (commit.status === 0) {
    return ", a git repository with a first commit";
  }
  return /user\.(name|email)|identity|empty ident/i.test(commit.stderr)
    ? ", a git repository without a commit (set git's user.name and user.email, then commit)"
    : `, a git repository without a commit (git ${add.status === 0 ? "commit" : "add"} failed: ${firstLine(commit)})`;
}

/** The first line git wrote on stderr, or its exit status when it wrote none. */
function firstLine(result: SpawnSyncReturns<string>): string {
  const line = result.stderr
    .split("\n")
    .map((text) => text.trim())
    .find((text) => text !== "");
  return line ?? `exit status ${String(result.status)}`;
}
