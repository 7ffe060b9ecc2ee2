/** Setting a top-level value: `NAME = value`, replaced in place or added. */
import type { Node, Parser } from "web-tree-sitter";
import { pythonParser } from "./parser";
import { bindingsOf, COMPOUND_STATEMENTS, singleAssignment } from "./bindings";
import { PythonEditError } from "./errors";
import { fitLines } from "./layout";
import {
  eolOf,
  Expression,
  fieldOf,
  INDENT,
  indentLines,
  keyOf,
  LINE_LENGTH,
  lineEnd,
  lineOf,
  lineStart,
  namedChildrenOf,
  nextLineStart,
  parseExpression,
  statementEnd,
  statementsOf,
  widthOf,
  withModule,
} from "./syntax";

/**
 * Adds `NAME = value` at the end of the module, or replaces the value of an existing single
 * assignment; a block of settings may carry a leading comment (e.g. a docs link) given in
 * `comment`.
 *
 * A new setting with a comment starts a block: one blank line, the comment, the setting. A
 * new setting without one joins the block before it (no blank line), so a module's settings
 * can be added one call at a time under one comment. A module that ends by importing
 * overrides (`from .local import *`, possibly in a `try`) gets the new setting before them.
 * An existing value is replaced, its comments kept; `comment` is then not used.
 */
export async function setSetting(
  source: string,
  file: string,
  name: string,
  value: string,
  options: { comment?: string } = {},
): Promise<string> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new Error(`${JSON.stringify(name)} is not a Python name.`);
  }
  const parser = await pythonParser();
  const expression = parseExpression(parser, value, `The value of ${name}`, true);
  const eol = eolOf(source);
  const edit = withModule(parser, source, file, (root) => {
    const bindings = bindingsOf(root, name);
    const existing = singleAssignment(file, name, bindings);
    const extension = bindings.extensions[0];
    if (existing === null && extension !== undefined) {
      // Assigning it here would silently undo what the module this one extends defines.
      throw new PythonEditError(
        file,
        lineOf(extension.node),
        `a top-level ${name} = ... or no ${name} at all`,
        `only extensions of ${name} (its value is defined elsewhere)`,
      );
    }
    if (existing !== null) {
      if (keyOf(existing.value) === expression.key) {
        return null;
      }
      const text = indentLines(expression.text, "", eol);
      const start = existing.value.startIndex;
      return {
        source: `${source.slice(0, start)}${text}${source.slice(existing.value.endIndex)}`,
        statementStart: lineStart(source, start),
        valueStart: start,
        valueEnd: start + text.length,
      };
    }
    return appended(source, root, name, expression, options.comment, eol);
  });
  if (edit === null) {
    return source;
  }
  const fitted = fitLines(parser, edit.source, file, [edit.valueStart, edit.valueEnd], eol);
  return parenthesizeLongValue(parser, fitted, file, edit.statementStart, name, eol);
}

interface Edit {
  readonly source: string;
  readonly statementStart: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

function appended(
  source: string,
  root: Node,
  name: string,
  expression: Expression,
  comment: string | undefined,
  eol: string,
): Edit {
  const statements = statementsOf(root);
  const overrides = trailingOverrides(statements);
  const previous = statements[statements.length - overrides - 1];
  const commentLines =
    comment === undefined
      ? []
      : comment
          .trim()
          .split(/\r?\n/)
          .map((line) => line.trim())
          .map((line) => (line.startsWith("#") ? line : line === "" ? "#" : `# ${line}`));
  const head = `${name} = `;
  const statement = `${head}${indentLines(expression.text, "", eol)}`;
  const block = [...commentLines, statement].join(eol);
  const blankLines = previous === undefined ? 0 : blankLinesAfter(previous, commentLines.length > 0);
  let before: string;
  let after: string;
  if (overrides > 0 && previous !== undefined) {
    const at = nextLineStart(source, statementEnd(source, previous).index);
    before = source.slice(0, at);
    after = source.slice(at);
    if (!before.endsWith("\n")) {
      before += eol;
    }
  } else {
    before = source.replace(/\s+$/, "");
    before = before === "" ? "" : `${before}${eol}`;
    after = "";
  }
  const separator = before === "" ? "" : eol.repeat(blankLines);
  const prefix = `${before}${separator}`;
  const statementStart = prefix.length + block.length - statement.length;
  return {
    source: `${prefix}${block}${eol}${after}`,
    statementStart,
    valueStart: statementStart + head.length,
    valueEnd: statementStart + statement.length,
  };
}

/** How many of the last statements import overrides: `from .local import *`, bare or in a `try`. */
function trailingOverrides(statements: readonly Node[]): number {
  let count = 0;
  for (let i = statements.length - 1; i > 0; i--) {
    const statement = statements[i];
    if (statement === undefined || !importsOverrides(statement)) {
      break;
    }
    count++;
  }
  return count;
}

function importsOverrides(statement: Node): boolean {
  if (statement.type === "import_from_statement") {
    return namedChildrenOf(statement).some((child) => child.type === "wildcard_import");
  }
  if (statement.type === "try_statement") {
    const body = fieldOf(statement, "body");
    return body !== null && namedChildrenOf(body).some(importsOverrides);
  }
  return false;
}

/** Whether the module assigns `name` at top level (`NAME = …`), as a module checks before adding it. */
export async function definesSetting(source: string, file: string, name: string): Promise<boolean> {
  const parser = await pythonParser();
  return withModule(parser, source, file, (root) =>
    bindingsOf(root, name).assignments.some((assignment) => assignment.topLevel),
  );
}

const DEFINITIONS = new Set(["function_definition", "class_definition", "decorated_definition"]);

/** Blank lines ruff wants (or a new commented block deserves) between `previous` and a new statement. */
function blankLinesAfter(previous: Node, commented: boolean): number {
  let last: Node | undefined = previous;
  while (last !== undefined && COMPOUND_STATEMENTS.has(last.type)) {
    const children = namedChildrenOf(last);
    last = children[children.length - 1];
  }
  if (last !== undefined && DEFINITIONS.has(last.type)) {
    return 2;
  }
  const isImport = ["import_statement", "import_from_statement", "future_import_statement"].includes(
    previous.type,
  );
  const isDocstring =
    previous.type === "expression_statement" &&
    namedChildrenOf(previous)[0]?.type === "string" &&
    previous.startIndex === 0;
  return commented || isImport || isDocstring ? 1 : 0;
}

/**
 * A value without brackets of its own (a string, a name) that makes `NAME = value` too long
 * is put in parentheses on its own line when that fits, as ruff does.
 */
function parenthesizeLongValue(
  parser: Parser,
  source: string,
  file: string,
  statementStart: number,
  name: string,
  eol: string,
): string {
  return withModule(parser, source, file, (root) => {
    const line = source.slice(statementStart, lineEnd(source, statementStart));
    if (widthOf(line) <= LINE_LENGTH) {
      return source;
    }
    const assignment = singleAssignment(file, name, bindingsOf(root, name));
    const value = assignment?.value;
    const atoms = ["string", "concatenated_string", "identifier", "attribute", "integer", "float"];
    if (
      value === undefined ||
      !atoms.includes(value.type) ||
      value.startPosition.row !== value.endPosition.row ||
      widthOf(`${INDENT}${value.text}`) > LINE_LENGTH
    ) {
      return source;
    }
    const replacement = `(${eol}${INDENT}${value.text}${eol})`;
    return `${source.slice(0, value.startIndex)}${replacement}${source.slice(value.endIndex)}`;
  });
}
