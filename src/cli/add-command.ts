import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { commitChanges, JOURNAL_DIR, recoverProject } from "../commit/journal";
import { ProjectFile } from "../commit/new-project";
import { ChangedFilesError } from "../concern";
import { unifiedDiff } from "../diff";
import { MANIFEST_PATH } from "../manifest";
import { timed } from "../profile";
import { touchedPaths } from "../validate-tree";
import { runSchematic, warningsToStderr } from "./engine";
import { faultHookFromEnv } from "./fault-hook";
import { AddInput } from "./flags";
import { paint } from "./output";

/**
 * `quickscale add <concern>` inside an existing project: rolls back an interrupted run,
 * refuses a dirty git tree, runs the concern's schematic on the project, and commits what
 * it changed through a journal, or shows it (with diffs) in a dry run.
 */
export async function runAdd(input: AddInput, root: string): Promise<number> {
  const out = process.stdout;
  if (!existsSync(join(root, MANIFEST_PATH))) {
    throw new Error(
      `Not a QuickScale project: there is no ${MANIFEST_PATH} here. Run "quickscale add" inside a project made by "quickscale init".`,
    );
  }
  if (input.dryRun && existsSync(join(root, JOURNAL_DIR))) {
    throw new Error(`An interrupted QuickScale run left ${JOURNAL_DIR}: run "quickscale recover" first.`);
  }
  const recovered = recoverProject(root);
  if (recovered !== null) {
    out.write(`Rolled back an interrupted QuickScale run (${recovered.length} files restored).\n`);
  }
  if (!input.allowDirty && !input.dryRun) {
    assertCleanWorkingTree(root);
  }
  const logger = warningsToStderr();
  let files: ProjectFile[];
  try {
    const options =
      input.concern === "auth"
        ? { overwrite: input.overwrite, mfa: input.mfa }
        : { overwrite: input.overwrite };
    const run = await timed("engine and rules", () => runSchematic(input.concern, options, root, logger));
    files = touchedPaths(run.tree).map((path) => ({
      path: path.slice(1),
      content: run.tree.read(path) ?? Buffer.alloc(0),
    }));
  } catch (error) {
    if (error instanceof ChangedFilesError) {
      process.stderr.write(`${error.diffs.join("\n")}\n`);
      throw new Error(error.message.split("\n")[0]);
    }
    throw error;
  }
  if (files.length === 0) {
    out.write(`Nothing to do: ${input.concern} is up to date.\n`);
    return 0;
  }
  for (const file of files) {
    const path = join(root, file.path);
    if (existsSync(path)) {
      out.write(`${paint(out, "cyan", "UPDATE")} ${file.path}\n`);
      if (input.dryRun) {
        out.write(`${unifiedDiff(file.path, readFileSync(path, "utf8"), file.content.toString("utf-8"))}\n`);
      }
    } else {
      out.write(`${paint(out, "green", "CREATE")} ${file.path} (${file.content.length} bytes)\n`);
    }
  }
  if (input.dryRun) {
    out.write(`\nDry run: ${files.length} files would change; nothing was written.\n`);
    return 0;
  }
  await timed("commit", () => {
    commitChanges(root, files, faultHookFromEnv());
  });
  out.write(`\n${paint(out, "green", "Added")} ${input.concern}: ${files.length} files changed.\n`);
  return 0;
}

/** `quickscale recover`: rolls back a run that was killed while it changed the project. */
export function runRecover(root: string): number {
  const recovered = recoverProject(root);
  process.stdout.write(
    recovered === null
      ? "Nothing to recover.\n"
      : `Rolled back an interrupted QuickScale run (${recovered.length} files restored).\n`,
  );
  return 0;
}

function assertCleanWorkingTree(root: string): void {
  const status = spawnSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8" });
  if (status.status === 0 && status.stdout.trim() !== "") {
    throw new Error(
      "The project has uncommitted changes: commit or stash them first, so you can review and revert what QuickScale changes, or pass --allow-dirty.",
    );
  }
}
