import {
  apply,
  chain,
  empty,
  MergeStrategy,
  mergeWith,
  move,
  noop,
  Rule,
  schematic,
  SchematicContext,
  Tree,
} from "@angular-devkit/schematics";
import { RepositoryInitializerTask } from "@angular-devkit/schematics/tasks";
import { writeManifest } from "../../src/manifest";
import { assertValidProjectName } from "../../src/project-name";
import { assertTargetIsFree, projectDirectory } from "../../src/target-directory";
import { validateTree } from "../../src/validate-tree";
import { Schema } from "./schema";

/** The concerns a new project is made of, in the order they are applied. */
export const PROJECT_CONCERNS = [
  "core",
  "settings",
  "users",
  "frontend",
  "pytest",
  "quality",
  "docs",
] as const;

/**
 * A complete Django project in a new folder. Like Angular's `ng-new`, the project is built
 * in an empty tree by the concern schematics and moved into place; the result is validated
 * as a whole before the tree is committed, so a failing rule writes nothing.
 */
export default function init(options: Schema): Rule {
  return (tree: Tree) => {
    assertValidProjectName(options.name);
    const directory = projectDirectory(options.name, options.directory);
    assertTargetIsFree(tree, directory);
    return chain([
      mergeWith(
        apply(empty(), [
          ...PROJECT_CONCERNS.map((concern) => schematic(concern, { name: options.name })),
          writeManifest({ name: options.name }, PROJECT_CONCERNS),
          move(directory),
        ]),
        MergeStrategy.Error,
      ),
      validateTree(directory),
      options.skipGit ? noop() : initialCommit(directory),
    ]);
  };
}

/** `git init` and a first commit once the files are on disk (skipped quietly without git). */
function initialCommit(directory: string): Rule {
  return (_tree: Tree, context: SchematicContext) => {
    context.addTask(new RepositoryInitializerTask(directory, { message: "Initial commit from QuickScale" }));
  };
}
