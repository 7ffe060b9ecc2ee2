import { randomBytes } from "node:crypto";
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { isCode, messageOf } from "../base/errors";
import { asideOf, writeFileAtomic } from "./atomic-file";
import { JournalKey, sign } from "./journal-key";
import { trackedByGit } from "./git-tracked";
import {
  foreignJournalEntry,
  Journal,
  JOURNAL_DIR,
  JOURNAL_FILE,
  JournalEntry,
  sha256,
} from "./journal-format";
import { readTrustedJournal } from "./journal-trust";
import { BeforeWriteHook, newFileMode, ProjectFile } from "./new-project";
import { assertWritableTarget, lstatKind, projectRealPath } from "./project-paths";

export { JOURNAL_DIR } from "./journal-format";

/** A journal folder being removed: renamed first, so no journal ever outlives a backup. */
const DISCARDED = `${JOURNAL_DIR}.old-`;
/** The names {@link discardJournal} gives: the pid and 8 random hex digits. */
const DISCARDED_NAME = /^\.quickscale-journal\.old-\d+-[0-9a-f]{8}$/;

/** Fault injection points of a commit (tests run as root, so permission tricks do not fail). */
export interface CommitHooks {
  beforeBackup?: BeforeWriteHook;
  beforeWrite?: BeforeWriteHook;
  /** Called once every write succeeded, between renaming the journal folder away and deleting it. */
  journalRenamed?: () => void;
}

/**
 * Changes files of an existing project so that the project ends up either fully changed
 * or exactly as it was. Every target is checked before anything is written (see
 * {@link assertWritableTarget}); then every file to be replaced is copied into
 * `JOURNAL_DIR` and the signed journal is written (atomically, by rename); each file is
 * then replaced atomically. The journal folder is removed (renamed, then deleted) once
 * every write succeeded. On failure the backups are restored here; a run killed
 * mid-commit leaves the journal, and {@link recoverProject} rolls it back. The caller
 * holds the project lock.
 */
export function commitChanges(
  root: string,
  files: readonly ProjectFile[],
  key: JournalKey,
  hooks: CommitHooks = {},
): void {
  const projectReal = projectRealPath(root);
  const kinds = files.map((file) => assertWritableTarget(root, projectReal, file.path));
  const dir = join(root, JOURNAL_DIR);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    throw new Error(
      isCode(error, "EEXIST")
        ? `${JOURNAL_DIR} exists: a QuickScale run was interrupted here (run "quickscale recover").`
        : `Cannot create ${JOURNAL_DIR}: ${messageOf(error)}`,
    );
  }
  const journal: Journal = {
    version: 2,
    project: projectReal,
    entries: [],
    createdDirs: missingDirs(root, files),
  };
  try {
    files.forEach((file, index) => {
      hooks.beforeBackup?.(file.path, index);
      journal.entries.push(kinds[index] === "file" ? backUp(root, dir, file.path, index) : absent(file.path));
    });
    writeJournal(dir, key, journal);
  } catch (error) {
    try {
      discardJournal(root);
    } catch {
      // The cause matters more; a journal without journal.json is discarded by the next run.
    }
    throw new Error(
      `Cannot back up the files to change into ${JOURNAL_DIR}: ${messageOf(error)}. Nothing was changed.`,
    );
  }
  let writing = "";
  try {
    files.forEach((file, index) => {
      writing = file.path;
      hooks.beforeWrite?.(file.path, index);
      const path = join(root, file.path);
      mkdirSync(dirname(path), { recursive: true });
      const mode = journal.entries[index]?.mode ?? null;
      writeFileAtomic(path, file.content, mode ?? newFileMode(file.content), mode !== null);
    });
  } catch (error) {
    const cause = `Cannot write "${writing}": ${messageOf(error)}`;
    try {
      rollBack(root, journal);
    } catch (rollbackError) {
      throw new Error(
        `${cause}. Rolling back failed too (${messageOf(rollbackError)}): run "quickscale recover" once the cause is fixed.`,
      );
    }
    throw new Error(`${cause}. Nothing was changed: the project is as it was.`);
  }
  discardJournal(root, hooks.journalRenamed);
}

/**
 * Rolls back a run that was killed mid-commit, if any: checks the whole journal (see
 * {@link readTrustedJournal}), restores its backups, removes the files and folders it had
 * created, and removes the journal. Returns the paths restored, or `null` when there was
 * nothing to recover. A journal that is not trusted is left untouched and reported in
 * one line. The caller holds the project lock.
 */
export function recoverProject(root: string, key: JournalKey): string[] | null {
  removeDiscardedJournals(root);
  const dir = join(root, JOURNAL_DIR);
  if (lstatKind(dir) === "absent") {
    return null;
  }
  const journal = readTrustedJournal(root, key);
  if (journal === null) {
    // Killed before its journal was complete: no project file was touched yet.
    discardJournal(root);
    return [];
  }
  rollBack(root, journal);
  return journal.entries.map((entry) => entry.path);
}

function backUp(root: string, dir: string, path: string, index: number): JournalEntry {
  const content = readFileSync(join(root, path));
  const mode = lstatSync(join(root, path)).mode & 0o777;
  const backup = String(index);
  writeFileSync(join(dir, backup), content, { flag: "wx", mode: 0o600 });
  return { path, backup, mode, sha256: sha256(content) };
}

function absent(path: string): JournalEntry {
  return { path, backup: null, mode: null, sha256: null };
}

function writeJournal(dir: string, key: JournalKey, journal: Journal): void {
  const body = JSON.stringify(journal);
  const signed = JSON.stringify({ quickscale: "journal", body, signature: sign(key, body) });
  writeFileSync(join(dir, `${JOURNAL_FILE}.tmp`), signed, { flag: "wx", mode: 0o600 });
  renameSync(join(dir, `${JOURNAL_FILE}.tmp`), join(dir, JOURNAL_FILE));
}

/**
 * Puts every file of the journal back as it was: each backup is renamed into place (a full
 * disk cannot stop that; a copy only across file systems). A rollback killed halfway is
 * simply run again: a backup already moved back is recognised by its hash, in
 * `readTrustedJournal`. Never removes anything but a regular file the run created: a link
 * or folder there now is not the run's.
 */
function rollBack(root: string, journal: Journal): void {
  const dir = join(root, JOURNAL_DIR);
  // Created files first: on a full disk, the space they free helps what follows.
  for (const entry of journal.entries) {
    const path = join(root, entry.path);
    removeRegularFile(asideOf(path));
    if (entry.backup === null) {
      removeRegularFile(path);
    }
  }
  for (const entry of journal.entries) {
    if (entry.backup !== null) {
      restore(join(dir, entry.backup), join(root, entry.path), entry.mode ?? 0o644);
    }
  }
  for (const created of journal.createdDirs) {
    const path = join(root, created);
    if (lstatKind(path) === "directory" && readdirSync(path).length === 0) {
      rmdirSync(path);
    }
  }
  discardJournal(root);
}

/** Moves `backup` back to `path` with its `mode`; a missing backup was moved back already. */
function restore(backup: string, path: string, mode: number): void {
  if (lstatKind(backup) !== "file") {
    chmodSync(path, mode);
    return;
  }
  chmodSync(backup, mode);
  mkdirSync(dirname(path), { recursive: true });
  try {
    renameSync(backup, path);
  } catch (error) {
    if (!isCode(error, "EXDEV")) {
      throw error;
    }
    // A folder of the project on another file system: copied, then the backup dropped.
    writeFileAtomic(path, readFileSync(backup), mode, true);
    unlinkSync(backup);
  }
}

function removeRegularFile(path: string): void {
  if (lstatKind(path) === "file") {
    unlinkSync(path);
  }
}

/**
 * Removes the journal folder atomically: renamed to a unique name first (from then on it is
 * no journal), then deleted. A kill in between leaves a folder the next run deletes.
 */
function discardJournal(root: string, renamed?: () => void): void {
  const discarded = join(root, `${DISCARDED}${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    renameSync(join(root, JOURNAL_DIR), discarded);
  } catch (error) {
    if (isCode(error, "ENOENT")) {
      return;
    }
    throw error;
  }
  renamed?.();
  rmSync(discarded, { recursive: true, force: true });
}

/**
 * Deletes journal folders that earlier runs renamed away but were killed before deleting:
 * only folders named as {@link discardJournal} names them, that git does not track and
 * that hold nothing but what a run writes there. Anything else is left where it is.
 */
function removeDiscardedJournals(root: string): void {
  const leftovers = readdirSync(root).filter(
    (name) => DISCARDED_NAME.test(name) && lstatKind(join(root, name)) === "directory",
  );
  if (leftovers.length === 0) {
    return;
  }
  const tracked = trackedByGit(root, leftovers);
  for (const name of leftovers) {
    const dir = join(root, name);
    if (!tracked.some((path) => path.startsWith(`${name}/`)) && foreignJournalEntry(dir) === undefined) {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Folders (relative to `root`) the files need and that do not exist yet, deepest first. */
function missingDirs(root: string, files: readonly ProjectFile[]): string[] {
  const missing = new Set<string>();
  for (const file of files) {
    for (
      let dir = dirname(file.path);
      dir !== "." && dir !== "/" && lstatKind(join(root, dir)) === "absent";
      dir = dirname(dir)
    ) {
      missing.add(dir);
    }
  }
  return [...missing].sort((a, b) => b.split("/").length - a.split("/").length);
}
