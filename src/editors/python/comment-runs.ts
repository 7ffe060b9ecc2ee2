/**
 * Runs of comment lines between statements, which the parser is told to skip.
 *
 * tree-sitter-python's scanner, at each line break where a statement may end, looks past
 * every comment line that follows to find the next line of code (its indentation decides
 * whether a block ends there). Each comment of a run of comment lines is a line break
 * where a statement may end, so a run of n lines is read about n²/2 times: a settings file
 * with 5,000 comment lines took 14 s to parse, once (upstream knows: tree-sitter-python
 * #243–#245). Parsing only the code around such runs (tree-sitter's included ranges)
 * reads each character once, and gives the tree of the code without those comments, at
 * the same positions.
 */

/** A run of whole-line comments (and the blank lines between them) outside brackets and strings. */
export interface CommentRun {
  /** Index of the first comment's `#`. */
  readonly start: number;
  /** Index of the line break that ends the last comment. */
  readonly end: number;
  readonly startRow: number;
  readonly startColumn: number;
  readonly endRow: number;
  readonly endColumn: number;
  /** How many comment lines it has. */
  readonly lines: number;
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const TAB = 9;
const FORM_FEED = 12;
const HASH = 35;
const BACKSLASH = 92;
const SINGLE_QUOTE = 39;
const DOUBLE_QUOTE = 34;
const OPENERS = new Set([40, 91, 123]);
const CLOSERS = new Set([41, 93, 125]);

/**
 * The runs of comment lines at statement level in `source` (not inside brackets, strings
 * or continued lines), found by a light tokenizer in one pass. It may be wrong about odd
 * code (nested f-string quotes): the parse checks each run it skipped, see `skippedRuns`.
 */
export function commentRuns(source: string): CommentRun[] {
  const runs: CommentRun[] = [];
  let run: { start: number; startRow: number; startColumn: number; lines: number } | null = null;
  let runEnd = { end: 0, row: 0, column: 0 };
  let depth = 0;
  let row = 0;
  let index = 0;
  const length = source.length;
  const closeRun = (): void => {
    if (run !== null) {
      runs.push({ ...run, end: runEnd.end, endRow: runEnd.row, endColumn: runEnd.column });
      run = null;
    }
  };
  // Each turn of the loop starts at the beginning of a logical line, outside any string.
  while (index < length) {
    const lineStart = index;
    let first = index;
    while (first < length && isIndentation(source.charCodeAt(first))) {
      first++;
    }
    const code = source.charCodeAt(first);
    if (depth === 0 && code === HASH) {
      const end = lineBreakAt(source, first);
      if (end === length) {
        // A last comment without a line break stays for the parser (its range must end somewhere).
        break;
      }
      run ??= { start: first, startRow: row, startColumn: first - lineStart, lines: 0 };
      run.lines++;
      runEnd = { end, row, column: end - lineStart };
      index = end + 1;
      row++;
      continue;
    }
    if (depth === 0 && (first >= length || code === NEWLINE || code === CARRIAGE_RETURN)) {
      // A blank line: it neither starts nor ends a run.
      index = first >= length ? length : lineBreakAt(source, first) + 1;
      row++;
      continue;
    }
    closeRun();
    // Code (or a line inside brackets): to the end of its logical line.
    index = first;
    for (;;) {
      if (index >= length) {
        break;
      }
      const char = source.charCodeAt(index);
      if (char === NEWLINE) {
        index++;
        row++;
        if (depth === 0) {
          break;
        }
        continue;
      }
      if (char === HASH) {
        index = lineBreakAt(source, index);
        continue;
      }
      if (char === BACKSLASH) {
        // A continued line (or a stray backslash): the next line does not start a statement.
        const next = source.charCodeAt(index + 1) === CARRIAGE_RETURN ? index + 2 : index + 1;
        if (source.charCodeAt(next) === NEWLINE) {
          row++;
        }
        index = next + 1;
        continue;
      }
      if (char === SINGLE_QUOTE || char === DOUBLE_QUOTE) {
        const after = stringEnd(source, index);
        row += countNewlines(source, index, after);
        index = after;
        continue;
      }
      if (OPENERS.has(char)) {
        depth++;
      } else if (CLOSERS.has(char) && depth > 0) {
        depth--;
      }
      index++;
    }
  }
  closeRun();
  return runs;
}

function isIndentation(char: number): boolean {
  return char === SPACE || char === TAB || char === FORM_FEED;
}

/** The index of the `\n` ending the line holding `index`, or the source's length. */
function lineBreakAt(source: string, index: number): number {
  const newline = source.indexOf("\n", index);
  return newline === -1 ? source.length : newline;
}

/** Just after the string literal whose opening quote is at `index` (a line break ends a one-line string). */
function stringEnd(source: string, index: number): number {
  const quote = source.charCodeAt(index);
  const triple = source.charCodeAt(index + 1) === quote && source.charCodeAt(index + 2) === quote;
  let at = index + (triple ? 3 : 1);
  while (at < source.length) {
    const char = source.charCodeAt(at);
    if (char === BACKSLASH) {
      at += 2;
    } else if (char === quote) {
      if (!triple) {
        return at + 1;
      }
      if (source.charCodeAt(at + 1) === quote && source.charCodeAt(at + 2) === quote) {
        return at + 3;
      }
      at++;
    } else if (char === NEWLINE && !triple) {
      return at;
    } else {
      at++;
    }
  }
  return source.length;
}

function countNewlines(source: string, from: number, to: number): number {
  let count = 0;
  for (let at = source.indexOf("\n", from); at !== -1 && at < to; at = source.indexOf("\n", at + 1)) {
    count++;
  }
  return count;
}
