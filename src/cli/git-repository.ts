import { ChildProcessByStdio, spawn, spawnSync } from "node:child_process";
import type { Readable } from "node:stream";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { isCode } from "../base/errors";
import { reserveStaging } from "../commit/new-project";
import { enclosingRepository } from "./enclosing-repository";

/** The first commit's message, as the stock CLI's git task writes it. */
export const INITIAL_COMMIT_MESSAGE = "Initial commit from QuickScale";

/**
 * Variables that point git at another repository, index or object store: the repository
 * made here is `dir`'s own, whatever the caller's shell (or a git hook running us) exported.
 */
const REPOSITORY_VARIABLES = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_COMMON_DIR",
  "GIT_NAMESPACE",
];

/** The `.git/HEAD` git writes when it falls back on its built-in first branch name. */
const UNCONFIGURED_HEAD = "ref: refs/heads/master\n";

/** How a git process ended (the fields of spawnSync's result that matter here). */
export interface GitRun {
  error?: Error;
  status: number | null;
  stderr: string;
}

/** A repository begun ahead of the project's files: `git init` started in its staging folder. */
export interface EarlyRepository {
  /** The reserved staging folder (commit/new-project.ts) that becomes the project. */
  staging: string;
  /** How `git init` ended: awaited before the staging folder is committed or discarded. */
  init: Promise<GitRun>;
  /** Ends `git init` now (the run was interrupted); `init` then settles. */
  stop(): void;
}

/**
 * Reserves the staging folder of a new project in `target` and starts `git init` in it
 * without waiting, so that git's start (10 to 20 ms) overlaps the rules; the moved `.git`
 * is then the project's once the folder is renamed into place, and {@link initialCommit}
 * adds and commits. Null, and nothing made, when `target` exists already or its parent is
 * inside another repository (initialCommit then does all of it, or says why not). The
 * folder must be committed (commitNewProject) or discarded, both after `init` ended.
 */
export function startRepositoryEarly(target: string): EarlyRepository | null {
  // The target does not exist yet: git would look for an enclosing repository from its parent.
  if (insideAnotherRepository(dirname(target))) {
    return null;
  }
  const staging = reserveStaging(target);
  if (staging === null) {
    return null;
  }
  const child = spawn("git", ["init"], {
    cwd: staging,
    env: gitEnvironment(),
    stdio: ["ignore", "ignore", "pipe"],
  });
  return { staging, init: ended(child), stop: () => child.kill("SIGKILL") };
}

/** How a git process ends; never rejects (a missing git is in `error`). */
function ended(child: ChildProcessByStdio<null, null, Readable>): Promise<GitRun> {
  return new Promise((resolve) => {
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    // The first of the two settles: on a missing git, "error" comes before "close".
    child.on("error", (error) => {
      resolve({ error, status: null, stderr });
    });
    child.on("close", (status) => {
      resolve({ status, stderr });
    });
  });
}

/** This process's environment without the variables that point git elsewhere. */
function gitEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !REPOSITORY_VARIABLES.includes(name)),
  );
}

/**
 * Makes `dir` a git repository with one commit holding every file, and says how that went
 * as the end of the summary line (`, a git repository with a first commit`, or why not in
 * parentheses). Never throws: the project is on disk already, and git is optional.
 *
 * Three git processes: `init`, `add` and `commit`. Whether `dir` sits in another work tree
 * is read from the file system (enclosingRepository), whether git exists at all from the
 * first spawn. The user's own git identity is used; with none, no identity is made up (the
 * note says what to set). Without a configured `init.defaultBranch` the first branch is
 * `main`, as GitHub names it: git then says, in a hint on stderr that we keep from the
 * user, that it chose `master`, and HEAD is pointed at `main` before the first commit
 * (a symbolic ref in a file, as `git symbolic-ref` would write it). A configured name,
 * `master` included, is left as git chose it.
 *
 * `early`: how the `git init` of {@link startRepositoryEarly} ended, when its `.git` is
 * in `dir` now; that init is not run again.
 */
export function initialCommit(dir: string, early?: GitRun): string {
  if (early === undefined && insideAnotherRepository(dir)) {
    return " (no git repository: the folder is inside another git repository)";
  }
  const env = gitEnvironment();
  const git = (args: readonly string[]): GitRun =>
    spawnSync("git", args, { cwd: dir, env, encoding: "utf8", stdio: ["inherit", "pipe", "pipe"] });

  // Not --quiet: the hint about the default branch name is how an unconfigured one shows.
  const init = early ?? git(["init"]);
  if (init.error !== undefined) {
    return isCode(init.error, "ENOENT")
      ? " (no git repository: git was not found on PATH; install it, then run git init there)"
      : ` (no git repository: git did not run: ${init.error.message})`;
  }
  if (init.status !== 0) {
    return ` (no git repository: git init failed: ${firstLine(init)})`;
  }
  if (init.stderr.includes("init.defaultBranch")) {
    nameFirstBranchMain(dir);
  }
  // Every blob into one pack file (git's bulk check-in, as for a large file) instead of one
  // loose object, and its fan-out folder, per file: creating ~60 folders and files under
  // .git/objects was most of `git add`'s time. The pack is fsynced, as git does for packs,
  // and compressed at level 1, as git compresses loose objects. Files git converts (a
  // filter, line endings) still take the usual path.
  const add = git(["-c", "core.bigFileThreshold=1", "-c", "pack.compression=1", "add", "--all"]);
  // No automatic maintenance after the first commit: a fresh repository has nothing to
  // pack, and it would be one more git process.
  const commit =
    add.status === 0
      ? git([
          "-c",
          "maintenance.auto=false",
          "-c",
          "gc.auto=0",
          "commit",
          "--quiet",
          "--message",
          INITIAL_COMMIT_MESSAGE,
        ])
      : add;
  if (commit.status === 0) {
    return ", a git repository with a first commit";
  }
  return /user\.(name|email)|identity|empty ident/i.test(commit.stderr)
    ? ", a git repository without a commit (set git's user.name and user.email, then commit)"
    : `, a git repository without a commit (git ${add.status === 0 ? "commit" : "add"} failed: ${firstLine(commit)})`;
}

/** Whether a parent folder's repository holds `dir`; a folder that cannot be read, as git would, is not one. */
function insideAnotherRepository(dir: string): boolean {
  try {
    return enclosingRepository(dir) !== null;
  } catch {
    return false;
  }
}

/** Points the unborn HEAD git just made at `main`, when it is git's unconfigured `master`. */
function nameFirstBranchMain(dir: string): void {
  const head = join(dir, ".git", "HEAD");
  try {
    if (readFileSync(head, "utf8") === UNCONFIGURED_HEAD) {
      writeFileSync(head, "ref: refs/heads/main\n");
    }
  } catch {
    // Another layout (a reftable repository, a .git file): the branch stays as git named it.
  }
}

/** The first line git wrote on stderr besides its hints, or its exit status when none. */
function firstLine(result: GitRun): string {
  const line = result.stderr
    .split("\n")
    .map((text) => text.trim())
    .find((text) => text !== "" && !text.startsWith("hint:"));
  return line ?? `exit status ${String(result.status)}`;
}
