import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { linkSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { isCode, messageOf } from "../base/errors";

/** A per-user secret that signs journals, kept outside every project. */
export interface JournalKey {
  readonly secret: Buffer;
}

const KEY_FILE = "journal.key";
const KEY_BYTES = 32;

/**
 * Where this user's journal key lives: `$XDG_STATE_HOME/quickscale`, or
 * `~/.local/state/quickscale` (the XDG default). Returns the folder and how the user can
 * change it, for messages.
 */
export function journalKeyFolder(env: NodeJS.ProcessEnv = process.env): string {
  const state = env["XDG_STATE_HOME"];
  if (state !== undefined && isAbsolute(state)) {
    return join(state, "quickscale");
  }
  return join(env["HOME"] ?? homedir(), ".local", "state", "quickscale");
}

/**
 * This user's journal key, created (0600, in a 0700 folder, atomically: written aside,
 * then linked into place, so two first runs agree on one key) when missing. A journal only
 * QuickScale can sign cannot be planted in a repository. Throws one line naming the folder
 * to make writable or the variable to set when the key cannot be kept.
 */
export function loadJournalKey(env: NodeJS.ProcessEnv = process.env): JournalKey {
  const folder = journalKeyFolder(env);
  const fail = (why: string): Error =>
    new Error(
      `Cannot keep QuickScale's journal key in ${folder} (${why}): make that folder writable, or set XDG_STATE_HOME to a writable folder.`,
    );
  const home = env["HOME"] ?? homedir();
  if (env["XDG_STATE_HOME"] === undefined || !isAbsolute(env["XDG_STATE_HOME"])) {
    // Never create the home folder itself: a wrong HOME must not grow folders anywhere.
    if (!isDirectory(home)) {
      throw fail(`the home folder ${home} does not exist`);
    }
  }
  const path = join(folder, KEY_FILE);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const existing = readKey(path);
    if (existing !== null) {
      return existing;
    }
    const aside = join(folder, `.${KEY_FILE}.${process.pid}.${randomBytes(4).toString("hex")}`);
    writeFileSync(aside, randomBytes(KEY_BYTES).toString("hex"), { mode: 0o600, flag: "wx" });
    try {
      linkSync(aside, path);
    } catch (error) {
      if (!isCode(error, "EEXIST")) {
        throw error;
      }
    } finally {
      rmSync(aside, { force: true });
    }
    const created = readKey(path);
    if (created === null) {
      throw new Error("the key vanished while it was created");
    }
    return created;
  } catch (error) {
    throw fail(messageOf(error));
  }
}

function readKey(path: string): JournalKey | null {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if (isCode(error, "ENOENT")) {
      return null;
    }
    throw error;
  }
  const uid = process.getuid?.();
  if (!stat.isFile() || (stat.mode & 0o077) !== 0 || (uid !== undefined && stat.uid !== uid)) {
    throw new Error(`${KEY_FILE} must be a regular file of yours that only you can read (chmod 600)`);
  }
  const text = readFileSync(path, "latin1");
  if (!/^[0-9a-f]{64}$/.test(text)) {
    throw new Error(`${KEY_FILE} is not a key QuickScale wrote; delete it`);
  }
  return { secret: Buffer.from(text, "hex") };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The signature of `text` with `key` (HMAC-SHA256, hex). */
export function sign(key: JournalKey, text: string): string {
  return createHmac("sha256", key.secret).update(text, "utf8").digest("hex");
}

/** Whether `signature` is `text`'s signature with `key` (compared in constant time). */
export function hasValidSignature(key: JournalKey, text: string, signature: string): boolean {
  const expected = Buffer.from(sign(key, text), "hex");
  const given = Buffer.from(signature, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
