/** Ensuring an import: merged into an existing `from x import ...`, or added among the imports. */
import type { Node, Parser } from "web-tree-sitter";
import { parsePython, pythonParser } from "./parser";
import { STDLIB_MODULES } from "../../names/python-names";
import { insertEntry, Placement, Sequence } from "./layout";
import {
  childrenOf,
  eolOf,
  fieldOf,
  INDENT,
  LINE_LENGTH,
  lineEnd,
  lineStart,
  namedChildrenOf,
  nextLineStart,
  statementsOf,
  topOfComments,
  widthOf,
  withModule,
} from "./syntax";

/** One imported name: `path`, `a.b`, or with its alias, `a as b`. */
interface Name {
  readonly text: string;
  readonly name: string;
}

export interface ImportOptions {
  /**
   * The project's own top-level modules (ruff's first party: what its `src` folders hold).
   * By default, the top folder of the edited file (`shop` for `shop/settings/base.py`).
   */
  firstParty?: readonly string[];
}

interface Wanted {
  readonly kind: "import" | "from";
  /** For `from`: the module as written (`django.urls`, `.`, `..models`). */
  readonly module: string;
  readonly names: readonly Name[];
  readonly wildcard: boolean;
}

/** Ensures an import: 'from django.urls import include' merges into an existing 'from django.urls import path'; a new one goes where isort puts it. */
export async function addImport(
  source: string,
  file: string,
  statement: string,
  options: ImportOptions = {},
): Promise<string> {
  const parser = await pythonParser();
  const firstParty = new Set(options.firstParty ?? topFolderOf(file));
  const wanted = parseImport(parser, statement);
  const eol = eolOf(source);
  let current = source;
  if (wanted.kind === "import") {
    for (const name of wanted.names) {
      current = ensureStatement(
        parser,
        current,
        file,
        eol,
        `import ${name.text}`,
        (imports) =>
          imports.some(
            (node) =>
              node.type === "import_statement" && importedNames(node).some((n) => n.text === name.text),
          ),
        firstParty,
      );
    }
    return current;
  }
  if (wanted.wildcard) {
    return ensureStatement(
      parser,
      current,
      file,
      eol,
      `from ${wanted.module} import *`,
      (imports) => imports.some((node) => moduleOf(node) === wanted.module && isWildcard(node)),
      firstParty,
    );
  }
  for (const name of wanted.names) {
    const merged = withModule(parser, current, file, (root): { done: string } | { into: number } | null => {
      const sameModule = statementsOf(root).filter(
        (node) => moduleOf(node) === wanted.module && !isWildcard(node),
      );
      if (sameModule.some((node) => importedNames(node).some((n) => n.text === name.text))) {
        return { done: current };
      }
      // ruff keeps `from x import a as b` on a line of its own (combine-as-imports off).
      const into = isAliased(name)
        ? undefined
        : sameModule.find((node) => !importedNames(node).some(isAliased));
      return into === undefined ? null : { into: into.startIndex };
    });
    if (merged === null) {
      current = ensureStatement(
        parser,
        current,
        file,
        eol,
        fromStatement(wanted.module, [name], eol),
        () => false,
        firstParty,
      );
    } else {
      current = "done" in merged ? merged.done : mergeName(parser, current, file, eol, merged.into, name);
    }
  }
  return current;
}

function parseImport(parser: Parser, statement: string): Wanted {
  const tree = parsePython(parser, statement.trim());
  const bad = new Error(`${JSON.stringify(statement)} is not a single import statement.`);
  if (tree === null) {
    throw bad;
  }
  try {
    const nodes = namedChildrenOf(tree.rootNode);
    const node = nodes[0];
    if (tree.rootNode.hasError || nodes.length !== 1 || node === undefined) {
      throw bad;
    }
    if (node.type === "import_statement") {
      return { kind: "import", module: "", names: importedNames(node), wildcard: false };
    }
    if (node.type === "import_from_statement" || node.type === "future_import_statement") {
      return {
        kind: "from",
        module: moduleOf(node) ?? "",
        names: importedNames(node),
        wildcard: isWildcard(node),
      };
    }
    throw bad;
  } finally {
    tree.delete();
  }
}

function moduleOf(node: Node): string | null {
  if (node.type === "future_import_statement") {
    return "__future__";
  }
  if (node.type !== "import_from_statement") {
    return null;
  }
  return fieldOf(node, "module_name")?.text.replace(/\s+/g, "") ?? null;
}

function isAliased(name: Name): boolean {
  return name.text !== name.name;
}

function isWildcard(node: Node): boolean {
  return namedChildrenOf(node).some((child) => child.type === "wildcard_import");
}

function importedNames(node: Node): Name[] {
  return node
    .childrenForFieldName("name")
    .filter((child): child is Node => child !== null)
    .map((child) => {
      if (child.type === "aliased_import") {
        const name = fieldOf(child, "name")?.text.replace(/\s+/g, "") ?? "";
        const alias = fieldOf(child, "alias")?.text ?? "";
        return { text: `${name} as ${alias}`, name };
      }
      const name = child.text.replace(/\s+/g, "");
      return { text: name, name };
    });
}

function fromStatement(module: string, names: readonly Name[], eol: string): string {
  const flat = `from ${module} import ${names.map((name) => name.text).join(", ")}`;
  if (widthOf(flat) <= LINE_LENGTH) {
    return flat;
  }
  return `from ${module} import (${eol}${names.map((name) => `${INDENT}${name.text},${eol}`).join("")})`;
}

/** isort's order within `from x import ...` (ruff's default): constants, classes, then the rest, case-insensitively. */
function memberKey(name: string): string {
  const base = name.split(" ")[0] ?? name;
  const rank =
    base.length > 1 && base === base.toUpperCase() && /[A-Z]/.test(base) ? 0 : /^[A-Z]/.test(base) ? 1 : 2;
  return `${rank}${base.toLowerCase()} ${name.toLowerCase()}`;
}

/** Adds `name` to the `from x import ...` statement starting at `statementStart`, at its sorted place. */
function mergeName(
  parser: Parser,
  source: string,
  file: string,
  eol: string,
  statementStart: number,
  name: Name,
): string {
  const exploded = withModule(parser, source, file, (root) => {
    const statement = statementAt(root, statementStart);
    const parenthesized = childrenOf(statement).some((child) => child.type === "(");
    return parenthesized && statement.startPosition.row !== statement.endPosition.row;
  });
  if (exploded) {
    return insertEntry(
      parser,
      source,
      file,
      (root) => {
        const statement = statementAt(root, statementStart);
        const sequence = namesSequence(statement);
        return { sequence, placement: sortedPlacement(sequence.items, name) };
      },
      name.text,
    );
  }
  // On one line: still on one line if it fits, else parenthesized one name per line, as ruff does.
  return withModule(parser, source, file, (root) => {
    const statement = statementAt(root, statementStart);
    const names = importedNames(statement);
    const nodes = statement.childrenForFieldName("name").filter((child): child is Node => child !== null);
    const placement = sortedPlacement(nodes, name);
    const index =
      placement === "end"
        ? names.length
        : nodes.indexOf("after" in placement ? placement.after : placement.before) +
          ("after" in placement ? 1 : 0);
    const all = [...names.slice(0, index), name, ...names.slice(index)];
    const module = moduleOf(statement) ?? "";
    const first = nodes[0];
    const last = nodes[nodes.length - 1];
    if (first === undefined || last === undefined) {
      return source;
    }
    const children = childrenOf(statement);
    const magicComma =
      children[children.length - 2]?.type === "," && children[children.length - 1]?.type === ")";
    const singleLine = statement.startPosition.row === statement.endPosition.row && !magicComma;
    const flat = `${source.slice(lineStart(source, statement.startIndex), first.startIndex)}${all.map((n) => n.text).join(", ")}`;
    const text =
      singleLine &&
      widthOf(`${flat}${source.slice(last.endIndex, lineEnd(source, last.endIndex))}`) <= LINE_LENGTH
        ? all.map((n) => n.text).join(", ")
        : null;
    if (text !== null) {
      return `${source.slice(0, first.startIndex)}${text}${source.slice(last.endIndex)}`;
    }
    const rewritten = `from ${module} import (${eol}${all.map((n) => `${INDENT}${n.text},${eol}`).join("")})`;
    return `${source.slice(0, statement.startIndex)}${rewritten}${source.slice(statement.endIndex)}`;
  });
}

function statementAt(root: Node, start: number): Node {
  const statement = statementsOf(root).find((node) => node.startIndex === start);
  if (statement === undefined) {
    throw new Error("The import statement moved while it was edited.");
  }
  return statement;
}

/** The parenthesized names of `from x import (a, b)` as a sequence. */
function namesSequence(statement: Node): Sequence {
  const children = childrenOf(statement);
  const open = children.find((child) => child.type === "(");
  const close = children.find((child) => child.type === ")");
  if (open === undefined || close === undefined) {
    throw new Error("Not a parenthesized import.");
  }
  const inner = children.filter(
    (child) => child.startIndex >= open.endIndex && child.endIndex <= close.startIndex,
  );
  return {
    open,
    close,
    items: inner.filter((child) => child.type === "dotted_name" || child.type === "aliased_import"),
    inner,
    isTuple: false,
  };
}

function sortedPlacement(items: readonly Node[], name: Name): Placement {
  const key = memberKey(name.text);
  const next = items.find((item) => memberKey(item.text.replace(/\s+/g, " ")) > key);
  return next === undefined ? "end" : { before: next };
}

/**
 * Adds `statement` unless `present(top-level imports)`: in its isort section (standard
 * library, third party, the project's own modules, relative) at its sorted place, as
 * `ruff check --select I` wants it; in a new section between its neighbours, one blank
 * line on each side, when the module has none of that kind; else after the docstring.
 */
function ensureStatement(
  parser: Parser,
  source: string,
  file: string,
  eol: string,
  statement: string,
  present: (imports: readonly Node[]) => boolean,
  firstParty: ReadonlySet<string>,
): string {
  return withModule(parser, source, file, (root) => {
    const statements = statementsOf(root);
    const imports = statements.filter(isImport);
    if (present(imports)) {
      return source;
    }
    const head: Node[] = [];
    let docstring: Node | null = null;
    for (const [index, node] of statements.entries()) {
      if (
        index === 0 &&
        node.type === "expression_statement" &&
        namedChildrenOf(node)[0]?.type === "string"
      ) {
        docstring = node;
      } else if (isImport(node)) {
        head.push(node);
      } else {
        break;
      }
    }
    const words = statement.split(/\s+/);
    const newModule = words[1] ?? "";
    const section = sectionOf(newModule, firstParty);
    const key = statement.startsWith("from ")
      ? sortKey(
          "from",
          newModule,
          words
            .slice(3)
            .join(" ")
            .replace(/^\(\s*/, "")
            .split(",")[0] ?? "",
        )
      : sortKey("import", newModule);
    const sameSection = head.filter((node) => sectionOf(moduleName(node), firstParty) === section);
    const later = sameSection.find((node) => statementKey(node) > key);
    if (later !== undefined) {
      const at = lineStart(source, topOfComments(source, later));
      return `${source.slice(0, at)}${statement}${eol}${source.slice(at)}`;
    }
    const lastOfSection = sameSection[sameSection.length - 1];
    if (lastOfSection !== undefined) {
      return afterStatement(source, lastOfSection, statement, eol);
    }
    // A new section, between the sections before and after it, one blank line on each side.
    const earlier = head.filter((node) => sectionOf(moduleName(node), firstParty) < section);
    const lastBefore = earlier[earlier.length - 1];
    if (lastBefore !== undefined) {
      const at = nextLineStart(source, lastBefore.endIndex);
      const closes = /^[ \t]*\S/.test(source.slice(at)) ? eol : "";
      return afterStatement(source, lastBefore, `${eol}${statement}${closes}`, eol);
    }
    const firstAfter = head[0];
    if (firstAfter !== undefined) {
      const at = lineStart(source, topOfComments(source, firstAfter));
      return `${source.slice(0, at)}${statement}${eol}${eol}${source.slice(at)}`;
    }
    let at = 0;
    if (docstring !== null) {
      at = nextLineStart(source, docstring.endIndex);
    } else {
      // Keep a shebang, encoding line or detached header comment at the top.
      const header = /^(?:#[^\n]*\n)+[ \t]*\r?\n/.exec(source);
      at = header === null ? 0 : header[0].length;
    }
    const before = source.slice(0, at);
    const rest = source.slice(at).replace(/^(?:[ \t]*\r?\n)+/, "");
    const opening = docstring !== null ? `${before.endsWith("\n") ? "" : eol}${eol}` : "";
    return `${before}${opening}${statement}${eol}${rest === "" ? "" : `${eol}${rest}`}`;
  });
}

/** A top-level `import`, `from … import` or `from __future__ import`. */
export function isImport(node: Node): boolean {
  return ["import_statement", "import_from_statement", "future_import_statement"].includes(node.type);
}

function moduleName(node: Node): string {
  return node.type === "import_statement" ? (importedNames(node)[0]?.name ?? "") : (moduleOf(node) ?? "");
}

/**
 * isort's sections, in order (ruff's defaults): `__future__`, the standard library, third
 * party, first party (the project's own modules), then relative imports.
 */
function sectionOf(module: string, firstParty: ReadonlySet<string>): number {
  if (module.startsWith(".")) {
    return 4;
  }
  const root = module.split(".")[0] ?? module;
  if (root === "__future__") {
    return 0;
  }
  if (STDLIB_MODULES.has(root)) {
    return 1;
  }
  return firstParty.has(root) ? 3 : 2;
}

/** The top folder of a project file (`shop` for `shop/settings/base.py`), if it has one. */
function topFolderOf(file: string): string[] {
  const parts = file.replace(/^(\.?\/)+/, "").split("/");
  return parts.length > 1 && parts[0] !== undefined ? [parts[0]] : [];
}

function statementKey(node: Node): string {
  return node.type === "import_statement"
    ? sortKey("import", moduleName(node))
    : sortKey("from", moduleName(node), importedNames(node)[0]?.text ?? "");
}

/**
 * Order within a section, as ruff sorts: `import x` lines before `from x import` lines,
 * each by module name (ignoring case, numbers by value: `module2` before `module10`),
 * relative modules from the furthest (`..`) to the closest (`.`); statements of one module
 * by their first name, a plain name before the same name aliased.
 */
function sortKey(kind: "import" | "from", module: string, firstName = ""): string {
  const dots = /^\.*/.exec(module)?.[0].length ?? 0;
  const natural = module
    .slice(dots)
    .toLowerCase()
    .replace(/\d+/g, (digits) => digits.padStart(12, "0"));
  return `${kind === "import" ? 0 : 1} ${String(9 - Math.min(dots, 9))} ${natural} ${memberKey(firstName)}`;
}

function afterStatement(source: string, node: Node, statement: string, eol: string): string {
  const at = nextLineStart(source, node.endIndex);
  const before = source.slice(0, at);
  return `${before}${before.endsWith("\n") ? "" : eol}${statement}${eol}${source.slice(at)}`;
}
