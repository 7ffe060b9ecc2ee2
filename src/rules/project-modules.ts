import { Tree } from "@angular-devkit/schematics";

/**
 * The project's own top-level Python modules, as ruff's isort finds them (its `src` is
 * the project root): every folder and `.py` file at the root of `tree`, e.g. the project
 * package, `tests` and `manage`. Imports of these go in the first-party section.
 */
export function projectModules(tree: Tree): string[] {
  const root = tree.getDir("/");
  const folders = root.subdirs.map(String).filter((name) => !name.startsWith("."));
  const modules = root.subfiles.map(String).filter((name) => name.endsWith(".py"));
  return [...folders, ...modules.map((name) => name.slice(0, -".py".length))].sort();
}
