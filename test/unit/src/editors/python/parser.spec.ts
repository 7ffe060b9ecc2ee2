import type { Parser, Tree } from "web-tree-sitter";
import {
  forgetTrees,
  parsePython,
  parserWork,
  pythonParser,
  pythonSyntaxProblem,
  withTree,
} from "../../../../../src/editors/python/parser";

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

  describe("comment lines between statements", () => {
    const comments = (count: number): string =>
      Array.from({ length: count }, (_, i) => `# ${i}: a line of explanation.\n`).join("");

    /** `source`'s tree as `parsePython` gives it, and how much the parser did for it. */
    async function parsed(source: string): Promise<{ tree: string; parses: number; read: number }> {
      const parser = await pythonParser();
      const before = { ...parserWork };
      const tree = parsePython(parser, source);
      const text = tree?.rootNode.toString() ?? "";
      tree?.delete();
      return {
        tree: text,
        parses: parserWork.parses - before.parses,
        read: parserWork.charactersRead - before.charactersRead,
      };
    }

    /** The tree of a plain parse, comments and all. */
    async function fullTree(source: string): Promise<string> {
      const tree = (await pythonParser()).parse(source);
      const text = tree?.rootNode.toString() ?? "";
      tree?.delete();
      return text;
    }

    it("are skipped when long: the parser reads the code only, at the same positions", async () => {
      const source = `X = 1\n${comments(5_000)}Y = 2\n`;
      const result = await parsed(source);
      expect(result.parses).toBe(1);
      expect(result.read).toBeLessThan(source.length / 10);
      expect(result.tree).toBe((await fullTree(source)).replace(/ \(comment\)/g, ""));
      const parser = await pythonParser();
      const rows = withTree(parser, source, (tree) =>
        tree?.rootNode.namedChildren.map((node) => node?.startPosition.row),
      );
      expect(rows).toEqual([0, 5_001]);
    });

    it("are read as they are in strings and brackets", async () => {
      for (const source of [`X = """\n${comments(40)}"""\n`, `X = [\n${comments(40)}]\n`]) {
        const result = await parsed(source);
        expect(result.tree).toBe(await fullTree(source));
        expect(result.parses).toBe(1);
      }
    });

    it("are read again, all of them, when the tokenizer took code for them", async () => {
      // Python 3.12 lets a replacement field of an f-string span lines, comments included.
      const source = `X = f"{\n${comments(40)}1}"\nY = 2\n`;
      const result = await parsed(source);
      expect(result.tree).toBe(await fullTree(source));
      expect(result.parses).toBe(2);
    });
  });
});
