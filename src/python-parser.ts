import { dirname, join } from "node:path";
import type { Node, Parser as ParserType, Tree } from "web-tree-sitter";

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
    entry = { tree: parser.parse(source), users: 0 };
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
