/**
 * Adding entries to list settings (`INSTALLED_APPS`, `MIDDLEWARE`), to lists nested in
 * settings (`TEMPLATES[0]["OPTIONS"]["context_processors"]`) and to `urlpatterns`.
 */
import type { Node, Parser } from "web-tree-sitter";
import { pythonParser } from "./parser";
import { bindingsOf, literalItems, singleAssignment } from "./bindings";
import { PythonEditError } from "./errors";
import { insertEntry, Placement, Sequence, sequenceOf, spreadIn } from "./layout";
import {
  describeNode,
  Expression,
  fieldOf,
  keyOf,
  lineOf,
  namedChildrenOf,
  parseExpression,
  statementsOf,
  stringKey,
  withModule,
} from "./syntax";

/** Where an entry already known lies, relative to the list entries are added to. */
type EntrySide = "before" | "target" | "after";

interface ExistingEntry {
  readonly key: string;
  readonly where: EntrySide;
  readonly node: Node;
}

/** What a lookup found: the list to add to (or a refusal to raise if something is missing), and the entries known around it. */
interface ListLookup {
  readonly sequence: Sequence | null;
  readonly refusal: PythonEditError | null;
  readonly known: readonly ExistingEntry[];
  /** How messages name the list, e.g. `INSTALLED_APPS` or `TEMPLATES[0]["OPTIONS"]`. */
  readonly label: string;
}

type Lookup = (root: Node) => ListLookup;

/** Where {@link addToListSetting} puts entries, and what they are. */
export interface ListSettingOptions {
  /** Right after this entry (a Python expression, or the bare string). */
  readonly after?: string;
  /** Right before this entry, when `after` is not given. */
  readonly before?: string;
  /** Without the entry `after` or `before` names, at the end instead of a refusal. */
  readonly orAtEnd?: boolean;
  /**
   * The entries are third-party apps: when the setting is a sum of named lists
   * (`INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS`), they go into the list
   * named for third-party apps ({@link THIRD_PARTY_LIST}) instead of a refusal.
   */
  readonly thirdParty?: boolean;
  /**
   * The entries are the project's own apps: in such a sum they go into the list named for
   * local apps (LOCAL_APPS, PROJECT_APPS: {@link LOCAL_LIST}) instead of a refusal.
   */
  readonly local?: boolean;
}

/** The operand of a sum of app lists that holds third-party apps, and the one for the project's own. */
const THIRD_PARTY_LIST = /third_?party/i;
const LOCAL_LIST = /local|project/i;

/** Adds entries (Python expressions, e.g. '"allauth"') to a top-level list or tuple setting. */
export async function addToListSetting(
  source: string,
  file: string,
  setting: string,
  entries: readonly string[],
  options: ListSettingOptions = {},
): Promise<string> {
  const parser = await pythonParser();
  const { thirdParty, local, ...place } = options;
  const group = thirdParty === true ? THIRD_PARTY_LIST : local === true ? LOCAL_LIST : null;
  return addEntries(parser, source, file, entries, place, (root) =>
    settingList(root, file, (group === null ? null : namedList(root, setting, group)) ?? setting, "list"),
  );
}

/**
 * For `SETTING = A + B + C`, a sum of names only (no list written out), the one operand whose
 * name matches `group`: THIRD_PARTY or THIRDPARTY (any case), LOCAL or PROJECT, as
 * cookiecutter-django's THIRD_PARTY_APPS and LOCAL_APPS and most projects split that way
 * name them. Null (the caller keeps the setting, and its refusal) when no operand or more
 * than one is named so, or the setting is not such a sum.
 */
function namedList(root: Node, setting: string, group: RegExp): string | null {
  const [only, other] = bindingsOf(root, setting).assignments;
  if (only === undefined || other !== undefined) {
    return null;
  }
  const operands = sumOperands(only.value);
  if (operands.length < 2 || operands.some((operand) => operand.type !== "identifier")) {
    return null;
  }
  const named = operands.filter((operand) => group.test(operand.text));
  const [list, second] = named;
  return list !== undefined && second === undefined ? list.text : null;
}

/** Same, for a list nested in a dict/list literal, e.g. ["TEMPLATES", 0, "OPTIONS", "context_processors"]. */
export async function addToNestedList(
  source: string,
  file: string,
  path: readonly (string | number)[],
  entries: readonly string[],
): Promise<string> {
  const [setting, ...keys] = path;
  if (typeof setting !== "string") {
    throw new Error(`A nested list's path starts with a setting's name, not ${JSON.stringify(setting)}.`);
  }
  const parser = await pythonParser();
  if (keys.length === 0) {
    return addEntries(parser, source, file, entries, {}, (root) => settingList(root, file, setting, "list"));
  }
  return addEntries(parser, source, file, entries, {}, (root) => nestedList(root, file, setting, keys));
}

/**
 * Adds an entry such as 'path("accounts/", include("allauth.urls"))' to `urlpatterns` (list,
 * possibly extended with += ), at the end or right before the entry `options.before`.
 */
export async function addUrlPattern(
  source: string,
  file: string,
  entry: string,
  options: { before?: string; orAtEnd?: boolean } = {},
): Promise<string> {
  const parser = await pythonParser();
  return addEntries(parser, source, file, [entry], options, (root) =>
    settingList(root, file, "urlpatterns", "urlpatterns"),
  );
}

function addEntries(
  parser: Parser,
  source: string,
  file: string,
  entries: readonly string[],
  options: { after?: string; before?: string; orAtEnd?: boolean },
  lookup: Lookup,
): string {
  const wanted = dedupe(entries.map((entry) => parseExpression(parser, entry, "The entry")));
  const anchorText = options.after ?? options.before;
  const anchorKeys = anchorText === undefined ? [] : keysOfAnchor(parser, anchorText);
  const missing = withModule(parser, source, file, (root) => {
    const target = lookup(root);
    const present = new Set(target.known.map((known) => known.key));
    const absent = wanted.filter((entry) => !present.has(entry.key));
    if (absent.length > 0 && target.refusal !== null) {
      throw target.refusal;
    }
    return absent;
  });
  let current = source;
  let previous: Expression | null = null;
  for (const entry of missing) {
    const afterKeys: readonly string[] | null =
      options.after !== undefined ? (previous === null ? anchorKeys : [previous.key]) : null;
    const beforeKeys = options.after === undefined && options.before !== undefined ? anchorKeys : null;
    current = insertEntry(
      parser,
      current,
      file,
      (root) => {
        const target = lookup(root);
        if (target.sequence === null) {
          throw target.refusal ?? new Error(`${file}: no list to add ${entry.text} to.`);
        }
        return {
          sequence: target.sequence,
          placement: placementOf(
            file,
            target,
            entry,
            afterKeys,
            beforeKeys,
            anchorText ?? "",
            options.orAtEnd,
          ),
        };
      },
      entry.text,
    );
    previous = entry;
  }
  return current;
}

function dedupe(expressions: readonly Expression[]): Expression[] {
  const seen = new Set<string>();
  return expressions.filter((expression) => {
    const fresh = !seen.has(expression.key);
    seen.add(expression.key);
    return fresh;
  });
}

/** An anchor may be written as the entries are ('"x"') or as the bare string (x). */
function keysOfAnchor(parser: Parser, anchor: string): string[] {
  const keys = [stringKey(JSON.stringify(anchor))];
  try {
    keys.push(parseExpression(parser, anchor, "The anchor").key);
  } catch {
    // Not an expression: only the bare string.
  }
  return keys;
}

function placementOf(
  file: string,
  target: ListLookup,
  entry: Expression,
  afterKeys: readonly string[] | null,
  beforeKeys: readonly string[] | null,
  anchorText: string,
  orAtEnd = false,
): Placement {
  const keys = afterKeys ?? beforeKeys;
  if (keys === null) {
    return "end";
  }
  const matches = target.known.filter((known) => keys.includes(known.key));
  const inTarget = matches.find((known) => known.where === "target");
  if (inTarget !== undefined) {
    return afterKeys !== null ? { after: inTarget.node } : { before: inTarget.node };
  }
  // In a list that comes before (for "after") or after (for "before") the target: anywhere in it will do.
  if (matches.some((known) => known.where === (afterKeys !== null ? "before" : "after"))) {
    return "end";
  }
  if (matches.length === 0 && orAtEnd) {
    return "end";
  }
  const line = target.sequence === null ? 1 : lineOf(target.sequence.open);
  const side = afterKeys !== null ? "after" : "before";
  throw new PythonEditError(
    file,
    line,
    `${anchorText} in ${target.label}, to put ${entry.text} ${side} it`,
    matches.length > 0
      ? `it only in a list that comes ${side === "after" ? "after" : "before"} ${target.label}`
      : "no such entry",
  );
}

function itemsKnown(items: readonly Node[], where: EntrySide): ExistingEntry[] {
  return items
    .filter((item) => item.type !== "list_splat")
    .map((node) => ({ key: keyOf(node), where, node }));
}

/**
 * The list of a top-level setting: `NAME = [...]`/`(...)`, possibly extended with `+=`, or
 * the list literal in a sum such as `urlpatterns = [...] + static(...)`. A list named in a
 * sum of lists (`INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS`) also knows the entries
 * of the sum's other lists, so an app is not added twice.
 */
function settingList(root: Node, file: string, name: string, kind: "list" | "urlpatterns"): ListLookup {
  const expected = `a top-level ${name} = [...]`;
  const bindings = bindingsOf(root, name);
  const main = singleAssignment(file, name, bindings);
  const extensionsKnown = bindings.extensions.flatMap((extension) =>
    itemsKnown(extension.entries ?? [], "after"),
  );
  if (main === null) {
    const first = bindings.extensions[0];
    return {
      sequence: null,
      known: extensionsKnown,
      label: name,
      refusal: new PythonEditError(
        file,
        first === undefined ? 1 : lineOf(first.node),
        expected,
        first === undefined ? "no assignment" : `only extensions of ${name} (its list is defined elsewhere)`,
      ),
    };
  }
  const early = bindings.extensions.find((extension) => extension.node.startIndex < main.node.startIndex);
  if (early !== undefined) {
    throw new PythonEditError(
      file,
      lineOf(early.node),
      `${name} extended after its assignment (line ${lineOf(main.node)})`,
      "an extension before it",
    );
  }
  const value = main.value;
  const operands = sumOperands(value);
  const literalIndex = operands.findIndex((operand) => operand.type === "list" || operand.type === "tuple");
  const literal = operands[literalIndex];
  if (literal === undefined) {
    const names = operands.filter((operand) => operand.type === "identifier").map((operand) => operand.text);
    const isSum = operands.length > 1;
    const known = [
      ...extensionsKnown,
      ...operands.flatMap((operand) => resolvedItems(root, operand, "after")),
    ];
    return {
      sequence: null,
      known,
      label: name,
      refusal: new PythonEditError(
        file,
        lineOf(value),
        expected,
        isSum && names.length > 0
          ? `${name} = ${value.text.replace(/\s+/g, " ")}, a sum of lists (name one of ${names.join(", ")} as the setting)`
          : describeNode(value),
      ),
    };
  }
  if (kind === "urlpatterns" && literal.type === "tuple") {
    throw new PythonEditError(file, lineOf(literal), expected, "a tuple");
  }
  const sequence = sequenceOf(literal);
  const spread = sequence === null ? null : spreadIn(sequence);
  if (sequence === null || spread !== null) {
    throw new PythonEditError(
      file,
      lineOf(spread ?? literal),
      `${expected} of entries written out`,
      `a list that spreads ${spread?.text ?? describeNode(literal)}`,
    );
  }
  const known: ExistingEntry[] = [
    ...itemsKnown(sequence.items, "target"),
    ...operands.slice(0, literalIndex).flatMap((operand) => resolvedItems(root, operand, "before")),
    ...operands.slice(literalIndex + 1).flatMap((operand) => resolvedItems(root, operand, "after")),
    ...extensionsKnown,
  ];
  if (operands.length === 1) {
    known.push(...siblingsInSums(root, name));
  }
  return { sequence, known, label: name, refusal: null };
}

/** The operands of `a + b + c` (or the expression itself). */
function sumOperands(node: Node): Node[] {
  if (node.type === "binary_operator" && fieldOf(node, "operator")?.type === "+") {
    const left = fieldOf(node, "left");
    const right = fieldOf(node, "right");
    if (left !== null && right !== null) {
      return [...sumOperands(left), ...sumOperands(right)];
    }
  }
  return [node];
}

/** The entries of an operand: a literal's, or those of the top-level list a name is assigned. */
function resolvedItems(root: Node, operand: Node, where: EntrySide): ExistingEntry[] {
  const literal = literalItems(operand);
  if (literal !== null) {
    return itemsKnown(literal, where);
  }
  if (operand.type !== "identifier") {
    return [];
  }
  const bindings = bindingsOf(root, operand.text);
  const [only, other] = bindings.assignments;
  if (only === undefined || other !== undefined) {
    return [];
  }
  return [
    ...itemsKnown(literalItems(only.value) ?? [], where),
    ...bindings.extensions.flatMap((extension) => itemsKnown(extension.entries ?? [], where)),
  ];
}

/** For `THIRD_PARTY_APPS`, the entries of the other lists of `INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + ...`. */
function siblingsInSums(root: Node, name: string): ExistingEntry[] {
  const known: ExistingEntry[] = [];
  for (const statement of statementsOf(root)) {
    const assignment = statement.type === "expression_statement" ? namedChildrenOf(statement)[0] : undefined;
    const left = assignment?.type === "assignment" ? fieldOf(assignment, "left") : null;
    const right = assignment?.type === "assignment" ? fieldOf(assignment, "right") : null;
    if (left?.type !== "identifier" || right === null) {
      continue;
    }
    const operands = sumOperands(right);
    const index = operands.findIndex((operand) => operand.type === "identifier" && operand.text === name);
    if (operands.length < 2 || index === -1) {
      continue;
    }
    operands.forEach((operand, position) => {
      if (position !== index) {
        known.push(...resolvedItems(root, operand, position < index ? "before" : "after"));
      }
    });
    const combined = bindingsOf(root, left.text);
    known.push(...combined.extensions.flatMap((extension) => itemsKnown(extension.entries ?? [], "after")));
  }
  return known;
}

/** The list at `setting[key][key]...`, every step a literal. */
function nestedList(
  root: Node,
  file: string,
  setting: string,
  keys: readonly (string | number)[],
): ListLookup {
  const main = singleAssignment(file, setting, bindingsOf(root, setting));
  if (main === null) {
    throw new PythonEditError(file, 1, `a top-level ${setting} = ...`, "no assignment");
  }
  let node = main.value;
  let label = setting;
  for (const key of keys) {
    if (typeof key === "string") {
      if (node.type !== "dictionary") {
        throw new PythonEditError(file, lineOf(node), `a dict literal at ${label}`, describeNode(node));
      }
      const pairs = namedChildrenOf(node).filter((pair) => {
        const pairKey = pair.type === "pair" ? fieldOf(pair, "key") : null;
        return (
          pairKey !== null &&
          pairKey.type === "string" &&
          stringKey(pairKey.text) === stringKey(JSON.stringify(key))
        );
      });
      const pair = pairs[pairs.length - 1];
      const value = pair === undefined ? null : fieldOf(pair, "value");
      if (value === null) {
        const spread = namedChildrenOf(node).some((child) => child.type === "dictionary_splat");
        throw new PythonEditError(
          file,
          lineOf(node),
          `a key ${JSON.stringify(key)} in the dict at ${label}`,
          spread ? "no such key written out (the dict spreads another with **)" : "no such key",
        );
      }
      node = value;
      label += `[${JSON.stringify(key)}]`;
    } else {
      if (node.type !== "list" && node.type !== "tuple") {
        throw new PythonEditError(file, lineOf(node), `a list literal at ${label}`, describeNode(node));
      }
      const items = namedChildrenOf(node);
      const item = items[key < 0 ? items.length + key : key];
      if (item === undefined || items.some((candidate) => candidate.type === "list_splat")) {
        throw new PythonEditError(
          file,
          lineOf(node),
          `an item ${key} in the list at ${label}`,
          items.some((candidate) => candidate.type === "list_splat")
            ? "a list that spreads another"
            : `${items.length} items`,
        );
      }
      node = item;
      label += `[${key}]`;
    }
  }
  const sequence = node.type === "list" || node.type === "tuple" ? sequenceOf(node) : null;
  const spread = sequence === null ? null : spreadIn(sequence);
  if (sequence === null || spread !== null) {
    throw new PythonEditError(
      file,
      lineOf(spread ?? node),
      `a list literal at ${label}`,
      spread === null ? describeNode(node) : `a list that spreads ${spread.text}`,
    );
  }
  return { sequence, known: itemsKnown(sequence.items, "target"), label, refusal: null };
}
