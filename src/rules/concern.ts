import { chain, Rule, SchematicContext, SchematicsException, Tree } from "@angular-devkit/schematics";
import { contentHash, MANIFEST_PATH, readManifest, recordConcern } from "./manifest";
import { templateFiles } from "../templates/render";
import type { TemplateValues } from "../templates/values";
import { touchedContents, validateTree } from "./validate-tree";

/** What every concern schematic accepts. */
export interface ConcernOptions {
  /** Replace files the user changed since QuickScale wrote them. */
  overwrite?: boolean;
}

/** The project's name and the concern's options, handed to its steps. */
export interface ConcernContext {
  name: string;
  overwrite: boolean;
}

/** What a concern adds to writing its `files/`. */
export interface ConcernParts {
  /** Template values besides `name` (e.g. a generated key). */
  values?: TemplateValues;
  /** Edits of files shared with other concerns, run after the files are written. */
  steps?: (project: ConcernContext) => Rule[];
  /** Files of `files/` (project paths, e.g. `tests/test_mfa.py`) not to write this time. */
  skip?: readonly string[];
}

/**
 * A concern applied to the project at the tree root: the same rule builds it inside `init`
 * and adds or refreshes it in an existing project. It refuses a folder without a valid
 * manifest, writes its `files/` where they are missing or unchanged since QuickScale wrote
 * them, runs its own `steps` (edits of shared files), and records itself in the manifest.
 */
export function concern(name: string, options: ConcernOptions, parts: ConcernParts = {}): Rule {
  return (tree: Tree) => {
    const manifest = readManifest(tree);
    const project: ConcernContext = {
      name: manifest.options["name"] ?? "",
      overwrite: options.overwrite === true,
    };
    if (project.name === "") {
      throw new SchematicsException(`.quickscale.json has no project name: restore it from version control.`);
    }
    const values = { ...parts.values, name: project.name };
    const before = touchedContents(tree);
    return chain([
      writeConcernFiles(values, project.overwrite, parts.skip ?? []),
      ...(parts.steps?.(project) ?? []),
      recordAndValidate(name, before),
    ]);
  };
}

/**
 * Records the concern in the manifest with the hash of each file it created or changed,
 * then validates those files and the manifest: only what this concern changed, since
 * inside `init` (or `add teams`, which applies billing again) earlier concerns recorded
 * and checked theirs already. One snapshot of the touched files serves both.
 */
function recordAndValidate(name: string, before: Map<string, Buffer>): Rule {
  return (tree: Tree) => {
    const changed = changedSince(touchedContents(tree), before);
    recordConcern(tree, name, changed);
    const paths = [...changed.keys()];
    if (tree.exists(MANIFEST_PATH) && !paths.includes(`/${MANIFEST_PATH}`)) {
      paths.push(`/${MANIFEST_PATH}`);
    }
    return validateTree("", () => paths.sort());
  };
}

/** The entries of `after` that are new, or changed, since `before` was taken. */
function changedSince(after: Map<string, Buffer>, before: Map<string, Buffer>): Map<string, Buffer> {
  return new Map(
    [...after].filter(([path, now]) => {
      const was = before.get(path);
      return was === undefined || !now.equals(was);
    }),
  );
}

/**
 * A file QuickScale would write over the user's changes: reported with a diff unless
 * `--overwrite` is given.
 */
export class ChangedFilesError extends SchematicsException {
  constructor(readonly diffs: readonly string[]) {
    super(
      `${diffs.length === 1 ? "A file" : `${diffs.length} files`} QuickScale wrote changed since: ` +
        `${diffs.map((diff) => /^--- (\S+)/m.exec(diff)?.[1] ?? "?").join(", ")}. ` +
        `Keep your version (no change is made), or run again with --overwrite to replace it.\n\n${diffs.join("\n")}`,
    );
  }
}

/** Merges the concern's rendered `files/` into the tree, guarding the user's changes. */
function writeConcernFiles(values: TemplateValues, overwrite: boolean, skip: readonly string[]): Rule {
  return async (tree: Tree, context: SchematicContext) => {
    const manifest = readManifest(tree);
    const conflicts: [string, string, string][] = [];
    for (const { path, content } of templateFiles(values, context)) {
      if (skip.includes(path.slice(1))) {
        continue;
      }
      const current = tree.read(path);
      if (current === null) {
        tree.create(path, content);
      } else if (!current.equals(content)) {
        const recorded = manifest.files[path.slice(1)];
        if (overwrite || recorded === contentHash(current)) {
          tree.overwrite(path, content);
        } else {
          conflicts.push([path.slice(1), current.toString("utf-8"), content.toString("utf-8")]);
        }
      }
    }
    if (conflicts.length > 0) {
      // Loaded only when needed: most runs have nothing to show.
      const { unifiedDiff } = await import("./diff");
      throw new ChangedFilesError(conflicts.map(([path, before, after]) => unifiedDiff(path, before, after)));
    }
  };
}
