import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { isCode } from "../errors";
import { BeforeWriteHook, newFileMode, ProjectFile } from "./new-project";

/** Where a run keeps its journal and backups while it changes an existing project. */
export const JOURNAL_DIR = ".quickscale-journal";
const JOURNAL_FILE = "journal.json";

/** One file the run changes: its backup (when it existed) is restored on rollback. */
interface JournalEntry {
  path: string;
  backup: string | null;
  mode: number | null;
}

interface Journal {
  entries: JournalEntry[];
  /** Folders the run creates, deepest first: removed on rollback when empty. */
  createdDirs: string[];
}

/**
 * Changes files of an existing project so that the project ends up either fully changed
 * or exactly as it was. Before the first write, every file to be replaced is copied into
 * `JOURNAL_DIR` and the journal is written (atomically, by rename); the journal is removed
 * once every write succeeded. On failure the backups are restored here; a run killed
 * mid-commit leaves the journal, and {@link recoverProject} rolls it back.
 */
export function commitChanges(
  root: string,
  files: readonly ProjectFile[],
  beforeWrite?: BeforeWriteHook,
): void {
  const dir = join(root, JOURNAL_DIR);
  try {
    mkdirSync(dir);
  } catch (error) {
    throw new Error(
      isCode(error, "EEXIST")
        ? `${JOURNAL_DIR} exists: another QuickScale run is changing this project, or one was interrupted (run "quickscale recover").`
        : `Cannot create ${JOURNAL_DIR}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const journal: Journal = { entries: [], createdDirs: missingDirs(root, files) };
  files.forEach((file, index) => {
    const path = join(root, file.path);
    const existing = existsSync(path) ? statSync(path) : null;
    const backup = existing === null ? null : String(index);
    if (backup !== null) {
      copyFileSync(path, join(dir, backup));
    }
    journal.entries.push({ path: file.path, backup, mode: existing === null ? null : existing.mode & 0o777 });
  });
  writeFileSync(join(dir, `${JOURNAL_FILE}.tmp`), JSON.stringify(journal));
  renameSync(join(dir, `${JOURNAL_FILE}.tmp`), join(dir, JOURNAL_FILE));
  try {
    files.forEach((file, index) => {
      beforeWrite?.(file.path, index);
      const path = join(root, file.path);
      mkdirSync(dirname(path), { recursive: true });
      const mode = journal.entries[index]?.mode ?? newFileMode(file.content);
      writeFileSync(path, file.content, { mode });
    });
  } catch (error) {
    rollBack(root, journal);
    throw error;
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Rolls back a run that was killed mid-commit, if any: restores the journal's backups,
 * removes the files and folders it had created, and removes the journal. Returns the
 * paths restored, or `null` when there was nothing to recover.
 */
export function recoverProject(root: string): string[] | null {
  const dir = join(root, JOURNAL_DIR);
  if (!existsSync(dir)) {
    return null;
  }
  const file = join(dir, JOURNAL_FILE);
  if (!existsSync(file)) {
    // Killed before the journal was complete: no project file was touched yet.
    rmSync(dir, { recursive: true, force: true });
    return [];
  }
  const journal = readJournal(root, file);
  rollBack(root, journal);
  return journal.entries.map((entry) => entry.path);
}

/**
 * The journal of an interrupted run, checked before anything is restored: it must parse,
 * and every path in it must stay inside the project.
 */
function readJournal(root: string, file: string): Journal {
  const corrupt = (why: string) =>
    new Error(
      `${JOURNAL_DIR}/${JOURNAL_FILE} is corrupt (${why}), so the interrupted run cannot be rolled back: restore the project from version control (git checkout -- . && git clean -fd), then delete ${JOURNAL_DIR}.`,
    );
  let journal: unknown;
  try {
    journal = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw corrupt(error instanceof Error ? error.message : "unreadable");
  }
  if (!isJournal(journal)) {
    throw corrupt("unexpected content");
  }
  const outside = [...journal.entries.map((entry) => entry.path), ...journal.createdDirs].find(
    (path) => isAbsolute(path) || relative(root, resolve(root, path)).startsWith(".."),
  );
  if (outside !== undefined) {
    throw corrupt(`"${outside}" is outside the project`);
  }
  return journal;
}

function isJournal(value: unknown): value is Journal {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const { entries, createdDirs } = value as Record<string, unknown>;
  return (
    Array.isArray(entries) &&
    entries.every(
      (entry: unknown) =>
        typeof entry === "object" &&
        entry !== null &&
        typeof (entry as Record<string, unknown>)["path"] === "string" &&
        ["string", "object"].includes(typeof (entry as Record<string, unknown>)["backup"]) &&
        ["number", "object"].includes(typeof (entry as Record<string, unknown>)["mode"]),
    ) &&
    Array.isArray(createdDirs) &&
    createdDirs.every((dir: unknown) => typeof dir === "string")
  );
}

function rollBack(root: string, journal: Journal): void {
  const dir = join(root, JOURNAL_DIR);
  for (const entry of journal.entries) {
    const path = join(root, entry.path);
    if (entry.backup === null) {
      rmSync(path, { force: true });
    } else {
      mkdirSync(dirname(path), { recursive: true });
      copyFileSync(join(dir, entry.backup), path);
      chmodSync(path, entry.mode ?? 0o644);
    }
  }
  for (const created of journal.createdDirs) {
    const path = join(root, created);
    if (existsSync(path) && readdirSync(path).length === 0) {
      rmdirSync(path);
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Folders (relative to `root`) the files need and that do not exist yet, deepest first. */
function missingDirs(root: string, files: readonly ProjectFile[]): string[] {
  const missing = new Set<string>();
  for (const file of files) {
    for (
      let dir = dirname(file.path);
      dir !== "." && dir !== "/" && !existsSync(join(root, dir));
      dir = dirname(dir)
    ) {
      missing.add(dir);
    }
  }
  return [...missing].sort((a, b) => b.split("/").length - a.split("/").length);
}
