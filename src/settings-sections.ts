import { addImport, setSetting } from "./editors/python";
import { pythonParser } from "./python-parser";

/** A top-level `NAME = value` setting and the comment lines above it (without `# `). */
export interface SettingSpec {
  readonly name: string;
  readonly value: string;
  readonly comment: string;
}

/** Settings under a `# TITLE` / `# ----` header, as the generated settings modules group them. */
export interface SettingsSectionSpec {
  readonly title: string;
  readonly comment: string;
  readonly settings: readonly SettingSpec[];
}

const RULE = "-".repeat(78);

/**
 * Adds the settings of `section` that the module does not define yet, the first of them
 * under the section's header. A setting already there is left as the user has it: a
 * module never overrides a value the user chose.
 */
export async function addSettingsSection(
  source: string,
  file: string,
  section: SettingsSectionSpec,
): Promise<string> {
  let result = source;
  let first = true;
  for (const setting of section.settings) {
    if (await definesSetting(result, setting.name)) {
      continue;
    }
    // The section's header, then (after an empty comment line) the setting's own comment.
    const header = first
      ? [section.title, RULE, ...(section.comment === "" ? [] : [section.comment, ""])]
      : [];
    result = await setSetting(result, file, setting.name, setting.value, {
      comment: [...header, setting.comment].join("\n"),
    });
    first = false;
  }
  return result;
}

/** `source` with each import statement ensured. */
export async function addImports(
  source: string,
  file: string,
  statements: readonly string[],
): Promise<string> {
  let result = source;
  for (const statement of statements) {
    result = await addImport(result, file, statement);
  }
  return result;
}

/** Whether the module assigns `name` at top level (`NAME = …` or `NAME: T = …`). */
export async function definesSetting(source: string, name: string): Promise<boolean> {
  const parser = await pythonParser();
  const tree = parser.parse(source);
  if (tree === null) {
    return false;
  }
  try {
    return tree.rootNode.namedChildren.some((statement) => {
      const assignment = statement?.type === "expression_statement" ? statement.namedChildren[0] : null;
      return assignment?.type === "assignment" && assignment.childForFieldName("left")?.text === name;
    });
  } finally {
    tree.delete();
  }
}
