import { oneLine, paint } from "./output";
import { FlagSpec, parseArgs, UsageError } from "./args";
import { INIT_FLAGS } from "./init-flags";
import { messageOf } from "../errors";
import { QUICKSCALE_VERSION } from "../version";

const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  help: { type: "boolean", description: "Show this help." },
  version: { type: "boolean", description: "Print the version." },
};

const USAGE = `Usage: quickscale <command> [options]

Commands:
  init <name>    Create a production-ready Django 5.2 project in ./<name>

Options:
${flagHelp(GLOBAL_FLAGS)}

Run "quickscale init --help" for the options of init.
`;

const INIT_USAGE = `Usage: quickscale init <name> [options]

Create a production-ready Django 5.2 project. <name> is a lower-case Python
package name, such as "myapp".

Options:
${flagHelp(INIT_FLAGS)}
`;

/** The bin: returns the exit code (0 done, 1 failed, 2 bad usage). Errors are one line. */
export async function main(argv: readonly string[], cwd = process.cwd()): Promise<number> {
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
      const { runInit } = await import("./init-command");
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
    throw new UsageError(`Unknown command "${command}". Run "quickscale --help".`);
  } catch (error) {
    const usage = error instanceof UsageError;
    const hint = usage && command === "init" ? ' Run "quickscale init --help".' : "";
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
