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
import { spawnSync } from "node:child_process";
import { startManifest } from "../../src/rules/manifest";
import { assertValidProjectName } from "../../src/names/project-name";
import { assertTargetIsFree, projectDirectory } from "../../src/commit/target-directory";
import { validatePaths } from "../../src/rules/validate-tree";
import { Schema } from "./schema";

/**
 * The concerns a new project is made of, in the order they are applied: docs writes the
 * README that later concerns add their sections to.
 */
export const PROJECT_CONCERNS = [
  "core",
  "docs",
  "settings",
  "users",
  "frontend",
  "pytest",
  "quality",
  "docker",
  "ci",
] as const;

/**
 * A complete Django project in a new folder. Like Angular's `ng-new`, the project is built
 * in an empty tree by the concern schematics and moved into place; each concern validates
 * what it wrote, and no file may leave the target, before the tree is committed, so a
 * failing rule writes nothing.
 */
export default function init(options: Schema): Rule {
  return (tree: Tree) => {
    assertValidProjectName(options.name);
    const directory = projectDirectory(options.name, options.directory);
    assertTargetIsFree(tree, directory);
    return chain([
      mergeWith(
        apply(empty(), [
          startManifest({ name: options.name }),
          ...PROJECT_CONCERNS.map((concern) => schematic(concern, {})),
          move(directory),
        ]),
        MergeStrategy.Error,
      ),
      // Each concern validated the contents it wrote; what is left is where they go.
      validatePaths(directory),
      options.skipGit ? noop() : initialCommit(directory),
    ]);
  };
}

/**
 * `git init` and a first commit once the files are on disk, through the devkit's task (the
 * stock CLI's way; our bin runs git itself). Skipped with a note when git is missing: the
 * task would crash the CLI with a stack trace (it spawns git without an error handler).
 */
function initialCommit(directory: string): Rule {
  return (_tree: Tree, context: SchematicContext) => {
    const git = spawnSync("git", ["--version"], { stdio: "ignore" });
    if (git.error !== undefined) {
      context.logger.info(
        "git was not found on PATH: the project has no repository (run git init there later).",
      );
      return;
    }
    context.addTask(new RepositoryInitializerTask(directory, { message: "Initial commit from QuickScale" }));
  };
}
