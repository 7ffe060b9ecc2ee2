import type { Node, Tree } from "web-tree-sitter";
import {
  startsItsLine,
  statementEnd,
  statementsOf,
  topOfComments,
} from "../../../../../src/editors/python/syntax";
import { parsePython, pythonParser } from "../../../../../src/editors/python/parser";

/** `count` comment lines indented by `indent`: enough of them that the parser skips them. */
function comments(count: number, indent = "", tag = "note"): string {
  return Array.from({ length: count }, (_, i) => `${indent}# ${tag} ${i}: why the code below is so.\n`).join(
    "",
  );
}

/** Sources where tree-sitter places comment lines in a block, before a statement, or in a header. */
const SOURCES: Record<string, string> = {
  "above a statement": `X = 1\n${comments(40)}Y = 2\n`,
  "after a blank line": `X = 1\n${comments(40)}\n${comments(3)}Y = 2\n`,
  "indented into the block before": `if X:\n    Y = 1\n${comments(40, "    ")}${comments(40, "  ", "half")}${comments(3)}Z = 2\n`,
  "in nested blocks": `def f():\n    if X:\n        return 1\n${comments(40, "        ")}${comments(40, "    ")}\n${comments(40, "      ")}Z = 2\n`,
  "after a one-line block": `if X: Y = 1\n${comments(40, "    ")}Z = 2\n`,
  "with tabs": `if X:\n\tY = 1\n${comments(40, "\t")}${comments(40, "       ")}Z = 2\n`,
  "with a shebang and an encoding line": `#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n${comments(40)}import os\n`,
  "with Windows line endings": `if X:\r\n    Y = 1\r\n${comments(40, "    ").replace(/\n/g, "\r\n")}${comments(40).replace(/\n/g, "\r\n")}Z = 2\r\n`,
  "after a trailing comment": `X = 1  # why\n${comments(40)}Y = 2\n`,
};

/** Where the statement starts with its comments, as the comment nodes of a full parse place them. */
function topInFullTree(source: string, statement: Node): number {
  let top = statement;
  for (
    let previous = statement.previousSibling;
    previous?.type === "comment";
    previous = previous.previousSibling
  ) {
    const row = previous.startPosition.row;
    if (
      !startsItsLine(source, previous.startIndex) ||
      previous.endPosition.row + 1 < top.startPosition.row ||
      (row === 0 && previous.text.startsWith("#!")) ||
      (row <= 1 && /^#.*coding[:=]/.test(previous.text))
    ) {
      break;
    }
    top = previous;
  }
  return top.startIndex;
}

describe("python editors: comment lines the parser skipped", () => {
  for (const [name, source] of Object.entries(SOURCES)) {
    it(`belong where a full parse puts them: ${name}`, async () => {
      const parser = await pythonParser();
      const full = parser.parse(source);
      const skipping = parsePython(parser, source);
      if (full === null || skipping === null) {
        throw new Error("no tree");
      }
      try {
        expect(commentsIn(skipping)).toBeLessThan(commentsIn(full));
        const expected = statementsOf(full.rootNode).map((node) => ({
          start: node.startIndex,
          top: topInFullTree(source, node),
          end: node.endIndex,
        }));
        const actual = statementsOf(skipping.rootNode).map((node) => ({
          start: node.startIndex,
          top: topOfComments(source, node),
          end: statementEnd(source, node).index,
        }));
        expect(actual).toEqual(expected);
      } finally {
        full.delete();
        skipping.delete();
      }
    });
  }
});

function commentsIn(tree: Tree): number {
  return tree.rootNode.descendantsOfType("comment").length;
}
