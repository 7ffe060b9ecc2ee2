import { spawnSync } from "node:child_process";

/**
 * Refuses to let `quickscale add` write over uncommitted work. "Dirty" means: one of `paths`
 * (the files the module is about to write, and the manifest) differs from the last commit,
 * in the index or in the working tree, or is an untracked file. Then no file holds both the
 * user's pending edits and QuickScale's, so `git diff` shows QuickScale's edits alone and
 * `git checkout -- <those files>` (plus deleting the ones it created) takes them back
 * without touching anything else.
 *
 * A change elsewhere in the tree is left alone: QuickScale writes only the files it lists
 * (every target is checked to be inside the project before this), so that change is neither
 * overwritten nor mixed into a file QuickScale changed; it stays the user's, as it was.
 * The price of the narrower check is that "git checkout -- . && git clean -fd" is no longer
 * a safe undo when the user had such changes; the file-by-file undo above is.
 *
 * Why not `git status` over the whole tree: on a project with 100,000 more files it took
 * as long as the rest of `add auth` (an lstat of every tracked file, a read of every
 * folder); limited to the paths it reads the index and stats those paths only.
 *
 * Without git or outside a repository (git status fails), there is nothing to compare with
 * and nothing to refuse, as before.
 */
export function assertNoUncommittedChanges(root: string, paths: readonly string[]): void {
  const status = spawnSync(
    "git",
    [
      // No fsmonitor: a project folder copied with its .git/config could name a command to run.
      "-c",
      "core.fsmonitor=false",
      // File names, not patterns: a module's file named `[id].py` is that file only.
      "--literal-pathspecs",
      "status",
      "--porcelain",
      // Untracked files by name, those inside an untracked folder too.
      "--untracked-files=all",
      "--",
      ...new Set(paths),
    ],
    { cwd: root, encoding: "utf8" },
  );
  if (status.status !== 0) {
    return;
  }
  // Porcelain lines are "XY path" (a rename "XY from -> to"), the path quoted when unusual.
  // A path both staged as deleted and present untracked has two lines: named once.
  const changed = [
    ...new Set(
      status.stdout
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => line.slice(3)),
    ),
  ];
  if (changed.length > 0) {
    const shown =
      changed.length > 3
        ? `${changed.slice(0, 3).join(", ")} and ${changed.length - 3} more`
        : changed.join(", ");
    throw new Error(
      `The project has uncommitted changes: ${shown}, which QuickScale would change. Commit or stash them first, so you can review and revert what QuickScale changes, or pass --allow-dirty.`,
    );
  }
}

/** QuickScale's own files, which the lock and an interrupted run leave: not the user's changes. */
const OWN_FILES = /^\?\? "?\.quickscale(\.lock|-journal)/;

/**
 * The whole-tree form, for `quickscale update`, which may write any file of the project
 * and merges through git: any uncommitted change anywhere refuses.
 */
export function assertCleanWorkingTree(root: string): void {
  // No fsmonitor: a project folder copied with its .git/config could name a command to run.
  const status = spawnSync("git", ["-c", "core.fsmonitor=false", "status", "--porcelain"], {
    cwd: root,
    encoding: "utf8",
  });
  if (status.status !== 0) {
    return;
  }
  const changes = status.stdout.split("\n").filter((line) => line !== "" && !OWN_FILES.test(line));
  if (changes.length > 0) {
    throw new Error(
      "The project has uncommitted changes: commit or stash them first, so you can review and revert what QuickScale changes, or pass --allow-dirty.",
    );
  }
}
