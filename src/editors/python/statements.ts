/** Ensuring a top-level statement, such as `admin.site.login = secure_admin_login(admin.site.login)`. */
import type { Parser } from "web-tree-sitter";
import { pythonParser } from "./parser";
import { isImport } from "./imports";
import {
  eolOf,
  lineStart,
  namedChildrenOf,
  startsItsLine,
  statementsOf,
  topOfComments,
  withModule,
} from "./syntax";

/**
 * Ensures the module runs `statement` at its top level: present already (the same code,
 * spacing aside) it changes nothing; else it is added after the docstring and imports,
 * before the first other statement (and the comments right above it), one blank line on
 * each side, or at the end of a module that is only imports.
 */
export async function addModuleStatement(source: string, file: string, statement: string): Promise<string> {
  const parser = await pythonParser();
  const wanted = parseStatement(parser, statement);
  return withModule(parser, source, file, (root) => {
    const statements = statementsOf(root);
    if (statements.some((node) => compact(node.text) === compact(wanted))) {
      return source;
    }
    const eol = eolOf(source);
    const first = statements.find(
      (node, index) =>
        !isImport(node) &&
        // A comment at the end of an import's line belongs to that import.
        !(node.type === "comment" && !startsItsLine(source, node.startIndex)) &&
        !(index === 0 && node.type === "expression_statement" && namedChildrenOf(node)[0]?.type === "string"),
    );
    if (first === undefined) {
      const body = source.replace(/\s+$/, "");
      return `${body}${body === "" ? "" : `${eol}${eol}`}${wanted}${eol}`;
    }
    const at = lineStart(source, topOfComments(source, first));
    return `${source.slice(0, at)}${wanted}${eol}${eol}${source.slice(at)}`;
  });
}

/** `statement` trimmed, checked to be one statement (our own input: a bad one is our bug). */
function parseStatement(parser: Parser, statement: string): string {
  const text = statement.trim();
  return withModule(parser, text, "<statement>", (root) => {
    const statements = statementsOf(root);
    if (statements.length !== 1 || statements[0]?.type === "comment" || text.includes("\n")) {
      throw new Error(`${JSON.stringify(statement)} is not a single one-line statement.`);
    }
    return text;
  });
}

/** Code without its spacing, to recognise a statement written with other spaces. */
function compact(code: string): string {
  return code.replace(/\s+/g, "");
}
