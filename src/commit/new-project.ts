import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { isCode } from "../base/errors";
import { isAlive } from "./process-alive";

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
/** A staging folder's name: `.<target>.quickscale-staging-<pid>`, or without `<target>.` inside the target. */
const STAGING_NAME = /^\.(?:.*\.)?quickscale-staging-(\d+)$/;
/** The longest file name most file systems take (ext4, tmpfs, xfs, btrfs, APFS), in bytes. */
const NAME_MAX = 255;
/**
 * Why a staging folder beside an existing target failed where one inside it can work: the
 * parent is not ours to write, or a rename from there cannot reach the target (EXDEV).
 */
const CANNOT_STAGE_BESIDE = ["EACCES", "EPERM", "EROFS", "EXDEV"];

/**
 * Writes a new project atomically: every file goes into a hidden sibling of `target`
 * (`.<target>.quickscale-staging-<pid>`, the name cut to fit 255 bytes), which is then
 * renamed into place in one step. On any failure the staging folder, and any parent folder
 * this call created, are removed, so the disk is as it was. A staging folder left by a
 * killed run is removed by the next run in the same parent folder.
 *
 * An existing empty `target` is kept (it may be the user's current folder, or a mount
 * point): the staged entries are renamed into it one by one, and removed again if one of
 * them fails (see {@link commitIntoEmptyFolder} for where that staging folder goes).
 *
 * `reserved`, a staging folder made earlier by {@link reserveStaging}, is staged into and
 * committed with what it held; returns whether it was (false: `target` appeared meanwhile,
 * and the reserved folder was discarded).
 */
export function commitNewProject(
  files: readonly ProjectFile[],
  target: string,
  beforeWrite?: BeforeWriteHook,
  reserved?: string,
): boolean {
  if (existsSync(target)) {
    if (reserved !== undefined) {
      discard(reserved);
    }
    commitIntoEmptyFolder(files, target, beforeWrite);
    return false;
  }
  commitAsNewFolder(files, target, beforeWrite, reserved);
  return reserved !== undefined;
}

/**
 * Makes now the staging folder that {@link commitNewProject} will fill and rename to
 * `target`, so that work can start in it before the files are known (init's `git init`
 * runs there while the rules do). Null when `target` exists or its parent does not (the
 * commit then stages as usual), or when the folder cannot be made. Once reserved, pass it
 * to commitNewProject, which commits what it holds with the files (true) or discards it
 * (false: the target appeared meanwhile), or give it up with {@link discardReservedStaging}.
 * A run killed meanwhile leaves it for the next run to remove, as a killed commit does.
 */
export function reserveStaging(target: string): string | null {
  const parent = dirname(target);
  if (existsSync(target) || !existsSync(parent)) {
    return null;
  }
  removeStaleStaging(parent);
  const staging = join(parent, stagingName(basename(target)));
  try {
    mkdirSync(staging);
    return staging;
  } catch {
    return null;
  }
}

/** Removes a reserved staging folder and what it holds (the run stopped before its commit). */
export function discardReservedStaging(staging: string): void {
  discard(staging);
}

function commitAsNewFolder(
  files: readonly ProjectFile[],
  target: string,
  beforeWrite: BeforeWriteHook | undefined,
  reserved: string | undefined,
): void {
  const parent = dirname(target);
  const createdParents = createMissingParents(parent);
  removeStaleStaging(parent);
  const staging = reserved ?? join(parent, stagingName(basename(target)));
  try {
    stage(files, staging, beforeWrite, reserved !== undefined);
    renameInto(staging, target);
  } catch (error) {
    discard(staging);
    removeIfEmpty(createdParents);
    throw error;
  }
}

/**
 * Fills the existing empty folder `target`. Staged beside it when a rename from there
 * reaches it, so that a killed run leaves `target` as empty as it was; staged inside it
 * when `target` is a mount point (a rename across file systems fails with EXDEV, as it
 * does out of a bind mount) or its parent is not writable, and then a killed run's
 * staging folder inside `target` is removed by the next run.
 */
function commitIntoEmptyFolder(
  files: readonly ProjectFile[],
  target: string,
  beforeWrite?: BeforeWriteHook,
): void {
  removeStaleStaging(target);
  const parent = dirname(target);
  if (statSync(parent).dev === statSync(target).dev) {
    removeStaleStaging(parent);
    const beside = join(parent, stagingName(basename(target)));
    try {
      stage(files, beside, beforeWrite);
      moveEntriesInto(beside, target);
      return;
    } catch (error) {
      discard(beside);
      if (!CANNOT_STAGE_BESIDE.some((code) => isCode(error, code))) {
        throw error;
      }
    }
  }
  const inside = join(target, stagingName(""));
  try {
    stage(files, inside, beforeWrite);
    moveEntriesInto(inside, target);
  } catch (error) {
    discard(inside);
    throw error;
  }
}

/** Creates the folder `staging` (unless it was reserved) and writes every file into it. */
function stage(
  files: readonly ProjectFile[],
  staging: string,
  beforeWrite?: BeforeWriteHook,
  reserved = false,
): void {
  // Not recursive: Node's recursive mkdir never returns where the kernel refuses with
  // ENOENT (e.g. under /proc). Below the staging folder recursion is safe.
  if (!reserved) {
    mkdirSync(staging);
  }
  files.forEach((file, index) => {
    beforeWrite?.(file.path, index);
    const path = join(staging, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content, { mode: newFileMode(file.content) });
  });
}

/**
 * The staging folder's name for a project in `folder` (empty: inside the target), within
 * the 255 bytes a file name may take: a long folder name is cut, the process id kept.
 */
export function stagingName(folder: string): string {
  const suffix = `${STAGING_MARK}${process.pid}`;
  if (folder === "") {
    return suffix;
  }
  let room = NAME_MAX - Buffer.byteLength(`.${suffix}`);
  let prefix = "";
  for (const character of folder) {
    room -= Buffer.byteLength(character);
    if (room < 0) {
      break;
    }
    prefix += character;
  }
  return `.${prefix}${suffix}`;
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
  const own = basename(staging);
  if (readdirSync(target).some((entry) => entry !== own)) {
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

/** Removes a staging folder; a failure to clean up must not hide why the commit failed. */
function discard(staging: string): void {
  try {
    rmSync(staging, { recursive: true, force: true });
  } catch {
    // Left for the next run, which removes staging folders of dead processes.
  }
}

/** Removes staging folders in `parent` whose process is gone (a run killed mid-commit). */
export function removeStaleStaging(parent: string): void {
  if (!existsSync(parent)) {
    return;
  }
  for (const entry of readdirSync(parent)) {
    const match = STAGING_NAME.exec(entry);
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
