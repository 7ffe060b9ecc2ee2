/**
 * Where a module-level name (a setting, `urlpatterns`) gets its value: its assignments and
 * its extensions (`+=`, `.append(...)`, `.extend(...)`, `.insert(...)`), at top level or
 * inside `if`/`try`/`with`/`for`/`while` blocks. Function and class bodies are other
 * scopes and are not looked into.
 */
import type { Node } from "web-tree-sitter";
import { PythonEditError } from "./errors";
import { fieldOf, lineOf, namedChildrenOf } from "./syntax";

export interface Assignment {
  /** The `assignment` node. */
  readonly node: Node;
  readonly value: Node;
  /** Directly in the module, not inside a block. */
  readonly topLevel: boolean;
  /** The kind of block it is in, e.g. "an if block", when not at top level. */
  readonly block: string;
}

export interface Extension {
  readonly node: Node;
  /** The entries it adds, when they are written out (a list or tuple literal, or `.append(x)`). */
  readonly entries: readonly Node[] | null;
}

export interface Bindings {
  readonly assignments: readonly Assignment[];
  readonly extensions: readonly Extension[];
  /** `A = B = ...` or `A, B = ...` with the name among the targets. */
  readonly unusual: readonly { node: Node; what: string }[];
}

/** Compound statements and their parts: code inside them is still module scope. */
export const COMPOUND_STATEMENTS: ReadonlySet<string> = new Set([
  "block",
  "if_statement",
  "elif_clause",
  "else_clause",
  "try_statement",
  "except_clause",
  "except_group_clause",
  "finally_clause",
  "with_statement",
  "for_statement",
  "while_statement",
  "match_statement",
  "case_clause",
]);

const CONTAINERS: ReadonlySet<string> = new Set(["module", ...COMPOUND_STATEMENTS]);

const BLOCK_NAMES: Record<string, string> = {
  if_statement: "an if block",
  try_statement: "a try block",
  with_statement: "a with block",
  for_statement: "a for loop",
  while_statement: "a while loop",
  match_statement: "a match block",
};

export function bindingsOf(root: Node, name: string): Bindings {
  const assignments: Assignment[] = [];
  const extensions: Extension[] = [];
  const unusual: { node: Node; what: string }[] = [];
  const visit = (node: Node, block: string): void => {
    for (const child of namedChildrenOf(node)) {
      if (CONTAINERS.has(child.type)) {
        visit(child, BLOCK_NAMES[child.type] ?? block);
      } else if (child.type === "expression_statement") {
        for (const expression of namedChildrenOf(child)) {
          inspect(expression, node.type === "module", block);
        }
      }
    }
  };
  const inspect = (expression: Node, topLevel: boolean, block: string): void => {
    if (expression.type === "assignment") {
      const targets: Node[] = [];
      let current: Node | null = expression;
      let value: Node | null = null;
      while (current?.type === "assignment") {
        const left = fieldOf(current, "left");
        if (left !== null) {
          targets.push(left);
        }
        value = fieldOf(current, "right");
        current = value;
      }
      if (targets.some((target) => target.type === "identifier" && target.text === name)) {
        if (targets.length > 1) {
          unusual.push({
            node: expression,
            what: `a chained assignment ${targets.map((t) => t.text).join(" = ")} = ...`,
          });
        } else if (value !== null) {
          assignments.push({ node: expression, value, topLevel, block });
        }
      } else if (targets.some((target) => target.type !== "identifier" && mentions(target, name))) {
        unusual.push({ node: expression, what: "an unpacking assignment" });
      }
    } else if (expression.type === "augmented_assignment") {
      const left = fieldOf(expression, "left");
      const operator = fieldOf(expression, "operator");
      const right = fieldOf(expression, "right");
      if (left?.type === "identifier" && left.text === name && operator?.type === "+=" && right !== null) {
        extensions.push({ node: expression, entries: literalItems(right) });
      }
    } else if (expression.type === "call") {
      const callee = fieldOf(expression, "function");
      const object = callee?.type === "attribute" ? fieldOf(callee, "object") : null;
      const method = callee?.type === "attribute" ? fieldOf(callee, "attribute")?.text : undefined;
      const args = fieldOf(expression, "arguments");
      if (object?.type === "identifier" && object.text === name && args?.type === "argument_list") {
        const values = namedChildrenOf(args);
        const entries =
          method === "append" && values.length === 1
            ? values
            : method === "insert" && values.length === 2
              ? values.slice(1)
              : method === "extend" && values.length === 1 && values[0] !== undefined
                ? literalItems(values[0])
                : undefined;
        if (entries !== undefined) {
          extensions.push({ node: expression, entries });
        }
      }
    }
  };
  visit(root, "");
  return { assignments, extensions, unusual };
}

function mentions(node: Node, name: string): boolean {
  return (
    (node.type === "identifier" && node.text === name) || namedChildrenOf(node).some((c) => mentions(c, name))
  );
}

/** The items of a list or tuple literal without spreads, or null. */
export function literalItems(node: Node): Node[] | null {
  if (node.type !== "list" && node.type !== "tuple") {
    return null;
  }
  const items = namedChildrenOf(node);
  return items.some((item) => item.type === "list_splat") ? null : items;
}

/**
 * The one top-level `name = value` of the module, or null when there is none; refuses a
 * name assigned twice, assigned inside a block, or assigned together with other names.
 */
export function singleAssignment(file: string, name: string, bindings: Bindings): Assignment | null {
  const odd = bindings.unusual[0];
  if (odd !== undefined) {
    throw new PythonEditError(file, lineOf(odd.node), `a plain ${name} = ... assignment`, odd.what);
  }
  const [first, second] = bindings.assignments;
  if (first === undefined) {
    return null;
  }
  if (second !== undefined) {
    const where = second.topLevel ? "" : ` inside ${second.block}`;
    throw new PythonEditError(
      file,
      lineOf(second.node),
      `${name} assigned once with = (and extended with +=)`,
      `a second assignment${where} (the first is at line ${lineOf(first.node)})`,
    );
  }
  if (!first.topLevel) {
    throw new PythonEditError(
      file,
      lineOf(first.node),
      `a top-level ${name} = ...`,
      `an assignment only inside ${first.block}`,
    );
  }
  return first;
}
