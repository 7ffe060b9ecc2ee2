/**
 * Adding an item to a bracketed sequence (a list, a tuple, the names of a parenthesized
 * import) the way `ruff format` would leave it: inline when the line still fits in 88
 * columns, else exploded one item per line with a magic trailing comma; in a list already
 * one item per line, on its own line at the others' indentation. Every byte that is not
 * part of the change is kept: comments, blank lines, the quote style of existing items.
 */
import type { Node, Parser } from "web-tree-sitter";
import {
  childrenOf,
  eolOf,
  INDENT,
  indentAt,
  indentLines,
  LINE_LENGTH,
  lineEnd,
  lineStart,
  namedChildrenOf,
  nextLineStart,
  startsItsLine,
  widthOf,
  withModule,
} from "./syntax";

/** A bracketed sequence: its brackets, its items, and everything between the brackets. */
export interface Sequence {
  readonly open: Node;
  readonly close: Node;
  readonly items: readonly Node[];
  /** Items, commas and comments between the brackets, in order. */
  readonly inner: readonly Node[];
  /** A one-item tuple needs its comma even on one line. */
  readonly isTuple: boolean;
}

const OPENERS = new Set(["(", "[", "{"]);
const CLOSERS = new Set([")", "]", "}"]);

/** The sequence of a list, tuple, set, dict or call's arguments, or null for other nodes. */
export function sequenceOf(node: Node): Sequence | null {
  if (!["list", "tuple", "set", "dictionary", "argument_list"].includes(node.type)) {
    return null;
  }
  const children = childrenOf(node);
  const open = children[0];
  const close = children[children.length - 1];
  if (open === undefined || close === undefined || !OPENERS.has(open.type) || !CLOSERS.has(close.type)) {
    return null;
  }
  const inner = children.slice(1, -1);
  return {
    open,
    close,
    items: inner.filter((child) => child.isNamed && child.type !== "comment"),
    inner,
    isTuple: node.type === "tuple",
  };
}

/** Where an entry goes: after or before an existing item, or last. */
export type Placement = { readonly after: Node } | { readonly before: Node } | "end";

/** Finds the sequence to change, and where, in a freshly parsed module (it is called again after each change). */
export type Locate = (root: Node) => { sequence: Sequence; placement: Placement };

/** A change of `source`: the new text, and where the added entry now lies in it. */
interface Change {
  readonly source: string;
  readonly span: readonly [number, number];
}

/**
 * `source` with `entry` (an expression as QuickScale writes it) added to the sequence that
 * `locate` finds, then laid out as ruff would.
 */
export function insertEntry(
  parser: Parser,
  source: string,
  file: string,
  locate: Locate,
  entry: string,
): string {
  const eol = eolOf(source);
  let current = source;
  for (let attempt = 0; attempt < 3; attempt++) {
    const step = withModule(parser, current, file, (root): Change | { exploded: string } => {
      const { sequence, placement } = locate(root);
      const shape = shapeOf(current, sequence);
      const multiLineEntry = entry.includes("\n");
      if (shape === "irregular" || (shape === "inline" && (multiLineEntry || hasMagicComma(sequence)))) {
        return { exploded: explode(current, sequence, eol, "lines").source };
      }
      return shape === "inline"
        ? insertInline(current, sequence, placement, entry)
        : insertOnItsLine(current, sequence, placement, entry, eol);
    });
    if ("exploded" in step) {
      current = step.exploded;
      continue;
    }
    return fitLines(parser, step.source, file, step.span, eol);
  }
  throw new Error(`${file}: could not lay out the sequence to add ${entry} to.`);
}

type Shape = "inline" | "lines" | "irregular";

/**
 * `inline`: on one line. `lines`: as ruff leaves an exploded sequence, each item starting
 * its own line and the closing bracket on its own line. `irregular`: anything else (items
 * hanging after the bracket, two on a line, a comma on its own line).
 */
function shapeOf(source: string, sequence: Sequence): Shape {
  const openRow = sequence.open.startPosition.row;
  if (sequence.close.endPosition.row === openRow) {
    return "inline";
  }
  if (!startsItsLine(source, sequence.close.startIndex)) {
    return "irregular";
  }
  let previousRow = openRow;
  let itemEndRow = -1;
  for (const child of sequence.inner) {
    if (child.type === "comment") {
      previousRow = child.endPosition.row;
    } else if (child.type === ",") {
      if (child.startPosition.row !== itemEndRow) {
        return "irregular";
      }
      previousRow = child.endPosition.row;
    } else {
      if (child.startPosition.row <= previousRow || !startsItsLine(source, child.startIndex)) {
        return "irregular";
      }
      itemEndRow = child.endPosition.row;
      previousRow = itemEndRow;
    }
  }
  return "lines";
}

function trailingComma(sequence: Sequence): Node | null {
  const last = sequence.items[sequence.items.length - 1];
  if (last === undefined) {
    return null;
  }
  return commaAfter(sequence, last);
}

function commaAfter(sequence: Sequence, item: Node): Node | null {
  const index = sequence.inner.indexOf(item);
  const next = sequence.inner.slice(index + 1).find((child) => child.type !== "comment");
  return next?.type === "," ? next : null;
}

/** A trailing comma ruff keeps as a request to stay exploded (a one-item tuple's is required, not magic). */
function hasMagicComma(sequence: Sequence): boolean {
  return trailingComma(sequence) !== null && !(sequence.isTuple && sequence.items.length === 1);
}

function anchorOf(sequence: Sequence, placement: Placement): { node: Node; after: boolean } | null {
  if (placement === "end") {
    const last = sequence.items[sequence.items.length - 1];
    return last === undefined ? null : { node: last, after: true };
  }
  return "after" in placement
    ? { node: placement.after, after: true }
    : { node: placement.before, after: false };
}

function splice(source: string, at: number, text: string): string {
  return `${source.slice(0, at)}${text}${source.slice(at)}`;
}

function insertInline(source: string, sequence: Sequence, placement: Placement, entry: string): Change {
  const anchor = anchorOf(sequence, placement);
  if (anchor === null) {
    const at = sequence.open.endIndex;
    return {
      source: splice(source, at, sequence.isTuple ? `${entry},` : entry),
      span: [at, at + entry.length],
    };
  }
  if (!anchor.after) {
    const at = anchor.node.startIndex;
    return { source: splice(source, at, `${entry}, `), span: [at, at + entry.length] };
  }
  const comma = commaAfter(sequence, anchor.node);
  if (comma !== null && sequence.items[sequence.items.length - 1] === anchor.node) {
    // A one-item tuple: ("a",) becomes ("a", "b").
    const at = comma.endIndex;
    return { source: splice(source, at, ` ${entry}`), span: [at + 1, at + 1 + entry.length] };
  }
  const at = anchor.node.endIndex;
  return { source: splice(source, at, `, ${entry}`), span: [at + 2, at + 2 + entry.length] };
}

function insertOnItsLine(
  source: string,
  sequence: Sequence,
  placement: Placement,
  entry: string,
  eol: string,
): Change {
  const anchor = anchorOf(sequence, placement);
  const first = sequence.items[0] ?? sequence.inner.find((child) => startsItsLine(source, child.startIndex));
  const indent =
    anchor !== null
      ? indentAt(source, anchor.node.startIndex)
      : first !== undefined
        ? indentAt(source, first.startIndex)
        : `${indentAt(source, sequence.open.startIndex)}${INDENT}`;
  const line = `${indent}${indentLines(entry, indent, eol)},${eol}`;
  if (anchor === null) {
    const at = lineStart(source, sequence.close.startIndex);
    return {
      source: splice(source, at, line),
      span: [at + indent.length, at + line.length - eol.length - 1],
    };
  }
  if (anchor.after) {
    const comma = commaAfter(sequence, anchor.node);
    let text = source;
    let shift = 0;
    if (comma === null) {
      text = splice(text, anchor.node.endIndex, ",");
      shift = 1;
    }
    const at = nextLineStart(source, (comma ?? anchor.node).endIndex) + shift;
    return { source: splice(text, at, line), span: [at + indent.length, at + line.length - eol.length - 1] };
  }
  // Before an item: above the comment lines that introduce it, which belong to it.
  let top = anchor.node;
  const index = sequence.inner.indexOf(anchor.node);
  for (let i = index - 1; i >= 0; i--) {
    const previous = sequence.inner[i];
    if (previous?.type !== "comment" || !startsItsLine(source, previous.startIndex)) {
      break;
    }
    top = previous;
  }
  const at = lineStart(source, top.startIndex);
  return { source: splice(source, at, line), span: [at + indent.length, at + line.length - eol.length - 1] };
}

/**
 * The sequence exploded one item per line, keeping its comments: the text that replaces it
 * from its opening to its closing bracket, and a map from old positions to new ones.
 * `call` first tries all the arguments on one indented line, as ruff does for calls.
 */
function explode(
  source: string,
  sequence: Sequence,
  eol: string,
  mode: "lines" | "call",
): { source: string; map: (position: number) => number } {
  const start = sequence.open.startIndex;
  const end = sequence.close.endIndex;
  const base = indentAt(source, start);
  const indent = `${base}${INDENT}`;
  const magic = hasMagicComma(sequence);
  const texts = sequence.items.map((item) => item.text);
  const hasComments = sequence.inner.some((child) => child.type === "comment");
  const hugged = `${indent}${texts.join(", ")}`;
  const moved: { from: number; to: number; length: number }[] = [];
  let text: string;
  if (mode === "call" && !magic && !hasComments && widthOf(hugged) <= LINE_LENGTH) {
    text = `${sequence.open.text}${eol}${indent}`;
    sequence.items.forEach((item, index) => {
      moved.push({ from: item.startIndex, to: start + text.length, length: item.text.length });
      text += `${item.text}${index < texts.length - 1 ? ", " : ""}`;
    });
    text += `${eol}${base}${sequence.close.text}`;
  } else {
    const comma = texts.length > 1 || magic || sequence.isTuple || hasComments;
    text = sequence.open.text;
    let lastRow = sequence.open.endPosition.row;
    for (const child of sequence.inner) {
      if (child.type === "comment") {
        const comment = child.text.replace(/\r$/, "");
        if (child.startPosition.row === lastRow) {
          text += `  ${comment}`;
        } else {
          text += `${eol}${indent}${comment}`;
        }
        lastRow = child.endPosition.row;
      } else if (child.type === ",") {
        lastRow = child.endPosition.row;
      } else {
        text += `${eol}${indent}`;
        moved.push({ from: child.startIndex, to: start + text.length, length: child.text.length });
        const isLast = child === sequence.items[sequence.items.length - 1];
        text += `${child.text}${!isLast || comma ? "," : ""}`;
        lastRow = child.endPosition.row;
      }
    }
    text += `${eol}${base}${sequence.close.text}`;
  }
  const delta = text.length - (end - start);
  const map = (position: number): number => {
    if (position <= start) {
      return position;
    }
    if (position >= end) {
      return position + delta;
    }
    for (const piece of moved) {
      if (position >= piece.from && position <= piece.from + piece.length) {
        return piece.to + (position - piece.from);
      }
    }
    const next = moved.find((piece) => piece.from > position);
    return next?.to ?? start + text.length;
  };
  return { source: `${source.slice(0, start)}${text}${source.slice(end)}`, map };
}

/** Groups ruff breaks to make a line fit: collections and the arguments of calls. */
const GROUPS = new Set(["list", "tuple", "set", "dictionary", "argument_list"]);

/**
 * While a line of the span is longer than 88 columns, explodes the outermost group on that
 * line that holds part of the span (ruff breaks the outermost group first), as ruff would.
 */
export function fitLines(
  parser: Parser,
  source: string,
  file: string,
  span: readonly [number, number],
  eol: string,
): string {
  let current = source;
  let [from, to] = span;
  for (let step = 0; step < 200; step++) {
    const text = current;
    const change = withModule(parser, text, file, (root) => {
      for (let at = lineStart(text, from); at <= to; at = nextLineStart(text, at)) {
        const endOfLine = lineEnd(text, at);
        if (widthOf(text.slice(at, endOfLine)) > LINE_LENGTH) {
          const group = outermostGroup(root, at, endOfLine, from, to);
          if (group !== null) {
            const sequence = sequenceOf(group);
            if (sequence !== null) {
              return explode(text, sequence, eol, group.type === "argument_list" ? "call" : "lines");
            }
          }
        }
        if (nextLineStart(text, at) <= at) {
          break;
        }
      }
      return null;
    });
    if (change === null) {
      return current;
    }
    current = change.source;
    from = change.map(from);
    to = change.map(to);
  }
  return current;
}

function outermostGroup(root: Node, lineFrom: number, lineTo: number, from: number, to: number): Node | null {
  let best: Node | null = null;
  const visit = (node: Node): void => {
    if (node.endIndex < lineFrom || node.startIndex > lineTo) {
      return;
    }
    if (
      GROUPS.has(node.type) &&
      node.startIndex >= lineFrom &&
      node.endIndex <= lineTo &&
      node.startIndex < to &&
      node.endIndex > from &&
      namedChildrenOf(node).length > 0 &&
      (best === null || node.startIndex < best.startIndex)
    ) {
      best = node;
      return;
    }
    childrenOf(node).forEach(visit);
  };
  visit(root);
  return best;
}

/** The items of a sequence that spreads another (`*BASE`), which an editor cannot see into. */
export function spreadIn(sequence: Sequence): Node | null {
  return (
    sequence.items.find((item) => item.type === "list_splat" || item.type === "dictionary_splat") ?? null
  );
}
