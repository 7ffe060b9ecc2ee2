import { dirname, join } from "node:path";
import type { Node, Parser as ParserType } from "web-tree-sitter";

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
  const tree = parser.parse(source);
  if (tree === null) {
    return "the parser gave no tree";
  }
  try {
    if (!tree.rootNode.hasError) {
      return null;
    }
    const bad = firstError(tree.rootNode);
    if (bad === null) {
      return "syntax error";
    }
    const what = bad.isMissing ? `missing "${bad.type}"` : `unexpected "${bad.text.slice(0, 40)}"`;
    return `line ${bad.startPosition.row + 1}: syntax error, ${what}`;
  } finally {
    tree.delete();
  }
}

function firstError(node: Node): Node | null {
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
