import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { isCode } from "../errors";
import { isAlive } from "../process-alive";

/** One file to write, with its path relative to the project folder. */
export interface ProjectFile {
  path: string;
  content: Buffer;
}

/**
 * Called before each file is written: tests inject faults here (they run as root, so
 * permission tricks do not fail). `index` counts from 0.
 */
export type BeforeWriteHook = (path: string, index: number) => void;

const STAGING_MARK = ".quickscale-staging-";

/**
 * Writes a new project atomically: every file goes into a hidden sibling of `target`,
 * which is then renamed into place in one step. On any failure the staging folder, and
 * any parent folder this call created, are removed, so the disk is as it was. A staging
 * folder left by a killed run is removed by the next run in the same parent folder.
 *
 * An existing empty `target` is kept (it may be the user's current folder): the staged
 * entries are renamed into it one by one, and removed again if one of them fails.
 */
export function commitNewProject(
  files: readonly ProjectFile[],
  target: string,
  beforeWrite?: BeforeWriteHook,
): void {
  const parent = dirname(target);
  const createdParents = createMissingParents(parent);
  removeStaleStaging(parent);
  const staging = join(parent, `.${basename(target)}${STAGING_MARK}${process.pid}`);
  try {
    // Not recursive: Node's recursive mkdir never returns where the kernel refuses with
    // ENOENT (e.g. under /proc). Below the staging folder recursion is safe.
    mkdirSync(staging);
    files.forEach((file, index) => {
      beforeWrite?.(file.path, index);
      const path = join(staging, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content, { mode: newFileMode(file.content) });
    });
    if (existsSync(target)) {
      moveEntriesInto(staging, target);
    } else {
      renameInto(staging, target);
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    removeIfEmpty(createdParents);
    throw error;
  }
}

function renameInto(staging: string, target: string): void {
  try {
    renameSync(staging, target);
  } catch (error) {
    if (isCode(error, "ENOTEMPTY") || isCode(error, "EEXIST") || isCode(error, "ENOTDIR")) {
      throw new Error(`"${target}" was created or filled by another process meanwhile; nothing was written.`);
    }
    throw error;
  }
}

/** Renames each top-level entry of `staging` into the empty folder `target`, or none. */
function moveEntriesInto(staging: string, target: string): void {
  if (readdirSync(target).length > 0) {
    throw new Error(`"${target}" was created or filled by another process meanwhile; nothing was written.`);
  }
  const moved: string[] = [];
  try {
    for (const entry of readdirSync(staging)) {
      renameSync(join(staging, entry), join(target, entry));
      moved.push(entry);
    }
    rmdirSync(staging);
  } catch (error) {
    for (const entry of moved) {
      rmSync(join(target, entry), { recursive: true, force: true });
    }
    throw error;
  }
}

/** Removes staging folders in `parent` whose process is gone (a run killed mid-commit). */
export function removeStaleStaging(parent: string): void {
  if (!existsSync(parent)) {
    return;
  }
  for (const entry of readdirSync(parent)) {
    const match = /^\..+\.quickscale-staging-(\d+)$/.exec(entry);
    if (match !== null && !isAlive(Number(match[1]))) {
      rmSync(join(parent, entry), { recursive: true, force: true });
    }
  }
}

/**
 * Creates `dir` and its missing parents, one level at a time; returns the folders this call
 * created, outermost first. A folder another process creates meanwhile is not ours.
 */
function createMissingParents(dir: string): string[] {
  const missing: string[] = [];
  for (let current = dir; !existsSync(current); current = dirname(current)) {
    missing.unshift(current);
  }
  const created: string[] = [];
  try {
    for (const folder of missing) {
      try {
        mkdirSync(folder);
        created.push(folder);
      } catch (error) {
        if (!isCode(error, "EEXIST")) {
          throw error;
        }
      }
    }
  } catch (error) {
    removeIfEmpty(created);
    throw error;
  }
  return created;
}

/**
 * Removes the folders this run created, innermost first, but only while they are empty:
 * another run may have put its project there meanwhile, and that is not ours to delete.
 */
function removeIfEmpty(folders: readonly string[]): void {
  for (const folder of [...folders].reverse()) {
    try {
      rmdirSync(folder);
    } catch {
      return;
    }
  }
}

/** The mode a new file gets: executable when it starts with `#!` (manage.py). */
export function newFileMode(content: Buffer): number {
  return content.subarray(0, 2).toString("latin1") === "#!" ? 0o755 : 0o644;
}
