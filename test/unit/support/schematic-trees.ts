import { Tree } from "@angular-devkit/schematics";
import { SchematicTestRunner } from "@angular-devkit/schematics/testing";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../../src/base/version";

/** QuickScale's own collection, run by the devkit's test runner. */
export const runner = new SchematicTestRunner("quickscale", join(PACKAGE_ROOT, "collection.json"));

/** Every file of `tree`, path → text. */
export function filesOf(tree: Tree): Record<string, string> {
  const files: Record<string, string> = {};
  tree.visit((path, entry) => {
    if (entry) files[path] = entry.content.toString("utf-8");
  });
  return files;
}

/** A tree holding exactly `files` (path → text). */
export function treeOf(files: Record<string, string>): Tree {
  const tree = Tree.empty();
  for (const [path, content] of Object.entries(files)) tree.create(path, content);
  return tree;
}
