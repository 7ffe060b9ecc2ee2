import { parse } from "smol-toml";

/**
 * Removes from the string array `key` of table `[table]` the items `drop` picks, in the
 * text as written (comments and layout of the rest kept): the array may span lines. The
 * result is checked by parsing it: the array must hold exactly the items kept. A table or
 * key that is absent, or not a plain array of strings, leaves the text as it is.
 */
export function removeFromStringArray(
  text: string,
  file: string,
  table: string,
  key: string,
  drop: (item: string) => boolean,
): string {
  const value = lookup(parse(text), [...table.split("."), key]);
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    return text;
  }
  const kept = value.filter((item) => !drop(item));
  if (kept.length === value.length) {
    return text;
  }
  const span = arraySpan(text, table, key);
  if (span === null) {
    throw new Error(
      `${file}: [${table}] ${key} is written in a way QuickScale cannot edit; remove ${value.filter(drop).join(", ")} from it by hand.`,
    );
  }
  let body = text.slice(span.start, span.end);
  for (const item of value.filter(drop)) {
    const quoted = JSON.stringify(item).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    // The item's own line, or the item with the comma after it, or (last) before it.
    const ownLine = new RegExp(`^[ \\t]*${quoted}[ \\t]*,?[ \\t]*\\n`, "m");
    const withComma = new RegExp(`${quoted}[ \\t]*,[ \\t]*`);
    const last = new RegExp(`,?[ \\t]*${quoted}`);
    body = ownLine.test(body)
      ? body.replace(ownLine, "")
      : withComma.test(body)
        ? body.replace(withComma, "")
        : body.replace(last, "");
  }
  const edited = text.slice(0, span.start) + body + text.slice(span.end);
  const check = lookup(parse(edited), [...table.split("."), key]);
  if (JSON.stringify(check) !== JSON.stringify(kept)) {
    throw new Error(
      `${file}: [${table}] ${key} could not be edited safely; remove ${value.filter(drop).join(", ")} from it by hand.`,
    );
  }
  return edited;
}

function lookup(doc: unknown, path: readonly string[]): unknown {
  let node = doc;
  for (const part of path) {
    if (typeof node !== "object" || node === null || Array.isArray(node)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Where `key = [ … ]` of `[table]` starts and ends in the text (the brackets included). */
function arraySpan(text: string, table: string, key: string): { start: number; end: number } | null {
  const header = new RegExp(`^\\[${table.replace(/\./g, "\\.")}\\][ \\t]*(#.*)?$`, "m").exec(text);
  if (header === null) {
    return null;
  }
  const after = header.index + header[0].length;
  const next = /^\[/m.exec(text.slice(after));
  const sectionEnd = next === null ? text.length : after + next.index;
  const line = new RegExp(`^${key}[ \\t]*=[ \\t]*\\[`, "m").exec(text.slice(after, sectionEnd));
  if (line === null) {
    return null;
  }
  const start = after + line.index + line[0].length - 1;
  let depth = 0;
  let quote: string | null = null;
  for (let i = start; i < sectionEnd; i++) {
    const char = text[i];
    if (quote !== null) {
      if (char === "\\" && quote === '"') {
        i++;
      } else if (char === quote) {
        quote = null;
      }
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === "#") {
      i = text.indexOf("\n", i);
      if (i < 0) {
        return null;
      }
    } else if (char === "[") {
      depth++;
    } else if (char === "]" && --depth === 0) {
      return { start, end: i + 1 };
    }
  }
  return null;
}
