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
 * user chose. With `options.before`, a new header goes right before that section's header
 * when the module has it (so two modules' sections keep one order whichever came first).
 */
export async function addSettingsSection(
  source: string,
  file: string,
  section: SettingsSectionSpec,
  options: { before?: string } = {},
): Promise<string> {
  let result = source;
  for (const setting of section.settings) {
    if (await definesSetting(result, file, setting.name)) {
      continue;
    }
    const end = await sectionEnd(result, file, section.title);
    const next =
      end === "absent" && options.before !== undefined
        ? await sectionStart(result, file, options.before)
        : null;
    if (next !== null) {
      const header = [section.title, RULE, ...(section.comment === "" ? [] : [section.comment, ""])];
      result = await setInPrefix(result, file, next, setting, [...header, setting.comment].join("\n"));
    } else if (end === "absent") {
      // The section's header, then (after an empty comment line) the setting's own comment.
      const header = [section.title, RULE, ...(section.comment === "" ? [] : [section.comment, ""])];
      result = await setSetting(result, file, setting.name, setting.value, {
        comment: [...header, setting.comment].join("\n"),
      });
    } else if (end === "last") {
      result = await setSetting(result, file, setting.name, setting.value, { comment: setting.comment });
    } else {
      result = await setInPrefix(result, file, end, setting, setting.comment);
    }
  }
  return result;
}

/**
 * `source` with `setting` set at the end of its text before `offset` (the start of a
 * header's line): set in that text alone, which ends with it; the blank lines before the
 * header kept.
 */
async function setInPrefix(
  source: string,
  file: string,
  offset: number,
  setting: SettingSpec,
  comment: string,
): Promise<string> {
  const before = source.slice(0, offset);
  const content = before.replace(/\s+$/, "");
  const eol = before.includes("\r\n") ? "\r\n" : "\n";
  const edited = await setSetting(`${content}${eol}`, file, setting.name, setting.value, { comment });
  return `${edited.replace(/\s+$/, "")}${before.slice(content.length)}${source.slice(offset)}`;
}

/** Where the header of the section titled `title` starts in `source`, or null without it. */
async function sectionStart(source: string, file: string, title: string): Promise<number | null> {
  const row = await headerRow(source, file, title);
  return row === -1
    ? null
    : source
        .split("\n")
        .slice(0, row)
        .reduce((offset, line) => offset + line.length + 1, 0);
}

/** The row of the `# TITLE` line of the section titled `title` in `source`, -1 without it. */
async function headerRow(source: string, file: string, title: string): Promise<number> {
  const { lines, inStatements, isRule } = await commentLines(source, file);
  const titleLine = `# ${title}`;
  return lines.findIndex(
    (line, row) => line.trim() === titleLine && !inStatements.has(row) && isRule(row + 1),
  );
}

/** The lines of `source`, the rows inside its top-level statements, and which rows are rule lines. */
async function commentLines(source: string, file: string) {
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
  const lines = source.split("\n").map((line) => line.replace(/\r$/, ""));
  const isRule = (row: number) => !inStatements.has(row) && RULE_LINE.test(lines[row] ?? "");
  return { lines, inStatements, isRule };
}

/**
 * Where the section titled `title` ends in `source`: the start of the line of the next
 * header after it (a rule line, with the `# TITLE` line right above it if any), "last" when
 * no header follows, "absent" without the section's own header. Only comments between
 * top-level statements count, not lines inside a statement (e.g. a string).
 */
async function sectionEnd(source: string, file: string, title: string): Promise<number | "absent" | "last"> {
  const { lines, inStatements, isRule } = await commentLines(source, file);
  const raw = source.split("\n");
  const header = await headerRow(source, file, title);
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
