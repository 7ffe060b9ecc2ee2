import { accessSync, constants, lstatSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
import { isCode } from "../base/errors";

/**
 * The rules for every path QuickScale writes, deletes, backs up or shows in an existing
 * project: the project folder is untrusted (docs/architecture.md, "The project folder is untrusted"), so a path is used only when its
 * real location, symbolic links resolved, is inside the project's real path and not under
 * `.git/`.
 */

/** The project's real path (symbolic links resolved): what real locations are compared with. */
export function projectRealPath(root: string): string {
  return realpathSync.native(root);
}

/** Why a relative project path is not acceptable as written (absolute, `..`, `.git`), or null. */
export function pathShapeProblem(path: string): string | null {
  if (path === "" || isAbsolute(path) || path.includes("\0") || path.includes("\\")) {
    return "is not a relative path inside the project";
  }
  const parts = path.split("/");
  if (parts.some((part) => part === "" || part === "." || part === "..")) {
    return "is not a plain path inside the project";
  }
  if (parts.some((part) => part.toLowerCase() === ".git")) {
    return "is under .git/";
  }
  return null;
}

/** Whether the absolute real path `real` is inside `projectReal` (itself excluded) and not under its `.git`. */
export function isInsideProject(projectReal: string, real: string): boolean {
  const rel = relative(projectReal, real);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) {
    return false;
  }
  const first = rel.split(sep)[0] ?? "";
  return first.toLowerCase() !== ".git";
}

/**
 * Where `absolute` really is: its real path when it exists, else the real path of its
 * deepest existing ancestor joined with the rest. A dangling symbolic link gives null
 * (it leads nowhere yet, so nothing is read through it). Throws a one-line error naming
 * `shown` when an ancestor is a file where a folder is expected.
 */
export function realLocation(absolute: string, shown: string): string | null {
  const rest: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return join(realpathSync.native(current), ...rest);
    } catch (error) {
      if (!isCode(error, "ENOENT") && !isCode(error, "ENOTDIR")) {
        throw error;
      }
    }
    if (isSymbolicLink(current)) {
      if (rest.length === 0) {
        return null;
      }
      // A dangling link on the way: where the rest would land cannot be known.
      throw new Error(
        `"${shown}" goes through a symbolic link that leads nowhere; remove it, then run again.`,
      );
    }
    const parent = dirname(current);
    if (parent === current) {
      return join(current, ...rest);
    }
    rest.unshift(basename(current));
    current = parent;
  }
}

function isSymbolicLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The kind of a project path as it is on disk now (never following a final symbolic link),
 * or a one-line error when it cannot hold a file QuickScale writes: the path or a folder on
 * its way is a file, a link leading outside the project or under `.git/`, or the path
 * itself is a link, a folder or a special file.
 */
export function assertWritableTarget(root: string, projectReal: string, path: string): "file" | "absent" {
  const shape = pathShapeProblem(path);
  if (shape !== null) {
    throw new Error(`"${path}" ${shape}; QuickScale writes only inside the project, never under .git/.`);
  }
  const parts = path.split("/");
  for (let depth = 1; depth < parts.length; depth++) {
    const folder = parts.slice(0, depth).join("/");
    const kind = lstatKind(join(root, folder));
    if (kind === "absent") {
      break;
    }
    if (kind !== "directory" && kind !== "symlink") {
      throw new Error(
        `"${folder}" is a file where QuickScale needs a folder (to write "${path}"): rename or remove it, then run again.`,
      );
    }
  }
  const parentReal = realLocation(join(root, dirname(path)), path);
  if (parentReal === null || !isInsideProject(projectReal, join(parentReal, "x"))) {
    throw new Error(
      `"${path}" leads outside the project or into .git/ through a symbolic link; QuickScale does not write through it: replace the link with a real folder, then run again.`,
    );
  }
  const kind = lstatKind(join(root, path));
  if (kind === "symlink") {
    throw new Error(
      `"${path}" is a symbolic link; QuickScale does not write through links: replace it with a regular file (or remove it), then run again.`,
    );
  }
  if (kind === "directory") {
    throw new Error(
      `"${path}" is a folder where QuickScale writes a file: rename or remove it, then run again.`,
    );
  }
  if (kind === "other") {
    throw new Error(`"${path}" is not a regular file: rename or remove it, then run again.`);
  }
  // A read-only file is the user's way of saying "leave it": replacing it by rename would
  // succeed, so say it before anything is written. A read-only folder would fail mid-commit.
  if (kind === "file" && !isWritable(join(root, path))) {
    throw new Error(`"${path}" is read-only: make it writable (chmod u+w "${path}"), then run again.`);
  }
  const folder = deepestExisting(root, dirname(path));
  if (!isWritable(join(root, folder))) {
    throw new Error(
      `The folder "${folder}" is read-only, so "${path}" cannot be written: make it writable (chmod u+w "${folder}"), then run again.`,
    );
  }
  return kind;
}

function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The deepest folder of `dir` (relative to `root`) that exists: where a write creates folders. */
function deepestExisting(root: string, dir: string): string {
  let current = dir;
  while (current !== "." && lstatKind(join(root, current)) === "absent") {
    current = dirname(current);
  }
  return current;
}

/** What is at `path`, without following a final symbolic link. */
export function lstatKind(path: string): "file" | "directory" | "symlink" | "other" | "absent" {
  try {
    const stat = lstatSync(path);
    return stat.isFile()
      ? "file"
      : stat.isDirectory()
        ? "directory"
        : stat.isSymbolicLink()
          ? "symlink"
          : "other";
  } catch (error) {
    if (isCode(error, "ENOENT") || isCode(error, "ENOTDIR")) {
      return "absent";
    }
    throw error;
  }
}
