import { createHash } from "node:crypto";
import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Where a run keeps its journal and backups while it changes an existing project. */
export const JOURNAL_DIR = ".quickscale-journal";
/** The signed journal inside {@link JOURNAL_DIR}; written last, once every backup is complete. */
export const JOURNAL_FILE = "journal.json";

/** One file the run changes: its backup (when it existed) is restored on rollback. */
export interface JournalEntry {
  path: string;
  /** The backup's name inside the journal folder, or null when the file did not exist. */
  backup: string | null;
  /** The file's permission bits (within 0o777), or null when it did not exist. */
  mode: number | null;
  /** `sha256-<hex>` of the backup, or null when it did not exist. */
  sha256: string | null;
}

/** What a rollback needs, signed with the user's journal key. */
export interface Journal {
  version: 2;
  /** The project's real path: a journal only rolls back the project it was written for. */
  project: string;
  entries: JournalEntry[];
  /** Folders the run creates, deepest first: removed on rollback when empty. */
  createdDirs: string[];
}

/** The names a run writes in its journal folder: numbered backups, the journal, and the journal being written. */
const JOURNAL_FOLDER_NAME = /^(?:\d+|journal\.json|journal\.json\.tmp)$/;

/**
 * The first entry of the journal folder `dir` that QuickScale does not write there (a
 * name of its own, or anything but a regular file), or undefined: a folder holding
 * anything else is not QuickScale's to delete.
 */
export function foreignJournalEntry(dir: string): string | undefined {
  return readdirSync(dir).find(
    (name) => !JOURNAL_FOLDER_NAME.test(name) || !lstatSync(join(dir, name)).isFile(),
  );
}

/** `sha256-<hex>` of `content`. */
export function sha256(content: Buffer): string {
  return `sha256-${createHash("sha256").update(content).digest("hex")}`;
}
