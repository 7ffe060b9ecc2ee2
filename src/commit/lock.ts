import { createHash, randomBytes } from "node:crypto";
import { linkSync, lstatSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isCode, messageOf } from "../base/errors";
import { currentProcess, isAlive, isHolderAlive, ProcessIdentity } from "./process-alive";
import { trackedByGit } from "./git-tracked";

/** The file that says which process is changing the project (git-ignored). */
export const LOCK_FILE = ".quickscale.lock";
const TAKEOVER = `${LOCK_FILE}.takeover-`;
const ASIDE = /^\.quickscale\.lock\.new-(\d+)-[0-9a-f]+$/;

/** A held project lock. */
export interface ProjectLock {
  /** Gives the lock up (only if it is still this run's). */
  release(): void;
}

/**
 * Takes the project's lock: one process at a time changes a project. The lock file is
 * created exclusively and whole (written aside, then hard-linked into place), holding the
 * pid, the process start time, the boot and the host, so a reused pid is not mistaken for
 * the holder. A lock whose holder is dead is taken over; two runs taking it over at once
 * cannot both win (see {@link takeOverStaleLock}). Throws one line when a live run holds it, or when
 * the lock is not one QuickScale wrote (unparseable, not a regular file, tracked by git).
 */
export function acquireProjectLock(root: string): ProjectLock {
  const mine = JSON.stringify({
    quickscale: "lock",
    ...currentProcess(),
    nonce: randomBytes(8).toString("hex"),
  });
  let checkedTracking = false;
  for (let attempt = 0; attempt < 10; attempt++) {
    if (createWhole(root, LOCK_FILE, mine)) {
      removeLeftovers(root);
      return {
        release: () => {
          if (readWhole(root, LOCK_FILE) === mine) {
            unlinkSync(join(root, LOCK_FILE));
          }
        },
      };
    }
    if (!checkedTracking) {
      checkedTracking = true;
      if (trackedByGit(root, [LOCK_FILE]).length > 0) {
        throw new Error(
          `${LOCK_FILE} is tracked by git, so it was not written by a QuickScale run here: remove it from the repository (git rm --cached ${LOCK_FILE}), commit, then run again.`,
        );
      }
    }
    const current = readWhole(root, LOCK_FILE);
    if (current === null) {
      continue;
    }
    const holder = parseHolder(current);
    if (holder === null) {
      throw new Error(
        `${LOCK_FILE} is not a lock QuickScale wrote (unreadable content): if no QuickScale run is changing this project, delete it, then run again.`,
      );
    }
    if (isHolderAlive(holder)) {
      throw busy(holder);
    }
    takeOverStaleLock(root, current, mine);
  }
  throw new Error(`Could not take ${LOCK_FILE}: other QuickScale runs keep taking it. Run again.`);
}

/** Throws one line when a live run holds the project's lock (for runs that only read). */
export function assertNotLocked(root: string): void {
  const current = readWhole(root, LOCK_FILE);
  const holder = current === null ? null : parseHolder(current);
  if (holder !== null && isHolderAlive(holder)) {
    throw busy(holder);
  }
}

function busy(holder: ProcessIdentity): Error {
  return new Error(
    `Another QuickScale run (pid ${holder.pid} on ${holder.host}) is changing this project: wait for it to finish, then run again.`,
  );
}

/**
 * Removes the stale lock whose content is `stale`, unless another run got there first.
 * Only the run that creates the takeover file named after `stale` may remove it, and it
 * checks again that the lock still holds `stale` (content is unique: it carries a nonce),
 * so no run ever removes a lock another live run has just taken. A takeover file whose
 * own holder died is passed over by chaining: the next takeover file is named after both.
 * `mine` is what the takeover file holds (this run's lock content). Exported for tests,
 * which replay the interleavings of a race one step at a time.
 */
export function takeOverStaleLock(root: string, stale: string, mine: string): void {
  let chain = stale;
  for (let step = 0; step < 10; step++) {
    const name = `${TAKEOVER}${createHash("sha256").update(chain).digest("hex").slice(0, 16)}`;
    if (createWhole(root, name, mine)) {
      try {
        if (readWhole(root, LOCK_FILE) === stale) {
          unlinkSync(join(root, LOCK_FILE));
        }
      } finally {
        rmSync(join(root, name), { force: true });
      }
      return;
    }
    const other = readWhole(root, name);
    if (other === null) {
      continue;
    }
    const taker = parseHolder(other);
    if (taker !== null && isHolderAlive(taker)) {
      throw busy(taker);
    }
    chain = `${chain}\n${other}`;
  }
  throw new Error(`Could not take over ${LOCK_FILE}: delete the ${TAKEOVER}* files, then run again.`);
}

/** Creates `root/name` holding `text`, whole, unless it exists: written aside, then linked. */
function createWhole(root: string, name: string, text: string): boolean {
  const aside = join(root, `${LOCK_FILE}.new-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    writeFileSync(aside, text, { flag: "wx", mode: 0o644 });
    linkSync(aside, join(root, name));
    return true;
  } catch (error) {
    if (isCode(error, "EEXIST")) {
      return false;
    }
    throw new Error(`Cannot create ${name}: ${messageOf(error)}. Nothing was changed.`);
  } finally {
    rmSync(aside, { force: true });
  }
}

/** The content of `root/name` when it is a regular file, or null when it is gone. */
function readWhole(root: string, name: string): string | null {
  try {
    if (!lstatSync(join(root, name)).isFile()) {
      return "";
    }
    return readFileSync(join(root, name), "utf8");
  } catch (error) {
    if (isCode(error, "ENOENT")) {
      return null;
    }
    throw error;
  }
}

function parseHolder(text: string): ProcessIdentity | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) {
    return null;
  }
  const { quickscale, pid, host, boot, start } = value as Record<string, unknown>;
  const optionalString = (field: unknown): field is string | null =>
    field === null || typeof field === "string";
  if (
    quickscale !== "lock" ||
    typeof pid !== "number" ||
    !Number.isSafeInteger(pid) ||
    pid <= 0 ||
    typeof host !== "string" ||
    !optionalString(boot) ||
    !optionalString(start)
  ) {
    return null;
  }
  return { pid, host, boot, start };
}

/** Removes what killed runs left: takeover files, and lock files written aside by dead processes. */
function removeLeftovers(root: string): void {
  for (const name of readdirSync(root)) {
    const aside = ASIDE.exec(name);
    if (name.startsWith(TAKEOVER) || (aside !== null && !isAlive(Number(aside[1])))) {
      rmSync(join(root, name), { force: true });
    }
  }
}
