import { readFileSync } from "node:fs";
import { join } from "node:path";
import { trackedByGit } from "./git-tracked";
import {
  foreignJournalEntry,
  Journal,
  JOURNAL_DIR,
  JOURNAL_FILE,
  JournalEntry,
  sha256,
} from "./journal-format";
import { hasValidSignature, JournalKey } from "./journal-key";
import { isInsideProject, lstatKind, pathShapeProblem, projectRealPath, realLocation } from "./project-paths";

/**
 * The journal an interrupted run left, checked as a whole before anything is restored,
 * or null when the run was killed before its journal was complete (no project file was
 * touched then). Trusted only if QuickScale wrote it on this machine for this project:
 * not tracked by git, signed with this user's key, naming this project's real path; and
 * every entry must be sound (paths inside the project after resolving links and never
 * under `.git/`, backups plain regular files of the journal folder with their recorded
 * hash, modes within 0o777 without setuid/setgid/sticky, no path twice). Anything else
 * throws one line and leaves the journal as it is, for the user to inspect.
 */
export function readTrustedJournal(root: string, key: JournalKey): Journal | null {
  // The undo it advises is file by file: `add` refuses only when a file it writes is dirty,
  // so the user may have other uncommitted work that a whole-tree checkout or clean would lose.
  const refuse = (why: string): Error =>
    new Error(
      `${JOURNAL_DIR}/${JOURNAL_FILE} cannot be replayed: ${why}. It was left as it is: inspect it; to undo the interrupted run, restore from git only the files it changed ("git checkout -- <file>" for each, and delete those it added; "git status" lists changed files, yours among them), then delete ${JOURNAL_DIR}.`,
    );
  const dir = join(root, JOURNAL_DIR);
  if (lstatKind(dir) !== "directory") {
    throw refuse(`${JOURNAL_DIR} is not a folder QuickScale made`);
  }
  if (trackedByGit(root, [JOURNAL_DIR]).length > 0) {
    throw refuse("it is tracked by git, so QuickScale did not write it here");
  }
  const file = join(dir, JOURNAL_FILE);
  const kind = lstatKind(file);
  if (kind === "absent") {
    // A run killed while it backed up leaves only backups (and maybe the journal being
    // written): anything else in the folder is not ours to delete.
    const foreign = foreignJournalEntry(dir);
    if (foreign !== undefined) {
      throw refuse(`it has no ${JOURNAL_FILE} but holds "${foreign}", which QuickScale does not write`);
    }
    return null;
  }
  if (kind !== "file") {
    throw refuse("it is not a regular file");
  }
  let body: string;
  try {
    const signed = JSON.parse(readFileSync(file, "utf8")) as unknown;
    const fields = typeof signed === "object" && signed !== null ? (signed as Record<string, unknown>) : {};
    const { body: text, signature } = fields;
    if (typeof text !== "string" || typeof signature !== "string") {
      throw new Error("unexpected content");
    }
    if (!hasValidSignature(key, text, signature)) {
      throw new Error("its signature is not from this user's journal key");
    }
    body = text;
  } catch (error) {
    throw refuse(
      `QuickScale did not write it here for this user (${error instanceof Error ? error.message : "unreadable"})`,
    );
  }
  let journal: unknown;
  try {
    journal = JSON.parse(body);
  } catch {
    throw refuse("its content does not parse");
  }
  const problem = journalProblem(root, journal);
  if (problem !== null) {
    throw refuse(problem);
  }
  return journal as Journal;
}

/** Why a (signed) journal cannot be replayed as a whole, or null. */
function journalProblem(root: string, value: unknown): string | null {
  if (typeof value !== "object" || value === null) {
    return "unexpected content";
  }
  const { version, project, entries, createdDirs } = value as Record<string, unknown>;
  if (version !== 2 || !Array.isArray(entries) || !Array.isArray(createdDirs)) {
    return "unexpected content";
  }
  const projectReal = projectRealPath(root);
  if (project !== projectReal) {
    return `it was written for the project at ${String(project)}, not this one`;
  }
  const seen = new Set<string>();
  for (const entry of entries as unknown[]) {
    const problem = entryProblem(root, projectReal, entry);
    if (problem !== null) {
      return problem;
    }
    const path = (entry as JournalEntry).path;
    if (seen.has(path)) {
      return `"${path}" appears twice`;
    }
    seen.add(path);
  }
  for (const dir of createdDirs as unknown[]) {
    if (typeof dir !== "string") {
      return "unexpected content";
    }
    const problem = placeProblem(root, projectReal, dir, "directory");
    if (problem !== null) {
      return problem;
    }
  }
  return null;
}

function entryProblem(root: string, projectReal: string, value: unknown): string | null {
  if (typeof value !== "object" || value === null) {
    return "unexpected content";
  }
  const { path, backup, mode, sha256: hash } = value as Record<string, unknown>;
  if (typeof path !== "string") {
    return "unexpected content";
  }
  const place = placeProblem(root, projectReal, path, "file");
  if (place !== null) {
    return place;
  }
  if (backup === null) {
    return mode === null && hash === null ? null : `"${path}" has a mode or hash but no backup`;
  }
  if (typeof backup !== "string" || !/^\d{1,6}$/.test(backup)) {
    return `the backup of "${path}" is not a plain name inside ${JOURNAL_DIR}`;
  }
  if (typeof mode !== "number" || !Number.isInteger(mode) || mode < 0 || mode > 0o777) {
    return `the mode of "${path}" is not within 0o777 (no setuid, setgid or sticky bit)`;
  }
  const backupPath = join(root, JOURNAL_DIR, backup);
  if (lstatKind(backupPath) !== "file") {
    // A rollback killed halfway moved this backup back already: the file holds its content.
    const target = join(root, path);
    if (lstatKind(target) === "file" && hash === sha256(readFileSync(target))) {
      return null;
    }
    return `the backup of "${path}" is missing or not a regular file`;
  }
  if (hash !== sha256(readFileSync(backupPath))) {
    return `the backup of "${path}" does not match its recorded hash`;
  }
  return null;
}

/**
 * Why a journal's path is not a place a rollback may touch: its shape (relative, no `..`,
 * not under `.git/`), where it really is (links resolved: inside the project, not under
 * `.git/`), and what is there now (absent, or what the run wrote: a `kind`).
 */
function placeProblem(
  root: string,
  projectReal: string,
  path: string,
  kind: "file" | "directory",
): string | null {
  const shape = pathShapeProblem(path);
  if (shape !== null) {
    return `"${path}" ${shape}`;
  }
  let real: string;
  try {
    const location = realLocation(join(root, path), path);
    if (location === null) {
      return `"${path}" is a symbolic link`;
    }
    real = location;
  } catch (error) {
    return error instanceof Error
      ? (error.message.split("; ")[0] ?? error.message)
      : `"${path}" cannot be placed`;
  }
  if (!isInsideProject(projectReal, real)) {
    return `"${path}" leads outside the project or into .git/`;
  }
  const now = lstatKind(join(root, path));
  if (now !== "absent" && now !== kind) {
    return `"${path}" is now a ${now}, not a ${kind} QuickScale wrote`;
  }
  return null;
}
