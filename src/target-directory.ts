import { SchematicsException, Tree } from "@angular-devkit/schematics";
import { isAbsolute, normalize, relative, sep } from "node:path";

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
