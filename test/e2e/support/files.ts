import { createHash } from "node:crypto";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh empty folder under the system temp folder (never inside a git work tree). */
export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `qs-e2e-${label}-`));
}

/**
 * Fresh temporary folders for the specs of a `describe`, each removed after its spec:
 * call in the `describe` body, then `freshDir(label)` in a spec.
 */
export function freshDirsPerSpec(): (label: string) => string {
  let dirs: string[] = [];
  afterEach(() => {
    dirs.forEach(removeDir);
    dirs = [];
  });
  return (label) => {
    const dir = tempDir(label);
    dirs.push(dir);
    return dir;
  };
}

/** Removes `path` and everything under it, ignoring a missing path. */
export function removeDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/** Every regular file under `root`, as sorted `/`-separated relative paths (folders skipped unless `skip` allows). */
export function listFiles(root: string, skip: (relative: string) => boolean = () => false): string[] {
  const files: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const relative = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (skip(relative)) {
        continue;
      }
      if (entry.isDirectory()) {
        walk(join(dir, entry.name), relative);
      } else {
        files.push(relative);
      }
    }
  };
  walk(root, "");
  return files.sort();
}

/**
 * Everything under `root` (folders, files with a hash of their content, links), as sorted
 * lines: two snapshots are equal exactly when nothing was created, removed or changed.
 */
export function snapshot(root: string): string[] {
  const lines: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const relative = prefix === "" ? name : `${prefix}/${name}`;
      const stat = lstatSync(path);
      if (stat.isDirectory()) {
        lines.push(`${relative}/`);
        walk(path, relative);
      } else if (stat.isSymbolicLink()) {
        lines.push(`${relative} -> ${readlinkSync(path)}`);
      } else {
        lines.push(`${relative} ${sha256(readFileSync(path))} ${stat.mode.toString(8)}`);
      }
    }
  };
  walk(root, "");
  return lines.sort();
}

/** `sha256-<hex>`, the form `.quickscale.json` records. */
export function sha256(content: Buffer | string): string {
  return `sha256-${createHash("sha256").update(content).digest("hex")}`;
}

/** {@link snapshot} of a project without git's own folder (git's index changes with every status). */
export function projectState(project: string): string[] {
  return snapshot(project).filter((line) => !/^\.git(\/|$)/.test(line));
}
