/**
 * Reading shell commands out of a Markdown document (the generated README), so a spec can
 * run exactly what the document tells its reader to type.
 */

/** A fenced code block line: three or more backticks or tildes, then an optional info string. */
const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

/**
 * The body of the section whose heading starts with `heading` (given with its `#`s, e.g.
 * `### With uv`): every line after the heading up to the next heading of the same or a
 * higher level. Lines inside code blocks never count as headings (a `# comment` in a bash
 * block is not one). Throws, naming the heading, when there is no such section.
 */
export function markdownSection(markdown: string, heading: string): string {
  const wanted = HEADING.exec(heading);
  if (wanted?.[1] === undefined || wanted[2] === undefined) {
    throw new Error(`Not a Markdown heading: ${heading}`);
  }
  const level = wanted[1].length;
  const title = wanted[2];
  const body: string[] = [];
  let inside = false;
  let fence: string | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const fenceMatch = FENCE.exec(line);
    if (fence === undefined) {
      const match = HEADING.exec(line);
      if (match?.[1] !== undefined && match[2] !== undefined) {
        if (inside && match[1].length <= level) {
          break;
        }
        if (!inside && match[1].length === level && match[2].startsWith(title)) {
          inside = true;
          continue;
        }
      }
      if (fenceMatch?.[1] !== undefined) {
        fence = fenceMatch[1];
      }
    } else if (fenceMatch?.[1] !== undefined && fenceMatch[1].startsWith(fence) && fenceMatch[2] === "") {
      fence = undefined;
    }
    if (inside) {
      body.push(line);
    }
  }
  if (!inside) {
    throw new Error(`The README has no section "${heading}".`);
  }
  return body.join("\n");
}

/** The contents of the fenced code blocks in `markdown` whose info string is `language`, in order. */
export function codeBlocks(markdown: string, language: string): string[] {
  const blocks: string[] = [];
  let fence: string | undefined;
  let current: string[] | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const match = FENCE.exec(line);
    if (fence === undefined) {
      if (match?.[1] !== undefined) {
        fence = match[1];
        current = match[2] === language ? [] : undefined;
      }
    } else if (match?.[1] !== undefined && match[1].startsWith(fence) && match[2] === "") {
      if (current !== undefined) {
        blocks.push(current.join("\n"));
      }
      fence = undefined;
      current = undefined;
    } else {
      current?.push(line);
    }
  }
  return blocks;
}

/** The first `bash` code block of the section under `heading`; throws when it has none. */
export function firstBashBlock(markdown: string, heading: string): string {
  const block = codeBlocks(markdownSection(markdown, heading), "bash")[0];
  if (block === undefined) {
    throw new Error(`The README's section "${heading}" has no bash code block.`);
  }
  return block;
}

/** One command line of a code block, split as a POSIX shell would split it. */
export interface ShellCommand {
  /** The line as the README writes it. */
  line: string;
  /** Leading `NAME=value` assignments: the command's own environment additions. */
  env: Record<string, string>;
  /** The command and its arguments, quotes removed. */
  argv: string[];
}

/**
 * The commands of a bash block, one per line (a trailing `\` continues a line; blank lines
 * and `#` comments are skipped). Throws for anything that is more than a simple command, so
 * a README that starts using pipes, expansions or `&&` fails loudly instead of being run
 * differently from the way a shell would run it.
 */
export function blockCommands(block: string): ShellCommand[] {
  const lines: string[] = [];
  let pending = "";
  for (const raw of block.split("\n")) {
    const joined = pending + raw;
    if (joined.endsWith("\\")) {
      pending = `${joined.slice(0, -1)} `;
      continue;
    }
    pending = "";
    const line = joined.trim();
    if (line !== "" && !line.startsWith("#")) {
      lines.push(line);
    }
  }
  if (pending.trim() !== "") {
    throw new Error(`A bash block ends inside a continued line: ${pending}`);
  }
  return lines.map(parseCommand);
}

/** Splits one simple command line into its assignments and words. */
export function parseCommand(line: string): ShellCommand {
  const words = shellWords(line);
  const env: Record<string, string> = {};
  let first = 0;
  for (const word of words) {
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(word.text);
    if (word.quotedName || assignment?.[1] === undefined || assignment[2] === undefined) {
      break;
    }
    env[assignment[1]] = assignment[2];
    first++;
  }
  const argv = words.slice(first).map((word) => word.text);
  if (argv.length === 0) {
    throw new Error(`No command in: ${line}`);
  }
  return { line, env, argv };
}

interface Word {
  text: string;
  /** True when a quote starts before the first `=`: then it is no assignment. */
  quotedName: boolean;
}

/** Characters a shell gives a meaning to when they stand unquoted. */
const SPECIAL = new Set(["$", "`", "|", "&", ";", "<", ">", "(", ")", "*", "?", "[", "{", "}", "~", "!"]);

function shellWords(line: string): Word[] {
  const words: Word[] = [];
  let text = "";
  let started = false;
  let quotedName = false;
  const finish = (): void => {
    if (started) {
      words.push({ text, quotedName });
    }
    text = "";
    started = false;
    quotedName = false;
  };
  for (let i = 0; i < line.length; i++) {
    const char = line.charAt(i);
    if (char === " " || char === "\t") {
      finish();
      continue;
    }
    if (char === "'" || char === '"') {
      const end = line.indexOf(char, i + 1);
      if (end < 0) {
        throw new Error(`Unterminated ${char} quote in: ${line}`);
      }
      const quoted = line.slice(i + 1, end);
      if (char === '"' && /[$`\\!]/.test(quoted)) {
        throw new Error(`Expansion or escape inside double quotes, not supported here: ${line}`);
      }
      if (!text.includes("=")) {
        quotedName = true;
      }
      text += quoted;
      started = true;
      i = end;
      continue;
    }
    if (char === "\\") {
      const next = line.charAt(i + 1);
      if (next === "") {
        throw new Error(`A trailing backslash in: ${line}`);
      }
      text += next;
      started = true;
      i++;
      continue;
    }
    if (char === "#" && !started) {
      break; // A comment runs to the end of the line.
    }
    if (SPECIAL.has(char) && !(char === "~" && started)) {
      throw new Error(`Shell syntax "${char}" is not supported by the README runner: ${line}`);
    }
    text += char;
    started = true;
  }
  finish();
  return words;
}
