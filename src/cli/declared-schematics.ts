import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../base/version";
import { assertSupportedSchema, OptionsSchema } from "./schema-options";

/** A schematic as collection.json declares it, with its options' schema.json. */
export interface DeclaredSchematic {
  name: string;
  description: string;
  schema: OptionsSchema;
}

interface CollectionEntry {
  description?: string;
  schema?: string;
  private?: boolean;
  hidden?: boolean;
}

/**
 * Schematics the bin runs through a command of their own, not through `quickscale add`:
 * `init` makes a project, `update` brings every concern of one to this version.
 */
export const OWN_COMMANDS: readonly string[] = ["init", "update"];

/**
 * The schematics `quickscale add` accepts: those collection.json lists as public (not
 * `"private"`, not `"hidden"`), but those of {@link OWN_COMMANDS}. Sorted by name. collection.json and each schema.json are the only place a module is
 * declared: the bin's command line, its help and its validation are read from them.
 */
export function addableSchematics(root = PACKAGE_ROOT): DeclaredSchematic[] {
  return Object.entries(collectionEntries(root))
    .filter(
      ([name, entry]) => !OWN_COMMANDS.includes(name) && entry.private !== true && entry.hidden !== true,
    )
    .map(([name]) => declaredSchematic(name, root))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** One schematic of collection.json, with its schema. */
export function declaredSchematic(name: string, root = PACKAGE_ROOT): DeclaredSchematic {
  const entry = collectionEntries(root)[name];
  if (entry === undefined) {
    throw new Error(`collection.json declares no schematic "${name}".`);
  }
  if (entry.schema === undefined) {
    throw new Error(`collection.json: schematic "${name}" has no schema.json.`);
  }
  const schemaFile = join(root, entry.schema);
  const schema = readJson(schemaFile);
  assertSupportedSchema(schema, entry.schema);
  return { name, description: entry.description ?? "", schema };
}

/** collection.json's entries, read once per package root. */
const collections = new Map<string, Record<string, CollectionEntry>>();

function collectionEntries(root: string): Record<string, CollectionEntry> {
  let entries = collections.get(root);
  if (entries === undefined) {
    const collection = readJson(join(root, "collection.json")) as {
      schematics?: Record<string, CollectionEntry>;
    };
    entries = collection.schematics ?? {};
    collections.set(root, entries);
  }
  return entries;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}
