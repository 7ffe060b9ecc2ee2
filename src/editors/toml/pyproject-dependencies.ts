import { parse as parseToml } from "smol-toml";

/** The name a requirement installs, normalized as PEP 503 compares names. */
export function requirementName(requirement: string): string {
  const name = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement)?.[1] ?? requirement;
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/**
 * `text` (a pyproject.toml) with `requirement` added to `[project].dependencies`, keeping
 * every other byte: the entry goes on its own line, in the alphabetical place of the
 * one-per-line array QuickScale writes. A dependency of that name already there is left
 * as the user has it. A layout it cannot edit safely is refused with the line and what
 * it found.
 */
export function addProjectDependency(text: string, file: string, requirement: string): string {
  const project = (parseToml(text) as { project?: { dependencies?: unknown } }).project;
  const current = Array.isArray(project?.dependencies) ? (project.dependencies as unknown[]) : null;
  if (current === null) {
    throw new Error(`${file}: expected a [project] table with a dependencies array, found none.`);
  }
  const name = requirementName(requirement);
  if (current.some((item) => typeof item === "string" && requirementName(item) === name)) {
    return text;
  }
  const lines = text.split("\n");
  const tableStart = lines.findIndex((line) => line.trim() === "[project]");
  const start = lines.findIndex(
    (line, index) => index > tableStart && /^dependencies\s*=\s*\[\s*(#.*)?\r?$/.test(line),
  );
  const nextTable = lines.findIndex((line, index) => index > tableStart && /^\s*\[/.test(line));
  if (tableStart === -1 || start === -1 || (nextTable !== -1 && start > nextTable)) {
    const line = lines.findIndex((candidate) => /^dependencies\s*=/.test(candidate)) + 1;
    throw new Error(
      `${file}:${line}: expected "dependencies = [" followed by one requirement per line, found ${
        line === 0 ? "no such line" : JSON.stringify(lines[line - 1]?.trim())
      }.`,
    );
  }
  const end = lines.findIndex((line, index) => index > start && /^\]\s*(#.*)?\r?$/.test(line));
  const entries = lines.slice(start + 1, end === -1 ? start + 1 : end);
  if (end === -1 || entries.some((line) => line.trim() !== "" && !/^\s+"[^"]*",\s*(#.*)?\r?$/.test(line))) {
    throw new Error(
      `${file}:${start + 1}: expected a dependencies array with one quoted requirement per line and a trailing comma each, found another layout; add "${requirement}" by hand.`,
    );
  }
  const cr = lines[start]?.endsWith("\r") ? "\r" : "";
  const indent = /^(\s+)/.exec(entries.find((line) => line.trim() !== "") ?? "")?.[1] ?? "    ";
  const position = entries.findIndex((line) => {
    const existing = /"([^"]*)"/.exec(line)?.[1];
    return existing !== undefined && requirementName(existing) > name;
  });
  const at = start + 1 + (position === -1 ? entries.length : position);
  lines.splice(at, 0, `${indent}"${requirement}",${cr}`);
  return lines.join("\n");
}
