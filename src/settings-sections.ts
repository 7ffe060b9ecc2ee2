import { addImport, definesSetting, ImportOptions, setSetting } from "./editors/python";

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
    if (await definesSetting(result, file, setting.name)) {
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
  options: ImportOptions = {},
): Promise<string> {
  let result = source;
  for (const statement of statements) {
    result = await addImport(result, file, statement, options);
  }
  return result;
}
