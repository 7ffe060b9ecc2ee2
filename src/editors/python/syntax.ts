/**
 * What the Python editors share: parsing with tree-sitter (refusing code that does not
 * parse), lines and their widths as `ruff format` counts them, and expressions compared by
 * meaning rather than by spelling (quote style, spacing, magic trailing commas).
 */
import type { Node, Parser } from "web-tree-sitter";
import { firstError, parsePython, withTree } from "./parser";
import { PythonEditError } from "./errors";

/** `ruff format`'s defaults, which the generated project keeps. */
export const LINE_LENGTH = 88;
export const INDENT = "    ";

/** Runs `use` on the module tree of `source`, refusing a source that does not parse. */
export function withModule<T>(parser: Parser, source: string, file: string, use: (root: Node) => T): T {
  return withTree(parser, source, (tree) => {
    if (tree === null) {
      throw new PythonEditError(file, 1, "Python code", "a file the parser could not read");
    }
    const root = tree.rootNode;
    if (root.hasError) {
      const bad = firstError(root) ?? root;
      const what = bad.isMissing ? `a missing "${bad.type}"` : `"${snippet(bad.text)}"`;
      throw new PythonEditError(file, lineOf(bad), "valid Python", `a syntax error at ${what}`);
    }
    return use(root);
  });
}

/** The 1-based line where `node` starts. */
export function lineOf(node: Node): number {
  return node.startPosition.row + 1;
}

export function childrenOf(node: Node): Node[] {
  return node.children.filter((child): child is Node => child !== null);
}

/** The named children of `node` that are code, not comments. */
export function namedChildrenOf(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null && child.type !== "comment");
}

export function fieldOf(node: Node, field: string): Node | null {
  return node.childForFieldName(field);
}

/** Top-level statements of a module, without comments. */
export function statementsOf(root: Node): Node[] {
  return namedChildrenOf(root);
}

/** A short one-line excerpt of code, for messages. */
function snippet(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

// Lines --------------------------------------------------------------------------------

/** The file's line ending (that of its first line), used for every line written. */
export function eolOf(source: string): string {
  const newline = source.indexOf("\n");
  return newline > 0 && source.charAt(newline - 1) === "\r" ? "\r\n" : "\n";
}

/** Where the line holding `index` starts. */
export function lineStart(source: string, index: number): number {
  return index <= 0 ? 0 : source.lastIndexOf("\n", index - 1) + 1;
}

/** Where the line holding `index` ends, before its `\r\n` or `\n`. */
export function lineEnd(source: string, index: number): number {
  const newline = source.indexOf("\n", index);
  const end = newline === -1 ? source.length : newline;
  return end > 0 && source.charAt(end - 1) === "\r" && end - 1 >= index ? end - 1 : end;
}

/** Just after the line ending of the line holding `index` (or the end of the source). */
export function nextLineStart(source: string, index: number): number {
  const newline = source.indexOf("\n", index);
  return newline === -1 ? source.length : newline + 1;
}

/** The leading whitespace of the line holding `index`. */
export function indentAt(source: string, index: number): string {
  const start = lineStart(source, index);
  return /^[ \t]*/.exec(source.slice(start))?.[0] ?? "";
}

/** Whether only whitespace precedes `index` on its line. */
export function startsItsLine(source: string, index: number): boolean {
  return source.slice(lineStart(source, index), index).trim() === "";
}

/** Columns a line takes, as ruff measures it: East Asian wide characters count twice. */
export function widthOf(line: string): number {
  let width = 0;
  for (const char of line) {
    const code = char.codePointAt(0) ?? 0;
    width += isWide(code) ? 2 : char === "\t" ? INDENT.length : 1;
  }
  return width;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** `text` (lines split on any line ending) with its lines joined by `eol`, continuation lines prefixed by `indent`. */
export function indentLines(text: string, indent: string, eol: string): string {
  return text
    .split(/\r?\n/)
    .map((line, index) => (index === 0 || line === "" ? line : `${indent}${line}`))
    .join(eol);
}

// Expressions --------------------------------------------------------------------------

/** A Python expression given by a caller: its text as QuickScale writes it, and its key. */
export interface Expression {
  /** Trimmed, with simple single-quoted strings in double quotes as ruff writes them. */
  readonly text: string;
  /** Compares equal for the same expression however it is spelled. */
  readonly key: string;
}

/**
 * Parses an expression given by a caller (not the user's code: a bad one is our bug, so a
 * plain Error). Comments are allowed only where `allowComments` says so (a setting's value).
 */
export function parseExpression(
  parser: Parser,
  text: string,
  what: string,
  allowComments = false,
): Expression {
  const trimmed = text.replace(/\r\n/g, "\n").trim();
  const tree = parsePython(parser, trimmed);
  if (tree === null) {
    throw new Error(`${what} ${JSON.stringify(text)} is not a Python expression.`);
  }
  try {
    const statements = namedChildrenOf(tree.rootNode);
    const statement = statements[0];
    const expressions = statement?.type === "expression_statement" ? namedChildrenOf(statement) : [];
    const expression = expressions[0];
    if (
      expression === undefined ||
      tree.rootNode.hasError ||
      statements.length !== 1 ||
      expressions.length !== 1 ||
      ["assignment", "augmented_assignment", "expression_list", "yield"].includes(expression.type) ||
      expression.startIndex !== 0 ||
      (!allowComments && hasComment(tree.rootNode))
    ) {
      throw new Error(`${what} ${JSON.stringify(text)} is not a single Python expression.`);
    }
    return { text: doubleQuoted(expression, trimmed), key: keyOf(expression) };
  } finally {
    tree.delete();
  }
}

function hasComment(node: Node): boolean {
  return node.type === "comment" || childrenOf(node).some(hasComment);
}

/** `text` with its plain single-quoted strings double-quoted, as ruff would write them. */
function doubleQuoted(expression: Node, text: string): string {
  const edits: number[] = [];
  const visit = (node: Node): void => {
    if (node.type === "string") {
      const parts = splitString(node.text);
      if (
        parts !== null &&
        parts.quote === "'" &&
        !/[fFtT]/.test(parts.prefix) &&
        !parts.body.includes('"') &&
        !parts.body.includes("\\")
      ) {
        edits.push(node.startIndex + parts.prefix.length, node.endIndex - 1);
      }
      return;
    }
    childrenOf(node).forEach(visit);
  };
  visit(expression);
  let result = text;
  for (const index of edits.sort((a, b) => b - a)) {
    result = `${result.slice(0, index)}"${result.slice(index + 1)}`;
  }
  return result;
}

/** A key for `node`'s expression: equal for `'x'` and `"x"`, any spacing, a magic trailing comma or not. */
export function keyOf(node: Node): string {
  const tokens: string[] = [];
  collectTokens(node, tokens);
  return tokens.join(" ");
}

const CLOSERS = new Set([")", "]", "}"]);

function collectTokens(node: Node, tokens: string[]): void {
  switch (node.type) {
    case "comment":
      return;
    case "string":
      tokens.push(stringKey(node.text));
      return;
    case "concatenated_string": {
      const parts = namedChildrenOf(node).map((part) => splitString(part.text));
      if (parts.every((part) => part !== null && !/[fFtTbB]/.test(part.prefix))) {
        tokens.push(`s${JSON.stringify(parts.map((part) => (part === null ? "" : valueOf(part))).join(""))}`);
        return;
      }
      break;
    }
    case "parenthesized_expression": {
      const inner = namedChildrenOf(node);
      if (inner.length === 1 && inner[0] !== undefined) {
        collectTokens(inner[0], tokens);
        return;
      }
      break;
    }
  }
  const children = childrenOf(node);
  if (children.length === 0) {
    tokens.push(node.text);
    return;
  }
  const singleTuple = node.type === "tuple" && namedChildrenOf(node).length === 1;
  children.forEach((child, index) => {
    const next = children.slice(index + 1).find((sibling) => sibling.type !== "comment");
    if (child.type === "," && next !== undefined && CLOSERS.has(next.type) && !singleTuple) {
      return;
    }
    collectTokens(child, tokens);
  });
}

interface StringParts {
  prefix: string;
  quote: string;
  body: string;
}

function splitString(text: string): StringParts | null {
  const match = /^([A-Za-z]*)('''|"""|'|")([\s\S]*)\2$/.exec(text);
  if (match === null) {
    return null;
  }
  return { prefix: match[1] ?? "", quote: match[2] ?? '"', body: match[3] ?? "" };
}

/** The key of a string literal: its value for plain strings, its text for f-strings. */
export function stringKey(text: string): string {
  const parts = splitString(text);
  if (parts === null || /[fFtT]/.test(parts.prefix)) {
    return text;
  }
  return `${/[bB]/.test(parts.prefix) ? "b" : "s"}${JSON.stringify(valueOf(parts))}`;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

function valueOf(parts: StringParts): string {
  if (/[rR]/.test(parts.prefix)) {
    return parts.body;
  }
  return parts.body.replace(
    /\\(\r?\n|[\\'"abfnrtv]|[0-7]{1,3}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})/g,
    (escape: string, code: string) => {
      if (code.startsWith("\n") || code.startsWith("\r")) {
        return "";
      }
      const simple = SIMPLE_ESCAPES[code];
      if (simple !== undefined) {
        return simple;
      }
      const head = code.charAt(0);
      const number =
        head === "x" || head === "u" || head === "U" ? parseInt(code.slice(1), 16) : parseInt(code, 8);
      return Number.isNaN(number) || number > 0x10ffff ? escape : String.fromCodePoint(number);
    },
  );
}

/** What `node` is, in a few words, for the `found` part of a refusal. */
export function describeNode(node: Node): string {
  switch (node.type) {
    case "call": {
      const callee = fieldOf(node, "function");
      return `a call to ${snippet(callee?.text ?? node.text, 40)}`;
    }
    case "identifier":
      return `the name ${node.text}`;
    case "attribute":
      return `the attribute ${snippet(node.text, 40)}`;
    case "binary_operator":
      return `the expression ${snippet(node.text)}`;
    case "list":
      return "a list";
    case "tuple":
      return "a tuple";
    case "expression_list":
      return "a tuple without parentheses";
    case "dictionary":
      return "a dict";
    case "set":
      return "a set";
    case "list_comprehension":
    case "dictionary_comprehension":
    case "set_comprehension":
    case "generator_expression":
      return `a ${node.type.replace(/_/g, " ").replace("dictionary", "dict")}`;
    case "string":
    case "concatenated_string":
      return `the string ${snippet(node.text, 40)}`;
    case "integer":
    case "float":
      return `the number ${node.text}`;
    case "true":
    case "false":
    case "none":
      return node.text;
    case "subscript":
      return `the subscript ${snippet(node.text, 40)}`;
    case "conditional_expression":
      return `a conditional expression ${snippet(node.text, 40)}`;
    default:
      return `"${snippet(node.text, 40)}"`;
  }
}

/**
 * Where `statement` (at the top of the module) starts together with the comment lines right
 * above it, which belong to it: the index of the first one's `#`, or the statement's start.
 * Read from the text, as the parser may have skipped comment lines (python-comment-runs.ts);
 * comment lines that tree-sitter puts inside the block of the statement before are not
 * taken (see `statementEnd`), nor a shebang or encoding line.
 */
export function topOfComments(source: string, statement: Node): number {
  const previous = previousStatement(statement);
  const lowestRow = previous === null ? 0 : statementEnd(source, previous).row + 1;
  let top = statement.startIndex;
  let row = statement.startPosition.row;
  let lineAt = lineStart(source, top);
  while (row > lowestRow) {
    const above = lineStart(source, lineAt - 1);
    const text = source.slice(above, lineAt).replace(/\r?\n$/, "");
    const hash = text.search(/\S/);
    if (hash === -1 || text.charAt(hash) !== "#" || isFileHeader(row - 1, text.slice(hash))) {
      break;
    }
    top = above + hash;
    lineAt = above;
    row--;
  }
  return top;
}

/** The statement before `statement` in its block, comments aside. */
function previousStatement(statement: Node): Node | null {
  let previous = statement.previousNamedSibling;
  while (previous?.type === "comment") {
    previous = previous.previousNamedSibling;
  }
  return previous;
}

/**
 * Where a top-level statement ends as tree-sitter's full parse has it: after the comment
 * lines that follow it indented at least as deep as its last block, which tree-sitter puts
 * inside that block (a comment line less indented closes it). Returns the index just after
 * its last character and the row of that character.
 */
export function statementEnd(source: string, statement: Node): { index: number; row: number } {
  let index = statement.endIndex;
  let row = statement.endPosition.row;
  const blockIndent = lastBlockIndent(source, statement);
  if (blockIndent === null) {
    return { index, row };
  }
  let lineAt = nextLineStart(source, index);
  let lineRow = row + 1;
  while (lineAt < source.length) {
    const newline = source.indexOf("\n", lineAt);
    const lineBreak = newline === -1 ? source.length : newline;
    const text = source.slice(lineAt, lineBreak);
    const hash = text.search(/\S/);
    if (hash !== -1) {
      if (text.charAt(hash) !== "#" || indentLength(text.slice(0, hash)) < blockIndent) {
        break;
      }
      index = lineBreak;
      row = lineRow;
    }
    lineAt = lineBreak + 1;
    lineRow++;
  }
  return { index, row };
}

/**
 * The indentation of the outermost block that `statement` ends with, as tree-sitter's
 * scanner counts it, or null when it ends with no indented block (`if x: y = 1`).
 */
function lastBlockIndent(source: string, statement: Node): number | null {
  let node: Node | undefined = statement;
  while (node !== undefined && node.type !== "block") {
    const children = namedChildrenOf(node);
    node = children[children.length - 1];
  }
  const first = node === undefined ? undefined : namedChildrenOf(node)[0];
  if (first === undefined || !startsItsLine(source, first.startIndex)) {
    return null;
  }
  return indentLength(source.slice(lineStart(source, first.startIndex), first.startIndex));
}

/** Indentation as tree-sitter-python's scanner counts it: a tab is 8, a form feed starts over. */
function indentLength(indent: string): number {
  let length = 0;
  for (const char of indent) {
    length = char === "\t" ? length + 8 : char === " " ? length + 1 : 0;
  }
  return length;
}

/** A shebang on the first line, or an encoding declaration on one of the first two (PEP 263). */
function isFileHeader(row: number, comment: string): boolean {
  return (row === 0 && comment.startsWith("#!")) || (row <= 1 && /^#.*coding[:=]/.test(comment));
}
