import { chmodSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * The name a file is written under before it is renamed over `path`: in the same folder (a
 * rename within one folder is atomic), fixed (the project lock allows one writer, and a
 * rollback finds and removes what a killed run left).
 */
export function asideOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.quickscale-new`);
}

/**
 * Replaces `path` with `content` in one step: written aside, then renamed over it. The
 * rename replaces a symbolic link rather than following it, and a crash leaves either the
 * old file or the new one, never a mix. A new file gets `mode` less the umask; `exactMode`
 * (the mode of the file replaced) is kept as it was.
 */
export function writeFileAtomic(path: string, content: Buffer, mode: number, exactMode = false): void {
  const aside = asideOf(path);
  try {
    rmSync(aside, { force: true });
    writeFileSync(aside, content, { mode, flag: "wx" });
    if (exactMode) {
      chmodSync(aside, mode);
    }
    renameSync(aside, path);
  } catch (error) {
    rmSync(aside, { force: true });
    throw error;
  }
}
