import { SchematicsException, Tree } from "@angular-devkit/schematics";
import { lstatSync, readdirSync, readlinkSync, statSync } from "node:fs";
import { dirname, isAbsolute, normalize, relative, sep } from "node:path";
import { isCode } from "../base/errors";

/**
 * The project folder relative to the tree root, which is the current folder under the
 * stock `schematics` CLI. Our bin roots the tree at the target's parent and passes a plain
 * folder name, so only the stock CLI can meet the refusals below.
 */
export function projectDirectory(name: string, directory: string | undefined, cwd = process.cwd()): string {
  const wanted = directory ?? name;
  if (wanted.trim() === "") {
    throw new SchematicsException("The --directory option is empty: name the folder to create.");
  }
  const rel = normalize(isAbsolute(wanted) ? relative(cwd, wanted) : wanted)
    .split(sep)
    .join("/")
    .replace(/\/+$/, "");
  if (rel === "" || rel === ".") {
    throw new SchematicsException(
      `--directory "${wanted}" is the current folder: name a new folder, e.g. --directory ${name}.`,
    );
  }
  if (rel === ".." || rel.startsWith("../")) {
    throw new SchematicsException(
      `--directory "${wanted}" is outside the current folder: run from its parent folder, or use "quickscale init", which accepts any path.`,
    );
  }
  return rel;
}

/** Refuses a target that is a file, lies under a file, or is a non-empty folder. */
export function assertTargetIsFree(tree: Tree, directory: string): void {
  const parts = directory.split("/");
  for (let i = 1; i <= parts.length; i++) {
    const path = parts.slice(0, i).join("/");
    if (tree.exists(path)) {
      const what =
        i === parts.length ? `"${path}" is a file` : `"${path}", a parent of "${directory}", is a file`;
      throw new SchematicsException(`Cannot create the project: ${what}. Choose another --directory.`);
    }
  }
  const dir = tree.getDir(directory);
  if (dir.subfiles.length > 0 || dir.subdirs.length > 0) {
    throw new SchematicsException(
      `Cannot create the project: "${directory}" already exists and is not empty. Choose another --directory or remove it.`,
    );
  }
}

/**
 * Our bin's checks of the real target before anything runs (the schematic repeats the
 * simple ones on its tree): no parent of `target` is a file or a symbolic link that leads
 * nowhere, and `target` itself is missing or an empty folder (a staging folder a killed run
 * left inside it is removed first). Each refusal names the path at fault and what to do.
 */
export function assertTargetOnDiskIsFree(target: string, removeStale: (dir: string) => void): void {
  const paths = ancestorsOf(target);
  for (const path of paths) {
    const what = path === target ? `"${path}"` : `"${path}", a parent of "${target}",`;
    const kind = entryKind(path);
    if (kind === "missing") {
      return;
    }
    if (kind === "dangling" || kind === "loop") {
      const link = readlinkSync(path);
      const problem =
        kind === "loop"
          ? `is a symbolic link that loops (through "${link}")`
          : `is a symbolic link to "${link}", which does not exist`;
      throw new Error(
        `Cannot create the project: ${what} ${problem}. Remove the link or choose another --directory.`,
      );
    }
    if (kind === "file") {
      throw new Error(`Cannot create the project: ${what} is a file. Choose another --directory.`);
    }
  }
  removeStale(target);
  if (readdirSync(target).length > 0) {
    throw new Error(
      `Cannot create the project: "${target}" already exists and is not empty. Choose another --directory or remove it.`,
    );
  }
}

/** `path` and each folder above it, outermost first (the root itself excepted). */
function ancestorsOf(path: string): string[] {
  const paths: string[] = [];
  for (let current = path; current !== dirname(current); current = dirname(current)) {
    paths.unshift(current);
  }
  return paths;
}

/** What is at `path`, following symbolic links, and telling apart those that lead nowhere. */
function entryKind(path: string): "missing" | "dangling" | "loop" | "file" | "folder" {
  let isLink: boolean;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch {
    return "missing";
  }
  try {
    return statSync(path).isDirectory() ? "folder" : "file";
  } catch (error) {
    if (!isLink) {
      return "missing";
    }
    return isCode(error, "ELOOP") ? "loop" : "dangling";
  }
}
