import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import {
  commitNewProject,
  discardReservedStaging,
  ProjectFile,
  removeStaleStaging,
} from "../commit/new-project";
import { messageOf } from "../base/errors";
import { assertValidProjectName } from "../names/project-name";
import { timed } from "../base/profile";
import { assertTargetOnDiskIsFree } from "../commit/target-directory";
import { touchedPaths } from "../rules/validate-tree";
import { UsageError } from "./args";
import { runSchematic, SchematicRun, warningsToStderr } from "./engine";
import { faultHookFromEnv } from "./fault-hook";
import { InitInput } from "./flags";
import { EarlyRepository, initialCommit, startRepositoryEarly } from "./git-repository";
import { paint, shellQuote } from "./output";

/** `quickscale init <name>`: returns the exit code; throws on failure with a one-line message. */
export async function runInit(input: InitInput, cwd: string): Promise<number> {
  const name = input.name ?? (await promptForName());
  assertValidProjectName(name);
  const target = resolve(cwd, input.directory ?? name);
  assertTargetOnDiskIsFree(target, removeStaleStaging);
  const parent = dirname(target);
  const folder = basename(target);

  const logger = warningsToStderr();
  const existedBefore = existsSync(target);
  // With git, its `git init` runs in the project's staging folder while the rules render.
  // Listening before the folder exists: a signal can come the moment it does.
  const interruption = input.skipGit || input.dryRun ? null : discardOnInterrupt();
  const early = interruption === null ? null : startRepositoryEarly(target);
  interruption?.guard(early);
  let run: SchematicRun;
  try {
    run = await timed("engine and rules", () =>
      // Git is ours to run (initialCommit), not the devkit task's: fewer processes, and a
      // missing git is a note instead of a crash.
      runSchematic("init", { name, directory: folder, skipGit: true }, parent, logger),
    );
  } catch (error) {
    await abandon(early);
    // Another process filled the target while the rules read it (the devkit then reports a
    // merge conflict): say so rather than the devkit's words.
    if (existsSync(target) && (!existedBefore || readdirSync(target).length > 0)) {
      throw new Error(`"${target}" was created or filled by another process meanwhile; nothing was written.`);
    }
    throw error;
  }
  const files: ProjectFile[] = touchedPaths(run.tree).map((path) => ({
    path: path.slice(folder.length + 2),
    content: run.tree.read(path) ?? Buffer.alloc(0),
  }));
  // As the user named it: an absolute path stays absolute.
  const shown =
    input.directory !== undefined && isAbsolute(input.directory) ? target : relative(cwd, target) || ".";
  const where = isAbsolute(shown) || shown.startsWith(".") ? shown : `./${shown}`;
  const out = process.stdout;
  if (input.dryRun) {
    for (const file of files) {
      out.write(
        `${paint(out, "green", "CREATE")} ${displayPath(shown, file.path)} (${file.content.length} bytes)\n`,
      );
    }
    out.write(`\nDry run: ${files.length} files would be created in ${shown}; nothing was written.\n`);
    return 0;
  }
  // Its .git moves with the staging folder: git init must have ended (it has, nearly always).
  const earlyInit = early === null ? undefined : await timed("git", () => early.init);
  let withEarlyRepository = false;
  // From here on the folder becomes the project: an interruption no longer discards it.
  await interruption?.release();
  try {
    await timed("commit", () => {
      withEarlyRepository = commitNewProject(files, target, faultHookFromEnv(), early?.staging);
    });
  } catch (error) {
    await abandon(early);
    throw new Error(
      `Nothing was written: cannot create "${target}" (${messageOf(error)}). Choose another --directory, one you can write to.`,
    );
  }
  await timed("tasks", () => run.runTasks());
  const git = input.skipGit
    ? ""
    : await timed("git", () => initialCommit(target, withEarlyRepository ? earlyInit : undefined));
  out.write(
    `${paint(out, "green", "Created")} ${paint(out, "bold", name)} in ${where}: ${files.length} files${git}.\n\n`,
  );
  out.write(nextSteps(shown));
  return 0;
}

/** The exit status of a process ended by each signal, as a shell reports it (128 + its number). */
const INTERRUPTIONS: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * Until the project is committed, an interruption (Ctrl-C, a terminal closed, SIGTERM) ends
 * `git init`, removes the reserved staging folder and ends the run, saying nothing was
 * written; otherwise the hidden folder stayed until the next `init` in that parent folder.
 * It listens from before the folder is made (`guard` then names it): a signal that came
 * between the two would have ended the process with Node's default. The rules never yield
 * to the event loop, so a signal that comes while they run is handled once they end.
 * `release` hands the signals back to Node before the commit (which is one synchronous
 * step, as git's commands after it are): a signal received before then is handled first,
 * and the commit never starts.
 */
function discardOnInterrupt(): { guard(early: EarlyRepository | null): void; release(): Promise<void> } {
  let interrupted = false;
  let guarded: EarlyRepository | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) {
      return;
    }
    interrupted = true;
    const early = guarded;
    early?.stop();
    void (early?.init ?? Promise.resolve()).then(() => {
      if (early !== null) {
        discardReservedStaging(early.staging);
      }
      process.stderr.write(`\nInterrupted (${signal}): nothing was written.\n`);
      process.exit(INTERRUPTIONS[signal] ?? 1);
    });
  };
  for (const signal of Object.keys(INTERRUPTIONS)) {
    process.on(signal, onSignal);
  }
  return {
    guard: (early) => {
      guarded = early;
    },
    release: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      for (const signal of Object.keys(INTERRUPTIONS)) {
        process.off(signal, onSignal);
      }
      if (interrupted) {
        // The handler removes the folder and ends the process.
        await new Promise(() => undefined);
      }
    },
  };
}

/** Removes the staging folder reserved for git, once its git init ended: the run failed. */
async function abandon(early: EarlyRepository | null): Promise<void> {
  if (early !== null) {
    await early.init;
    discardReservedStaging(early.staging);
  }
}

function displayPath(dir: string, file: string): string {
  return dir === "." ? file : `${dir}/${file}`;
}

async function promptForName(): Promise<string> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError("Missing project name: quickscale init <name>.");
  }
  // Loaded only here: most runs name the project, and readline is five of Node's modules.
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question("What name would you like to use for the project? ")).trim();
  } finally {
    rl.close();
  }
}

function nextSteps(dir: string): string {
  return [
    "Next steps:",
    ...(dir === "." ? [] : [`  cd ${shellQuote(dir)}`]),
    "  uv sync                       # or: poetry install, or pip (see README.md)",
    "  uv run python manage.py migrate",
    "  uv run python manage.py runserver",
    "  uv run pytest --cov",
    "",
  ].join("\n");
}
