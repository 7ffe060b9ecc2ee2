import { chain, Rule, SchematicContext, Tree } from "@angular-devkit/schematics";
import { PYPROJECT_PATH } from "./pyproject-tables";
import { readSchematicAsset } from "../../templates/assets";

/** The project's lock file, relative to the tree root (the project). */
export const UV_LOCK_PATH = "uv.lock";

/**
 * The project name the shipped lock was made for (by `npm run lock:python`, which renders
 * the core pyproject.toml with it): {@link renderUvLock} puts the real name in its place.
 * Keep in step with scripts/lock-python.mjs.
 */
export const LOCK_PLACEHOLDER_NAME = "quickscale-placeholder";

const PACKAGE_SEPARATOR = "\n[[package]]\n";

/** A name as uv writes it in uv.lock: PEP 503's normalized form (`Shop_API` → `shop-api`). */
export function normalizedPackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/**
 * The shipped uv.lock for the project `name`: the entry of the editable project (the
 * placeholder's) renamed, and the packages sorted again by name, as `uv lock` writes them,
 * so that uv finds the file up to date and leaves it byte for byte as it is.
 */
export function renderUvLock(template: string, name: string): string {
  const [head = "", ...packages] = template.split(PACKAGE_SEPARATOR);
  const placeholder = `name = "${LOCK_PLACEHOLDER_NAME}"\n`;
  const renamed = packages.map((entry) =>
    entry.startsWith(placeholder) && entry.includes('\nsource = { editable = "." }\n')
      ? `name = "${normalizedPackageName(name)}"\n${entry.slice(placeholder.length)}`
      : entry,
  );
  if (renamed.every((entry, index) => entry === packages[index])) {
    throw new Error(
      `The shipped uv.lock has no entry for ${LOCK_PLACEHOLDER_NAME}: run npm run lock:python.`,
    );
  }
  const keyed = renamed.map((entry) => ({ entry, name: /^name = "([^"]+)"/.exec(entry)?.[1] ?? "" }));
  keyed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [head, ...keyed.map((item) => item.entry)].join(PACKAGE_SEPARATOR);
}

/** Writes the project's uv.lock, rendered from the core schematic's `uv.lock` asset. */
export function createUvLock(name: string): Rule {
  return (tree: Tree, context: SchematicContext) => {
    tree.create(UV_LOCK_PATH, renderUvLock(readSchematicAsset(context, UV_LOCK_PATH, { name }), name));
  };
}

/**
 * `edit` (a rule that may change pyproject.toml's dependencies), then, when it did and the
 * project has a uv.lock, an info line saying the lock is stale and the one command to run.
 * The stock schematics CLI shows it; our bin shows no info lines and runs `uv lock` itself
 * after writing (src/cli/python-lock.ts).
 */
export function remindingToRelock(edit: Rule): Rule {
  let before: string | null = null;
  return chain([
    (tree: Tree) => {
      before = tree.exists(PYPROJECT_PATH) ? tree.readText(PYPROJECT_PATH) : null;
    },
    edit,
    (tree: Tree, context: SchematicContext) => {
      const after = tree.exists(PYPROJECT_PATH) ? tree.readText(PYPROJECT_PATH) : null;
      if (tree.exists(UV_LOCK_PATH) && after !== before) {
        context.logger.info(
          `${UV_LOCK_PATH} no longer matches ${PYPROJECT_PATH}: run "uv lock" and commit it (quickscale add runs it when uv is installed).`,
        );
      }
    },
  ]);
}
