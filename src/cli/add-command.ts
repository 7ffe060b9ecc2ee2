import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { commitChanges, recoverProject } from "../commit/journal";
import { JournalKey, loadJournalKey } from "../commit/journal-key";
import { acquireProjectLock } from "../commit/lock";
import { assertWritableTarget, projectRealPath } from "../commit/project-paths";
import { ProjectFile } from "../commit/new-project";
import { ChangedFilesError } from "../rules/concern";
import { unifiedDiff } from "../rules/diff";
import { MANIFEST_PATH } from "../rules/manifest";
import { timed } from "../base/profile";
import { touchedPaths } from "../rules/validate-tree";
import { heldWarnings, runSchematic } from "./engine";
import { OutsideProjectError } from "./project-host";
import { commitFaultsFromEnv } from "./fault-hook";
import { AddInput } from "./flags";
import { ChangedFile, nextStepsAfterAdd } from "./add-next-steps";
import { paint } from "./output";
import { relockAfterAdd } from "./python-lock";
import { assertProject, reportRecovery, runInLockedProject } from "./locked-project";
import { assertNoUncommittedChanges } from "./uncommitted-changes";

/**
 * `quickscale add <module>` inside an existing project: checks it is a project, takes the
 * project lock, rolls back an interrupted run (only from a journal QuickScale wrote here),
 * runs the concern's schematic on the project, refuses uncommitted changes in the files it
 * would write (uncommitted-changes.ts), and commits what it changed through a journal, or
 * shows it (with diffs) in a dry run.
 */
export async function runAdd(input: AddInput, root: string): Promise<number> {
  return runInLockedProject(root, "add", input.dryRun, (key) => addConcern(input, root, key));
}

/** Runs the concern and commits it (`key` given) or shows it (a dry run, `key` null). */
async function addConcern(input: AddInput, root: string, key: JournalKey | null): Promise<number> {
  const out = process.stdout;
  const { logger, flush } = heldWarnings();
  let files: ProjectFile[];
  try {
    const run = await timed("engine and rules", () =>
      runSchematic(input.concern, input.options, root, logger, true),
    );
    files = touchedPaths(run.tree).map((path) => ({
      path: path.slice(1),
      content: run.tree.read(path) ?? Buffer.alloc(0),
    }));
  } catch (error) {
    if (!(error instanceof OutsideProjectError)) {
      flush();
    }
    if (error instanceof ChangedFilesError) {
      process.stderr.write(`${error.diffs.join("\n")}\n`);
      throw new Error(error.message.split("\n")[0]);
    }
    throw error;
  }
  // Before the warnings: a refusal is one line. After the schematic: the files it would
  // write are what the check compares with the last commit.
  if (key !== null && !input.allowDirty && files.length > 0) {
    assertNoUncommittedChanges(root, [...files.map((file) => file.path), MANIFEST_PATH]);
  }
  flush();
  if (files.length === 0) {
    out.write(`Nothing to do: ${input.concern} is up to date.\n`);
    return 0;
  }
  const projectReal = projectRealPath(root);
  // Every target is checked before anything is shown or written (no diff of a file outside).
  const kinds = files.map((file) => assertWritableTarget(root, projectReal, file.path));
  files.forEach((file, index) => {
    if (kinds[index] === "file") {
      out.write(`${paint(out, "cyan", "UPDATE")} ${file.path}\n`);
      if (input.dryRun) {
        const now = readFileSync(join(root, file.path), "utf8");
        out.write(`${unifiedDiff(file.path, now, file.content.toString("utf-8"))}\n`);
      }
    } else {
      out.write(`${paint(out, "green", "CREATE")} ${file.path} (${file.content.length} bytes)\n`);
    }
  });
  if (key === null) {
    out.write(`\nDry run: ${files.length} files would change; nothing was written.\n`);
    return 0;
  }
  // What the files held before the commit, from which the next steps are chosen.
  const changes: ChangedFile[] = files.map((file, index) => ({
    path: file.path,
    before: kinds[index] === "file" ? readFileSync(join(root, file.path), "utf8") : null,
    after: file.content.toString("utf-8"),
  }));
  await timed("commit", () => {
    commitChanges(root, files, key, commitFaultsFromEnv());
  });
  out.write(`\n${paint(out, "green", "Added")} ${input.concern}: ${files.length} files changed.\n`);
  // uv.lock first: the next steps' review covers what the relock changed too.
  relockAfterAdd(
    root,
    files.map((file) => file.path),
    out,
  );
  const steps = await nextStepsAfterAdd(changes, existsSync(join(root, ".git")));
  if (steps !== "") {
    out.write(`\n${steps}`);
  }
  return 0;
}

/** `quickscale recover`: rolls back a run that was killed while it changed the project. */
export function runRecover(root: string): number {
  assertProject(root, "recover");
  const key = loadJournalKey();
  const lock = acquireProjectLock(root);
  try {
    const recovered = recoverProject(root, key);
    if (recovered === null) {
      process.stdout.write("Nothing to recover.\n");
    }
    reportRecovery(recovered);
  } finally {
    lock.release();
  }
  return 0;
}
