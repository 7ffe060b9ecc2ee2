import { Rule, SchematicsException, Tree } from "@angular-devkit/schematics";
import { readManifest } from "./manifest";

/**
 * Refuses, in one line and before anything is written, to add `module` to a project that
 * lacks `required` (as the manifest records it): e.g. billing's pages need auth's sign-in.
 */
export function requireModule(module: string, required: string): Rule {
  return (tree: Tree) => {
    if (readManifest(tree).concerns[required] === undefined) {
      throw new SchematicsException(
        `${module} needs ${required}, which this project does not have yet: run "quickscale add ${required}" first.`,
      );
    }
  };
}
