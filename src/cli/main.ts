import { oneLine, paint } from "./output";
import { FlagSpec, parseArgs, ParsedArgs, UnknownOptionError, UsageError } from "./args";
import { ADD_FLAGS, INIT_FLAGS, UPDATE_FLAGS } from "./flags";
import { addableSchematics, declaredSchematic, DeclaredSchematic } from "./declared-schematics";
import { flagsOfSchema, kebabCase, optionsFromArgs, validateOptions } from "./schema-options";
import { messageOf } from "../base/errors";
import { QUICKSCALE_VERSION } from "../base/version";
import { phases, reportPhases, sinceStart, timed } from "../base/profile";

const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  help: { type: "boolean", description: "Show this help." },
  version: { type: "boolean", description: "Print the version." },
};

const RECOVER_FLAGS: Record<string, FlagSpec> = { help: { type: "boolean", description: "Show this help." } };

// The usages are built when asked for: the list of concerns and their options are read
// from collection.json and the schemas, which `--version` need not read.
function usage(): string {
  return `Usage: quickscale <command> [options]

Commands:
  init <name>       Create a production-ready Django 5.2 project in ./<name>
  add <module>      Add or refresh ${addableSchematics()
    .map((schematic) => schematic.name)
    .join(", ")} in the project here
  update            Bring the project here to this QuickScale's version (three-way merges)
  recover           Roll back a QuickScale run that was interrupted in the project here

Options:
${flagHelp(GLOBAL_FLAGS)}

Run "quickscale <command> --help" for the options of a command.
`;
}

function initUsage(init: DeclaredSchematic): string {
  const positionals = Object.entries(init.schema.properties ?? {}).filter(
    ([, property]) => property.$default?.$source === "argv",
  );
  return `Usage: quickscale init <name> [options]

${init.description}

Arguments:
${positionals.map(([name, property]) => `  ${`<${kebabCase(name)}>`.padEnd(24)} ${property.description ?? ""}`).join("\n")}

Options:
${flagHelp(initFlags(init))}
`;
}

/** init's options from its schema.json, then the command's own. */
function initFlags(init: DeclaredSchematic): Record<string, FlagSpec> {
  return { ...flagsOfSchema(init.schema), ...INIT_FLAGS };
}

/**
 * `quickscale add --help`: every concern with its description, the options common to all
 * (the command's own and those every schema declares alike), then each concern's own.
 */
function addUsage(addable: readonly DeclaredSchematic[]): string {
  const flagSets = addable.map((schematic) => flagsOfSchema(schematic.schema));
  const [first = {}] = flagSets;
  const common = Object.fromEntries(
    Object.entries(first).filter(([name, spec]) =>
      flagSets.every((flags) => JSON.stringify(flags[name]) === JSON.stringify(spec)),
    ),
  );
  const own = addable
    .map((schematic, index) => {
      const flags = Object.entries(flagSets[index] ?? {}).filter(([name]) => common[name] === undefined);
      return flags.length === 0
        ? ""
        : `\nOptions of ${schematic.name}:\n${flagHelp(Object.fromEntries(flags))}\n`;
    })
    .join("");
  return `Usage: quickscale add <module> [options]

Add a module to the QuickScale project in the current folder, or refresh it: its files
are written where they are missing or unchanged since QuickScale wrote them.

Modules:
${addable.map((schematic) => `  ${schematic.name.padEnd(24)} ${schematic.description}`).join("\n")}

Options:
${flagHelp({ ...common, ...ADD_FLAGS })}
${own}`;
}

/** `quickscale add <module> --help`: that module and all its options. */
function addConcernUsage(schematic: DeclaredSchematic): string {
  return `Usage: quickscale add ${schematic.name} [options]

${schematic.description}

Options:
${flagHelp(addFlags(schematic))}
`;
}

/** A concern's options from its schema.json, then the command's own. */
function addFlags(schematic: DeclaredSchematic): Record<string, FlagSpec> {
  return { ...flagsOfSchema(schematic.schema), ...ADD_FLAGS };
}

const UPDATE_USAGE = `Usage: quickscale update [options]

Bring every concern and module recorded in .quickscale.json to this QuickScale's version:
files you never changed are replaced, files you changed are merged three-way with the
release (the base comes from the project's git history), new files arrive, and the
migrations of the versions crossed run. Conflicts are left as markers in the files.

Options:
${flagHelp(UPDATE_FLAGS)}
`;

const RECOVER_USAGE = `Usage: quickscale recover

Roll back a QuickScale run that was interrupted while it changed the project in the
current folder (its journal, .quickscale-journal/, is restored and removed).
"quickscale add" does this by itself before it starts.
`;

/**
 * The bin: returns the exit code (0 done, 1 failed, 2 bad usage). Errors are one line.
 * `binStartedAt` is when bin/quickscale.js began (ms since the process started), for the
 * profile's split of Node's own start from the loading of this bundle.
 */
export async function main(
  argv: readonly string[],
  cwd = process.cwd(),
  binStartedAt: number = sinceStart(),
): Promise<number> {
  phases["node start"] = binStartedAt;
  phases["loading the bin"] = sinceStart() - binStartedAt;
  try {
    return await run(argv, cwd);
  } finally {
    reportPhases();
  }
}

async function run(argv: readonly string[], cwd: string): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command.startsWith("-")) {
      const { flags } = parseFor(argv, GLOBAL_FLAGS, "quickscale");
      if (flags["version"] === true) {
        process.stdout.write(`${QUICKSCALE_VERSION}\n`);
        return 0;
      }
      process.stdout.write(usage());
      return flags["help"] === true ? 0 : 2;
    }
    if (command === "init") {
      return await init(rest, cwd);
    }
    if (command === "add") {
      return await add(rest, cwd);
    }
    if (command === "update") {
      const { positionals, flags } = parseFor(rest, UPDATE_FLAGS, "quickscale update");
      if (flags["help"] === true) {
        process.stdout.write(UPDATE_USAGE);
        return 0;
      }
      if (positionals.length > 0) {
        throw new UsageError(`Unexpected argument "${positionals.join(" ")}": quickscale update takes none.`);
      }
      const { runUpdate } = await timed("loading the engine", () => import("./update-command"));
      return await runUpdate(
        {
          check: flags["check"] === true,
          dryRun: flags["dry-run"] === true,
          allowDirty: flags["allow-dirty"] === true,
        },
        cwd,
      );
    }
    if (command === "recover") {
      const { positionals, flags } = parseFor(rest, RECOVER_FLAGS, "quickscale recover");
      if (flags["help"] === true) {
        process.stdout.write(RECOVER_USAGE);
        return 0;
      }
      if (positionals.length > 0) {
        throw new UsageError(
          `Unexpected argument "${positionals.join(" ")}": quickscale recover takes none.`,
        );
      }
      const { runRecover } = await import("./add-command");
      return runRecover(cwd);
    }
    throw new UsageError(`Unknown command "${command}".`);
  } catch (error) {
    const usage = error instanceof UsageError;
    const known = ["init", "add", "update", "recover"].includes(command ?? "");
    const hint = usage ? ` Run "quickscale ${known ? `${command} ` : ""}--help".` : "";
    process.stderr.write(`${paint(process.stderr, "red", "error:")} ${oneLine(messageOf(error))}${hint}\n`);
    return usage ? 2 : 1;
  }
}

/** `quickscale init [<name>] [options]`: init's options come from its schema.json. */
async function init(args: readonly string[], cwd: string): Promise<number> {
  const schematic = declaredSchematic("init");
  const { positionals, flags } = parseFor(args, initFlags(schematic), "quickscale init");
  if (flags["help"] === true) {
    process.stdout.write(initUsage(schematic));
    return 0;
  }
  if (positionals.length > 1) {
    throw new UsageError(`Too many arguments: ${positionals.join(" ")}. Give one project name.`);
  }
  const options = optionsFromArgs(schematic.schema, positionals, flags);
  validateOptions(schematic.schema, options);
  // Loaded on demand: the schematics engine is most of our start-up time.
  const { runInit } = await timed("loading the engine", () => import("./init-command"));
  return await runInit(
    {
      name: stringOption(options["name"]),
      directory: stringOption(options["directory"]),
      skipGit: options["skipGit"] === true,
      dryRun: flags["dry-run"] === true,
    },
    cwd,
  );
}

/**
 * `quickscale add <module> [options]`: the modules are the public schematics of
 * collection.json, and each one's options come from its schema.json.
 */
async function add(args: readonly string[], cwd: string): Promise<number> {
  const addable = addableSchematics();
  const names = addable.map((schematic) => schematic.name);
  // First with every concern's flags, to tell the concern from the values of flags.
  const anyFlags: Record<string, FlagSpec> = {};
  for (const schematic of addable) {
    Object.assign(anyFlags, flagsOfSchema(schematic.schema));
  }
  Object.assign(anyFlags, ADD_FLAGS);
  let first: ParsedArgs;
  try {
    first = parseArgs(args, anyFlags);
  } catch (error) {
    // Unknown to every concern: list what the concern named (if any) takes.
    const named = addable.find((schematic) => args.includes(schematic.name));
    throw named === undefined
      ? explained(error, anyFlags, "quickscale add")
      : explained(error, addFlags(named), `quickscale add ${named.name}`);
  }
  const [concern, ...extra] = first.positionals;
  const schematic = addable.find((candidate) => candidate.name === concern);
  if (first.flags["help"] === true && extra.length === 0 && (concern === undefined || schematic)) {
    process.stdout.write(schematic === undefined ? addUsage(addable) : addConcernUsage(schematic));
    return 0;
  }
  if (concern === undefined || extra.length > 0 || schematic === undefined) {
    throw new UsageError(
      `${concern === undefined ? "Missing module" : `Unknown module "${first.positionals.join(" ")}"`}: quickscale add <${names.join("|")}>.`,
    );
  }
  // Then with this concern's flags only: another concern's flag is a mistake.
  const { positionals, flags } = parseFor(args, addFlags(schematic), `quickscale add ${concern}`, addable);
  const options = optionsFromArgs(schematic.schema, positionals.slice(1), flags);
  validateOptions(schematic.schema, options);
  const { runAdd } = await timed("loading the engine", () => import("./add-command"));
  return await runAdd(
    {
      concern,
      options,
      dryRun: flags["dry-run"] === true,
      allowDirty: flags["allow-dirty"] === true,
    },
    cwd,
  );
}

/** {@link parseArgs}, with an unknown option {@link explained}. */
function parseFor(
  args: readonly string[],
  specs: Record<string, FlagSpec>,
  command: string,
  others: readonly DeclaredSchematic[] = [],
): ParsedArgs {
  try {
    return parseArgs(args, specs);
  } catch (error) {
    throw explained(error, specs, command, others);
  }
}

/**
 * An unknown option's error, saying which concerns of `others` it belongs to, or else
 * the options `command` takes (`specs`). Other errors are returned as they are.
 */
function explained(
  error: unknown,
  specs: Record<string, FlagSpec>,
  command: string,
  others: readonly DeclaredSchematic[] = [],
): unknown {
  if (!(error instanceof UnknownOptionError)) {
    return error;
  }
  const name = error.flag.replace(/^--?/, "");
  const owners = others.filter((other) => flagsOfSchema(other.schema)[name] !== undefined);
  if (owners.length > 0) {
    return new UsageError(
      `Option "${error.flag}" belongs to ${owners.map((owner) => `"quickscale add ${owner.name}"`).join(" or ")}.`,
    );
  }
  const taken = Object.keys(specs).map((flag) => `--${flag}`);
  return new UsageError(`Unknown option "${error.flag}": ${command} takes ${taken.join(", ")}.`);
}

function stringOption(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function flagHelp(specs: Record<string, FlagSpec>): string {
  return Object.entries(specs)
    .map(
      ([name, spec]) =>
        `  ${`--${name}${spec.value ? ` <${spec.value}>` : ""}`.padEnd(24)} ${spec.description}`,
    )
    .join("\n");
}
