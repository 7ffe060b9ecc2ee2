import type { Parser, Tree } from "web-tree-sitter";
import { forgetTrees, pythonParser, pythonSyntaxProblem, withTree } from "../../../src/python-parser";

/** A parser that counts its parses and hands out trees that record being freed. */
function countingParser(): { parser: Parser; parses: string[]; freed: string[] } {
  const parses: string[] = [];
  const freed: string[] = [];
  const parser = {
    parse: (input: (index: number) => string) => {
      let source = "";
      for (let part = input(0); part !== ""; part = input(source.length)) {
        source += part;
      }
      parses.push(source);
      return { source, delete: () => freed.push(source) };
    },
  } as unknown as Parser;
  return { parser, parses, freed };
}

const sourceOf = (tree: Tree | null): string => (tree as unknown as { source: string }).source;

describe("python parser", () => {
  // The counting parser's fake trees must not stay in the cache that real parses share.
  afterEach(forgetTrees);

  it("parses each recent source once and hands the same tree to every use", () => {
    const { parser, parses } = countingParser();
    const seen = [1, 2, 3].map(() => withTree(parser, "unique_source_a = 1\n", sourceOf));
    withTree(parser, "unique_source_b = 2\n", sourceOf);
    withTree(parser, "unique_source_a = 1\n", sourceOf);
    expect(seen).toEqual(["unique_source_a = 1\n", "unique_source_a = 1\n", "unique_source_a = 1\n"]);
    expect(parses).toEqual(["unique_source_a = 1\n", "unique_source_b = 2\n"]);
  });

  it("frees the oldest trees beyond the recent ones, but never a tree in use", () => {
    const { parser, freed } = countingParser();
    const held = withTree(parser, "held = 0\n", () => {
      for (let i = 0; i < 20; i++) {
        withTree(parser, `other_${i} = ${i}\n`, () => undefined);
      }
      return freed.includes("held = 0\n");
    });
    expect(held).toBeFalse();
    expect(freed.length).toBeGreaterThanOrEqual(12);
    expect(freed).toContain("other_0 = 0\n");
    expect(freed).not.toContain("other_19 = 19\n");
  });

  it("reports where real Python fails to parse, reusing the shared grammar", async () => {
    expect(await pythonSyntaxProblem("x = [1, 2\n")).toMatch(/^line \d+: syntax error/);
    expect(await pythonSyntaxProblem("x = [1, 2]\n")).toBeNull();
    expect(await pythonParser()).toBe(await pythonParser());
  });
});
