/**
 * A schematic's schema.json as our bin reads it: the flags it takes, their help text and
 * defaults, and the validation of the options built from them — the way `ng` builds a
 * command's options from a schema. The devkit validates with ajv, which is a tenth of the
 * bin's start-up; our schemas use a small subset of JSON Schema, which this file validates
 * with our one-line messages, and refuses any keyword outside it so nothing goes unchecked.
 */
import { FlagSpec, UsageError } from "./args";

/** The value types an option may have. */
type OptionType = "boolean" | "string" | "integer" | "number";

export interface PropertySchema {
  type: OptionType;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  /** `{ "$source": "argv", "index": 0 }`: a positional argument rather than a flag. */
  $default?: { $source: string; index?: number };
  /** What help shows for the value: `--directory <path>` (else the enum, or the option's name). */
  "x-placeholder"?: string;
  /** Asked for when missing (by the stock CLI; our bin asks for init's name itself). */
  "x-prompt"?: unknown;
}

export interface OptionsSchema {
  type: "object";
  properties?: Record<string, PropertySchema>;
  required?: string[];
  additionalProperties: false;
}

const SCHEMA_KEYWORDS = [
  "$schema",
  "$id",
  "title",
  "description",
  "type",
  "properties",
  "required",
  "additionalProperties",
];
const PROPERTY_KEYWORDS = ["type", "description", "default", "enum", "$default", "x-prompt", "x-placeholder"];
const TYPES: readonly string[] = ["boolean", "string", "integer", "number"] satisfies OptionType[];

/**
 * Throws unless `schema` keeps to what {@link validateOptions} checks: an object of
 * typed properties, no others allowed. `file` names the schema in the message.
 */
export function assertSupportedSchema(schema: unknown, file: string): asserts schema is OptionsSchema {
  const refuse = (what: string): never => {
    throw new Error(
      `${file}: ${what}; the quickscale bin validates options with ${PROPERTY_KEYWORDS.join(", ")}.`,
    );
  };
  const options = (typeof schema === "object" && schema !== null ? schema : {}) as Record<string, unknown>;
  const extra = Object.keys(options).find((keyword) => !SCHEMA_KEYWORDS.includes(keyword));
  if (extra !== undefined) refuse(`unsupported keyword "${extra}"`);
  if (options["type"] !== "object" || options["additionalProperties"] !== false) {
    refuse(`the options must be "type": "object" with "additionalProperties": false`);
  }
  const properties = (options["properties"] ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, property] of Object.entries(properties)) {
    const keyword = Object.keys(property).find((key) => !PROPERTY_KEYWORDS.includes(key));
    if (keyword !== undefined) refuse(`option "${name}" uses unsupported keyword "${keyword}"`);
    if (!TYPES.includes(String(property["type"]))) {
      refuse(`option "${name}" needs a "type" among ${TYPES.join(", ")}`);
    }
  }
}

/** `skipGit` → `skip-git`: flags are kebab-case on our command line. */
export function kebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

function isPositional(property: PropertySchema): boolean {
  return property.$default?.$source === "argv";
}

/** The schema's options that are flags (not positional), by kebab-case flag name. */
export function flagsOfSchema(schema: OptionsSchema): Record<string, FlagSpec> {
  const flags: Record<string, FlagSpec> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (isPositional(property)) continue;
    const shownDefault =
      property.default === undefined || property.default === false
        ? ""
        : ` (default: ${typeof property.default === "string" ? property.default : JSON.stringify(property.default)})`;
    flags[kebabCase(name)] = {
      type: property.type === "boolean" ? "boolean" : "string",
      description: `${property.description ?? ""}${shownDefault}`,
      ...(property.type === "boolean"
        ? {}
        : { value: property.enum?.map(String).join("|") ?? property["x-placeholder"] ?? kebabCase(name) }),
    };
  }
  return flags;
}

/**
 * The options a command line gives a schematic: each positional argument under the
 * property whose `$default` takes it from argv, each flag of the schema under its
 * property name, and the schema's default for the others. Other flags (the command's
 * own, such as --dry-run) are left out.
 */
export function optionsFromArgs(
  schema: OptionsSchema,
  positionals: readonly string[],
  flags: Record<string, boolean | string>,
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const given = isPositional(property)
      ? positionals[property.$default?.index ?? 0]
      : flags[kebabCase(name)];
    const value = given ?? property.default;
    if (value !== undefined) {
      options[name] = typeof value === "string" && isNumeric(property) ? numberOrText(value) : value;
    }
  }
  return options;
}

function isNumeric(property: PropertySchema): boolean {
  return property.type === "integer" || property.type === "number";
}

function numberOrText(text: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

/**
 * Checks `options` against `schema` before the schematic runs; a mistake is a
 * {@link UsageError} of one line naming the option and what it takes. A missing required
 * option with an `x-prompt` is left to be asked for.
 */
export function validateOptions(schema: OptionsSchema, options: Record<string, unknown>): void {
  const properties = schema.properties ?? {};
  for (const [name, value] of Object.entries(options)) {
    const property = properties[name];
    if (property === undefined) {
      throw new UsageError(`Unknown option "--${kebabCase(name)}".`);
    }
    const label = isPositional(property) ? `<${kebabCase(name)}>` : `--${kebabCase(name)}`;
    const problem = typeProblem(property, value);
    if (problem !== undefined) {
      throw new UsageError(`Option "${label}" ${problem}, not ${JSON.stringify(value)}.`);
    }
    if (property.enum !== undefined && !property.enum.includes(value)) {
      throw new UsageError(
        `Option "${label}" takes one of ${property.enum.map(String).join(", ")}, not ${JSON.stringify(value)}.`,
      );
    }
  }
  for (const name of schema.required ?? []) {
    const property = properties[name];
    if (options[name] === undefined && property?.["x-prompt"] === undefined) {
      const label =
        property !== undefined && isPositional(property) ? `<${kebabCase(name)}>` : `--${kebabCase(name)}`;
      throw new UsageError(`Missing option "${label}".`);
    }
  }
}

/** What is wrong with the type of `value`, or undefined. */
function typeProblem(property: PropertySchema, value: unknown): string | undefined {
  switch (property.type) {
    case "boolean":
      return typeof value === "boolean" ? undefined : "takes true or false";
    case "string":
      return typeof value === "string" ? undefined : "takes a text value";
    case "integer":
      return Number.isInteger(value) ? undefined : "takes a whole number";
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? undefined : "takes a number";
  }
}
