import yargsParser from "yargs-parser";

/** A flag our bin accepts: kebab-case on the command line. */
export interface FlagSpec {
  type: "boolean" | "string";
  description: string;
  /** Shown in help as `--flag <value>`. */
  value?: string;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, boolean | string>;
}

/** A mistake on the command line: reported with the command's usage, exit code 2. */
export class UsageError extends Error {}

/** An option the command does not take: `flag` as given, `--name` or `-x`. */
export class UnknownOptionError extends UsageError {
  constructor(readonly flag: string) {
    super(`Unknown option "${flag}".`);
  }
}

/**
 * Parses `args` against `specs`. Unlike the stock CLI: `--flag=false` and `--no-flag` both
 * mean false, a camelCase spelling of a flag is accepted as its kebab-case form instead of
 * crashing, and an unknown flag or a value of the wrong type is a one-line error.
 */
export function parseArgs(args: readonly string[], specs: Record<string, FlagSpec>): ParsedArgs {
  const normalized = args.map((arg) => (arg.startsWith("--") ? kebabFlag(arg) : arg));
  const entries = Object.entries(specs);
  const parsed = yargsParser(normalized, {
    boolean: entries.filter(([, spec]) => spec.type === "boolean").map(([name]) => name),
    string: entries.filter(([, spec]) => spec.type === "string").map(([name]) => name),
    configuration: {
      "camel-case-expansion": false,
      "boolean-negation": true,
      "duplicate-arguments-array": false,
      "parse-numbers": false,
      "parse-positional-numbers": false,
      "short-option-groups": false,
      "strip-aliased": true,
      "unknown-options-as-args": false,
    },
  });
  const flags: Record<string, boolean | string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (key === "_" || key === "--") {
      continue;
    }
    const spec = specs[key];
    if (spec === undefined) {
      throw new UnknownOptionError(`${key.length === 1 ? "-" : "--"}${key}`);
    }
    if (spec.type === "string" && (typeof value !== "string" || value === "")) {
      throw new UsageError(`Option "--${key}" needs a value: --${key} <${spec.value ?? "value"}>.`);
    }
    if (spec.type === "boolean" && typeof value !== "boolean") {
      throw new UsageError(`Option "--${key}" is a switch: use --${key}, --${key}=false or --no-${key}.`);
    }
    flags[key] = value as boolean | string;
  }
  for (const flag of normalized) {
    const [, name = "", value = ""] = /^--(?:no-)?([^=]+)=(.*)$/.exec(flag) ?? [];
    if (specs[name]?.type === "boolean" && !["true", "false"].includes(value)) {
      throw new UsageError(`Option "--${name}" takes true or false, not "${value}".`);
    }
  }
  return { positionals: parsed._.map(String), flags };
}

/** `--dryRun=x` → `--dry-run=x`; values are left alone. */
function kebabFlag(arg: string): string {
  const eq = arg.indexOf("=");
  const name = eq === -1 ? arg : arg.slice(0, eq);
  const rest = eq === -1 ? "" : arg.slice(eq);
  return name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase() + rest;
}
