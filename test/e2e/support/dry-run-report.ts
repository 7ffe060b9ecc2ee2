/**
 * What `quickscale add <module> --dry-run` (and the real run) print: one `UPDATE <path>`
 * line per changed file, followed on a dry run by its unified diff (`--- <path>`,
 * `+++ <path>`, hunks), and one `CREATE <path> (<n> bytes)` line per new file.
 */
export interface ChangeReport {
  /** The updated files, each with the diff printed under it ("" when none was). */
  updates: Map<string, string>;
  /** The created files. */
  creates: string[];
}

/** A line of a unified diff: a hunk header, a context, added or removed line, or "\ No newline…". */
const DIFF_LINE = /^(?:@@ |[ +\\-])/;

/** The files `output` reports as updated and created, with the diff under each update. */
export function parseChangeReport(output: string): ChangeReport {
  const updates = new Map<string, string>();
  const creates: string[] = [];
  let current: { path: string; lines: string[] } | null = null;
  const close = (): void => {
    if (current !== null) {
      updates.set(current.path, current.lines.length === 0 ? "" : `${current.lines.join("\n")}\n`);
      current = null;
    }
  };
  for (const line of output.split("\n")) {
    if (current !== null && DIFF_LINE.test(line)) {
      current.lines.push(line);
      continue;
    }
    close();
    const update = /^UPDATE (\S+)$/.exec(line);
    const create = /^CREATE (\S+) \(\d+ bytes\)$/.exec(line);
    if (update?.[1] !== undefined) {
      current = { path: update[1], lines: [] };
    } else if (create?.[1] !== undefined) {
      creates.push(create[1]);
    }
  }
  close();
  return { updates, creates };
}
