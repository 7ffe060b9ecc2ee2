/**
 * `.env.example` editing that keeps every byte it does not add: variables are appended,
 * under their section's `# --- Title ---` header, only where the file does not already
 * name them (commented out or not), so a second run and the user's own values are left
 * alone.
 */

/** A documented variable: `NAME=value` under its comment lines (given without `# `). */
export interface EnvVariable {
  readonly name: string;
  readonly value: string;
  readonly comment: string;
}

/** Variables under one `# --- <title> ---…` header. */
export interface EnvSection {
  readonly title: string;
  readonly variables: readonly EnvVariable[];
}

/** The width of the generated header lines (`# --- Django ----…`). */
const HEADER_WIDTH = 85;

/** `text` with the variables of `section` it lacks appended, with their comments. */
export function addEnvSection(text: string, section: EnvSection): string {
  const named = new Set(
    text
      .split(/\r?\n/)
      .map((line) => /^\s*#?\s*([A-Za-z_][A-Za-z0-9_]*)=/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined),
  );
  const missing = section.variables.filter((variable) => !named.has(variable.name));
  if (missing.length === 0) {
    return text;
  }
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const header = `# --- ${section.title} `;
  const hasHeader = text.split(/\r?\n/).some((line) => line.startsWith(header));
  const blocks = missing.map((variable) =>
    [...commentLines(variable.comment), `${variable.name}=${variable.value}`].join(eol),
  );
  if (!hasHeader) {
    blocks.unshift(header.padEnd(HEADER_WIDTH, "-"));
  }
  const separator =
    text === "" || text.endsWith(`${eol}${eol}`) ? "" : text.endsWith(eol) ? eol : `${eol}${eol}`;
  return `${text}${separator}${blocks.join(`${eol}${eol}`)}${eol}`;
}

function commentLines(comment: string): string[] {
  return comment === "" ? [] : comment.split("\n").map((line) => (line === "" ? "#" : `# ${line}`));
}
