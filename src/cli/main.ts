import { oneLine, paint } from "./output";
import { FlagSpec, parseArgs, UsageError } from "./args";
import { ADD_FLAGS, ADDABLE_CONCERNS, INIT_FLAGS } from "./flags";
import { messageOf } from "../base/errors";
import { QUICKSCALE_VERSION } from "../base/version";
import { phases, reportPhases, timed } from "../base/profile";
import { performance } from "node:perf_hooks";

const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  help: { type: "boolean", description: "Show this help." },
  version: { type: "boolean", description: "Print the version." },
};

const USAGE = `Usage: quickscale <command> [options]

Commands:
  init <name>       Create a production-ready Django 5.2 project in ./<name>
  add <concern>     Add or refresh ${ADDABLE_CONCERNS.join(", ")} in the project here
  recover           Roll back a QuickScale run that was interrupted in the project here

Options:
${flagHelp(GLOBAL_FLAGS)}

Run "quickscale <command> --help" for the options of a command.
`;

const INIT_USAGE = `Usage: quickscale init <name> [options]

Create a production-ready Django 5.2 project. <name> is a lower-case Python
package name, such as "myapp".

Options:
${flagHelp(INIT_FLAGS)}
`;

const ADD_USAGE = `Usage: quickscale add <concern> [options]

Add a concern to the QuickScale project in the current folder, or refresh it: its files
are written where they are missing or unchanged since QuickScale wrote them. Concerns:
${ADDABLE_CONCERNS.join(", ")}.

Options:
${flagHelp(ADD_FLAGS)}
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
  binStartedAt: number = performance.now(),
): Promise<number> {
  phases["node start"] = binStartedAt;
  phases["loading the bin"] = performance.now() - binStartedAt;
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
      const { flags } = parseArgs(argv, GLOBAL_FLAGS);
      if (flags["version"] === true) {
        process.stdout.write(`${QUICKSCALE_VERSION}\n`);
        return 0;
      }
      process.stdout.write(USAGE);
      return flags["help"] === true ? 0 : 2;
    }
    if (command === "init") {
      const { positionals, flags } = parseArgs(rest, INIT_FLAGS);
      if (flags["help"] === true) {
        process.stdout.write(INIT_USAGE);
        return 0;
      }
      if (positionals.length > 1) {
        throw new UsageError(`Too many arguments: ${positionals.join(" ")}. Give one project name.`);
      }
      // Loaded on demand: the schematics engine is most of our start-up time.
      const { runInit } = await timed("loading the engine", () => import("./init-command"));
      return await runInit(
        {
          name: positionals[0],
          directory: stringFlag(flags["directory"]),
          skipGit: flags["skip-git"] === true,
          dryRun: flags["dry-run"] === true,
        },
        cwd,
      );
    }
    if (command === "add") {
      const { positionals, flags } = parseArgs(rest, ADD_FLAGS);
      if (flags["help"] === true) {
        process.stdout.write(ADD_USAGE);
        return 0;
      }
      const [concern, ...extra] = positionals;
      if (concern === undefined || extra.length > 0 || !isAddable(concern)) {
        throw new UsageError(
          `${concern === undefined ? "Missing concern" : `Unknown concern "${positionals.join(" ")}"`}: quickscale add <${ADDABLE_CONCERNS.join("|")}>.`,
        );
      }
      if (flags["mfa"] === true && concern !== "auth") {
        throw new UsageError(`Option "--mfa" belongs to "quickscale add auth".`);
      }
      const { runAdd } = await timed("loading the engine", () => import("./add-command"));
      return await runAdd(
        {
          concern,
          overwrite: flags["overwrite"] === true,
          dryRun: flags["dry-run"] === true,
          allowDirty: flags["allow-dirty"] === true,
          mfa: flags["mfa"] === true,
        },
        cwd,
      );
    }
    if (command === "recover") {
      const { positionals, flags } = parseArgs(rest, {
        help: GLOBAL_FLAGS["help"] ?? { type: "boolean", description: "" },
      });
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
    const known = command === "init" || command === "add" || command === "recover";
    const hint = usage ? ` Run "quickscale ${known ? `${command} ` : ""}--help".` : "";
    process.stderr.write(`${paint(process.stderr, "red", "error:")} ${oneLine(messageOf(error))}${hint}\n`);
    return usage ? 2 : 1;
  }
}

function stringFlag(value: boolean | string | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function flagHelp(specs: Record<string, FlagSpec>): string {
  return Object.entries(specs)
    .map(
      ([name, spec]) =>
        `  ${`--${name}${spec.value ? ` <${spec.value}>` : ""}`.padEnd(20)} ${spec.description}`,
    )
    .join("\n");
}

function isAddable(concern: string): concern is (typeof ADDABLE_CONCERNS)[number] {
  return (ADDABLE_CONCERNS as readonly string[]).includes(concern);
}
