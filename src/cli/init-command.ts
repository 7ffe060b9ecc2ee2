import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { createInterface } from "node:readline/promises";
import { commitNewProject, ProjectFile } from "../commit/new-project";
import { messageOf } from "../errors";
import { assertValidProjectName } from "../project-name";
import { timed } from "../profile";
import { touchedPaths } from "../validate-tree";
import { UsageError } from "./args";
import { runSchematic, SchematicRun, warningsToStderr } from "./engine";
import { faultHookFromEnv } from "./fault-hook";
import { InitInput } from "./flags";
import { paint } from "./output";

/** `quickscale init <name>`: returns the exit code; throws on failure with a one-line message. */
export async function runInit(input: InitInput, cwd: string): Promise<number> {
  const name = input.name ?? (await promptForName());
  assertValidProjectName(name);
  const target = resolve(cwd, input.directory ?? name);
  assertTargetIsFree(target);
  const parent = dirname(target);
  const folder = basename(target);

  const logger = warningsToStderr();
  const existedBefore = existsSync(target);
  let run: SchematicRun;
  try {
    run = await timed("engine and rules", () =>
      runSchematic("init", { name, directory: folder, skipGit: input.skipGit }, parent, logger),
    );
  } catch (error) {
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
  try {
    await timed("commit", () => {
      commitNewProject(files, target, faultHookFromEnv());
    });
  } catch (error) {
    throw new Error(
      `Nothing was written: cannot create "${target}" (${messageOf(error)}). Choose another --directory, one you can write to.`,
    );
  }
  if (!input.skipGit) {
    defaultBranchMain();
  }
  await timed("git", () => run.runTasks());
  const git = input.skipGit ? "" : gitSummary(target);
  out.write(
    `${paint(out, "green", "Created")} ${paint(out, "bold", name)} in ${where}: ${files.length} files${git}.\n\n`,
  );
  out.write(nextSteps(shown));
  return 0;
}

function displayPath(dir: string, file: string): string {
  return dir === "." ? file : `${dir}/${file}`;
}

/** What the git task left: a repository with its first commit, or why not. */
function gitSummary(target: string): string {
  if (!existsSync(join(target, ".git"))) {
    return " (no git repository: git is missing or the folder is inside another repository)";
  }
  const head = spawnSync("git", ["rev-parse", "--verify", "--quiet", "HEAD"], { cwd: target });
  return head.status === 0
    ? ", a git repository with a first commit"
    : ", a git repository without a commit (set git's user.name and user.email, then commit)";
}

/**
 * Without a configured `init.defaultBranch`, git names the first branch "master" and
 * prints a page of advice through the devkit's git task. We choose "main", as GitHub
 * does; a branch name the user configured is left alone.
 */
function defaultBranchMain(): void {
  const configured = spawnSync("git", ["config", "--get", "init.defaultBranch"], { encoding: "utf8" });
  if (configured.status === 0 && configured.stdout.trim() !== "") {
    return;
  }
  const count = Number(process.env["GIT_CONFIG_COUNT"] ?? "0");
  process.env[`GIT_CONFIG_KEY_${count}`] = "init.defaultBranch";
  process.env[`GIT_CONFIG_VALUE_${count}`] = "main";
  process.env["GIT_CONFIG_COUNT"] = String(count + 1);
}

/** Our own checks of the real target, before the schematic runs (it repeats them on its tree). */
function assertTargetIsFree(target: string): void {
  for (let current = dirname(target); current !== dirname(current); current = dirname(current)) {
    if (existsSync(current) && !statSync(current).isDirectory()) {
      throw new Error(
        `Cannot create the project: "${current}", a parent of "${target}", is a file. Choose another --directory.`,
      );
    }
  }
  if (!existsSync(target)) {
    return;
  }
  if (!statSync(target).isDirectory()) {
    throw new Error(`Cannot create the project: "${target}" is a file. Choose another --directory.`);
  }
  if (readdirSync(target).length > 0) {
    throw new Error(
      `Cannot create the project: "${target}" already exists and is not empty. Choose another --directory or remove it.`,
    );
  }
}

async function promptForName(): Promise<string> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError("Missing project name: quickscale init <name>.");
  }
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
    ...(dir === "." ? [] : [`  cd ${dir}`]),
    "  uv sync                       # or: poetry install, or pip (see README.md)",
    "  uv run python manage.py migrate",
    "  uv run python manage.py runserver",
    "  uv run pytest",
    "",
  ].join("\n");
}
