import { Rule, SchematicsException, Tree } from "@angular-devkit/schematics";

/**
 * A rule that rewrites one project file through an editor (Python, TOML, .env …): the
 * file must exist, and is overwritten only when the editor changed it, so a second run
 * changes nothing.
 */
export function editFile(
  path: string,
  edit: (text: string, path: string, tree: Tree) => string | Promise<string>,
): Rule {
  return async (tree: Tree) => {
    if (!tree.exists(path)) {
      throw new SchematicsException(
        `${path}: expected this file of a QuickScale project, found none. Restore it, then run again.`,
      );
    }
    const text = tree.readText(path);
    const edited = await edit(text, path, tree);
    if (edited !== text) {
      tree.overwrite(path, edited);
    }
  };
}
