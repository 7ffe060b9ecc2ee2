import { dirname, join } from "node:path";
import type { Node, Parser as ParserType, Range, Tree } from "web-tree-sitter";
import { CommentRun, commentRuns } from "./comment-runs";

let parserPromise: Promise<ParserType> | undefined;

/**
 * tree-sitter's Python grammar, loaded once from its WASM build (no compiler needed to
 * install QuickScale). Loaded lazily: only runs that touch Python pay for it.
 */
export function pythonParser(): Promise<ParserType> {
  parserPromise ??= (async () => {
    const { Parser, Language } = await import("web-tree-sitter");
    await Parser.init();
    const grammarDir = dirname(require.resolve("tree-sitter-python/package.json"));
    const python = await Language.load(join(grammarDir, "tree-sitter-python.wasm"));
    const parser = new Parser();
    parser.setLanguage(python);
    return parser;
  })();
  return parserPromise;
}

/** Where a Python source fails to parse, as `line N: ...`, or `null` when it parses. */
export async function pythonSyntaxProblem(source: string): Promise<string | null> {
  const parser = await pythonParser();
  return withTree(parser, source, (tree) => {
    if (tree === null) {
      return "the parser gave no tree";
    }
    if (!tree.rootNode.hasError) {
      return null;
    }
    const bad = firstError(tree.rootNode);
    if (bad === null) {
      return "syntax error";
    }
    const what = bad.isMissing ? `missing "${bad.type}"` : `unexpected "${bad.text.slice(0, 40)}"`;
    return `line ${bad.startPosition.row + 1}: syntax error, ${what}`;
  });
}

/**
 * The parser's work so far: parses, and characters the parser read (each time its lexer
 * reads a part of the source again, that part counts again). Specs compare it for inputs of
 * different sizes to check that editing stays linear in a file's size, without timing.
 */
export const parserWork = { parses: 0, charactersRead: 0 };

/** Characters handed to the parser per read; web-tree-sitter copies at most 5,119 at a time. */
const READ_SIZE = 4096;

/**
 * The tree of `source`, its long runs of comment lines between statements skipped (see
 * python-comment-runs.ts): the tree has the same positions, without those comments. The
 * parser reads the source in parts through a callback (counted in `parserWork`); once
 * parsed, the tree reads node texts from `source` whole.
 */
export function parsePython(parser: ParserType, source: string): Tree | null {
  const skipped = runsWorthSkipping(source);
  const tree = parseWithin(parser, source, skipped);
  if (tree === null || skipped.length === 0 || skipped.every((run) => isBetweenStatements(tree, run))) {
    return tree;
  }
  // The light tokenizer took part of a string or of a bracket for comments: read it all.
  tree.delete();
  return parseWithin(parser, source, []);
}

/**
 * The runs whose rereading would cost more than skipping them: tree-sitter looks through
 * the list of ranges from its start at each token, so each skipped run costs about one step
 * per token after it; a run of n lines and c characters costs about n × c / 2 to reread.
 */
function runsWorthSkipping(source: string): CommentRun[] {
  const runs = commentRuns(source).filter((run) => run.lines > 1);
  const commentLength = runs.reduce((sum, run) => sum + run.end - run.start, 0);
  const codeLength = source.length - commentLength;
  return runs.filter((run) => run.lines * (run.end - run.start) > codeLength);
}

function parseWithin(parser: ParserType, source: string, skipped: readonly CommentRun[]): Tree | null {
  parserWork.parses++;
  let parsing = true;
  const read = (index: number): string => {
    if (!parsing) {
      return source.slice(index);
    }
    // Up to the next skipped run at most: what the parser does not read is not handed over.
    const part = source.slice(index, Math.min(index + READ_SIZE, readableEnd(skipped, index)));
    parserWork.charactersRead += part.length;
    return part;
  };
  try {
    return skipped.length === 0
      ? parser.parse(read)
      : parser.parse(read, null, { includedRanges: rangesAround(source, skipped) });
  } finally {
    parsing = false;
  }
}

/** Where the part of the source from `index` that the parser reads ends: at the next skipped run. */
function readableEnd(skipped: readonly CommentRun[], index: number): number {
  // The first run that ends after `index` (the runs are in order).
  let low = 0;
  let high = skipped.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((skipped[middle]?.end ?? Infinity) <= index) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  const next = skipped[low];
  if (next === undefined) {
    return Infinity;
  }
  return index < next.start ? next.start : next.end;
}

/** The ranges of `source` between the skipped runs (columns in UTF-16 code units, as indices are). */
function rangesAround(source: string, skipped: readonly CommentRun[]): Range[] {
  const ranges: Range[] = [];
  let from = { index: 0, row: 0, column: 0 };
  for (const run of skipped) {
    ranges.push({
      startIndex: from.index,
      endIndex: run.start,
      startPosition: { row: from.row, column: from.column },
      endPosition: { row: run.startRow, column: run.startColumn },
    });
    from = { index: run.end, row: run.endRow, column: run.endColumn };
  }
  const lastLineStart = source.lastIndexOf("\n") + 1;
  ranges.push({
    startIndex: from.index,
    endIndex: source.length,
    startPosition: { row: from.row, column: from.column },
    endPosition: { row: countLines(source) - 1, column: source.length - lastLineStart },
  });
  return ranges;
}

function countLines(source: string): number {
  let lines = 1;
  for (let at = source.indexOf("\n"); at !== -1; at = source.indexOf("\n", at + 1)) {
    lines++;
  }
  return lines;
}

/** Nodes that hold statements, where a comment line is a comment and not part of code. */
const STATEMENT_HOLDERS = new Set([
  "module",
  "block",
  "if_statement",
  "elif_clause",
  "else_clause",
  "for_statement",
  "while_statement",
  "try_statement",
  "except_clause",
  "except_group_clause",
  "finally_clause",
  "with_statement",
  "match_statement",
  "case_clause",
  "function_definition",
  "class_definition",
  "decorated_definition",
]);

/** Whether the skipped `run` lies between statements in `tree`, as comment lines there do. */
function isBetweenStatements(tree: Tree, run: CommentRun): boolean {
  const holder = tree.rootNode.descendantForIndex(run.start, run.end);
  return holder !== null && STATEMENT_HOLDERS.has(holder.type);
}

/**
 * The trees of the last few sources parsed, kept for reuse: a module edits a settings file
 * in a dozen steps, and each version of it is read by several editors and then validated,
 * so most parses would repeat one already made. Trees are immutable; one in use is never
 * freed.
 */
const TREES_KEPT = 8;
const trees = new Map<string, { tree: Tree | null; users: number }>();

/** Runs `use` on the tree of `source` (parsed once while it stays among the recent ones). */
export function withTree<T>(parser: ParserType, source: string, use: (tree: Tree | null) => T): T {
  let entry = trees.get(source);
  if (entry === undefined) {
    entry = { tree: parsePython(parser, source), users: 0 };
  } else {
    trees.delete(source);
  }
  // Most recent last, so the first entries are the ones to free.
  trees.set(source, entry);
  entry.users++;
  try {
    return use(entry.tree);
  } finally {
    entry.users--;
    freeOldTrees();
  }
}

/** Frees every kept tree not in use (for specs that hand `withTree` a parser of their own). */
export function forgetTrees(): void {
  for (const [source, entry] of trees) {
    if (entry.users === 0) {
      trees.delete(source);
      entry.tree?.delete();
    }
  }
}

function freeOldTrees(): void {
  for (const [source, entry] of trees) {
    if (trees.size <= TREES_KEPT) {
      return;
    }
    if (entry.users === 0) {
      trees.delete(source);
      entry.tree?.delete();
    }
  }
}

/** The first error or missing node under `node` (where a syntax error shows), or `null`. */
export function firstError(node: Node): Node | null {
  if (node.isError || node.isMissing) {
    return node;
  }
  for (const child of node.children) {
    if (child !== null && (child.hasError || child.isMissing)) {
      const found = firstError(child);
      if (found !== null) {
        return found;
      }
    }
  }
  return null;
}
