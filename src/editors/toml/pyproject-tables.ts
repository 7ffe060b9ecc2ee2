import { Rule, SchematicContext, SchematicsException, Tree } from "@angular-devkit/schematics";
import { isDeepStrictEqual } from "node:util";
import { parse as parseToml, TomlTable } from "smol-toml";
import { readSchematicAsset } from "../../templates/assets";
import type { TemplateValues } from "../../templates/values";

/** The project's pyproject.toml, relative to the tree root (the project). */
export const PYPROJECT_PATH = "pyproject.toml";

/**
 * Appends a concern's `[tool.*]` tables (its `pyproject.toml` or `pyproject.toml.template`
 * asset) to the project's pyproject.toml, leaving every existing byte as it is. Idempotent:
 * tables already present with the same values are left alone; a table present with other
 * values is refused, since it is the user's.
 */
export function addPyprojectTables(asset: string, values: TemplateValues): Rule {
  return (tree: Tree, context: SchematicContext) => {
    const fragment = readSchematicAsset(context, asset, values);
    const existing = tree.readText(PYPROJECT_PATH);
    const updated = appendTomlTables(existing, fragment, PYPROJECT_PATH);
    if (updated !== existing) {
      tree.overwrite(PYPROJECT_PATH, updated);
    }
  };
}

/** `existing` with the second-level tables of `fragment` (e.g. `tool.ruff`) appended. */
export function appendTomlTables(existing: string, fragment: string, file: string): string {
  const current = parseToml(existing);
  const added = parseToml(fragment);
  let missing = 0;
  let total = 0;
  for (const [top, tables] of Object.entries(added)) {
    for (const [name, value] of Object.entries(asTable(tables))) {
      total++;
      const present = asTable(current[top])[name];
      if (present === undefined) {
        missing++;
      } else if (!isDeepStrictEqual(present, value)) {
        throw new SchematicsException(
          `${file}: [${top}.${name}] already exists with other values; remove it or merge it by hand, then run again.`,
        );
      }
    }
  }
  if (missing === 0) {
    return existing;
  }
  if (missing !== total) {
    throw new SchematicsException(
      `${file}: some of the tables QuickScale adds are present and some are not; remove the partial ones, then run again.`,
    );
  }
  const separator = existing.endsWith("\n\n") ? "" : existing.endsWith("\n") ? "\n" : "\n\n";
  return `${existing}${separator}${fragment.trimEnd()}\n`;
}

function asTable(value: unknown): TomlTable {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as TomlTable) : {};
}
