import { addImport, definesSetting, ImportOptions, setSetting } from "./";
import { statementsOf, withModule } from "./syntax";
import { pythonParser } from "./parser";

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

/** A header's rule line, `# ----...`. */
const RULE_LINE = /^#\s*-{3,}\s*$/;

/**
 * Adds the settings of `section` that the module does not define yet. Without the
 * section's header (`# TITLE` then its rule line) in the module, the first of them comes
 * under a new header at the end; with it (a module run before, e.g. `add auth` then
 * `add auth --mfa`), they go at the end of that section, before the next header. A
 * setting already there is left as the user has it: a module never overrides a value the
 * user chose.
 */
export async function addSettingsSection(
  source: string,
  file: string,
  section: SettingsSectionSpec,
): Promise<string> {
  let result = source;
  for (const setting of section.settings) {
    if (await definesSetting(result, file, setting.name)) {
      continue;
    }
    const end = await sectionEnd(result, file, section.title);
    if (end === "absent") {
      // The section's header, then (after an empty comment line) the setting's own comment.
      const header = [section.title, RULE, ...(section.comment === "" ? [] : [section.comment, ""])];
      result = await setSetting(result, file, setting.name, setting.value, {
        comment: [...header, setting.comment].join("\n"),
      });
    } else if (end === "last") {
      result = await setSetting(result, file, setting.name, setting.value, { comment: setting.comment });
    } else {
      // Set in the section's text alone, which ends with it; the blank lines before the next header kept.
      const before = result.slice(0, end);
      const content = before.replace(/\s+$/, "");
      const eol = before.includes("\r\n") ? "\r\n" : "\n";
      const edited = await setSetting(`${content}${eol}`, file, setting.name, setting.value, {
        comment: setting.comment,
      });
      result = `${edited.replace(/\s+$/, "")}${before.slice(content.length)}${result.slice(end)}`;
    }
  }
  return result;
}

/**
 * Where the section titled `title` ends in `source`: the start of the line of the next
 * header after it (a rule line, with the `# TITLE` line right above it if any), "last" when
 * no header follows, "absent" without the section's own header. Only comments between
 * top-level statements count, not lines inside a statement (e.g. a string).
 */
async function sectionEnd(source: string, file: string, title: string): Promise<number | "absent" | "last"> {
  const parser = await pythonParser();
  const inStatements = withModule(parser, source, file, (root) => {
    const rows = new Set<number>();
    for (const statement of statementsOf(root)) {
      for (let row = statement.startPosition.row; row <= statement.endPosition.row; row++) {
        rows.add(row);
      }
    }
    return rows;
  });
  const raw = source.split("\n");
  const lines = raw.map((line) => line.replace(/\r$/, ""));
  const isRule = (row: number) => !inStatements.has(row) && RULE_LINE.test(lines[row] ?? "");
  const titleLine = `# ${title}`;
  const header = lines.findIndex(
    (line, row) => line.trim() === titleLine && !inStatements.has(row) && isRule(row + 1),
  );
  if (header === -1) {
    return "absent";
  }
  for (let row = header + 2; row < lines.length; row++) {
    if (isRule(row)) {
      const above = lines[row - 1] ?? "";
      const start =
        row - 1 > header + 1 && !inStatements.has(row - 1) && /^#\s*\S/.test(above) ? row - 1 : row;
      return raw.slice(0, start).reduce((offset, line) => offset + line.length + 1, 0);
    }
  }
  return "last";
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
