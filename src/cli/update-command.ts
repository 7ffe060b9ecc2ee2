import { readFileSync } from "node:fs";
import { join } from "node:path";
import { commitChanges } from "../commit/journal";
import { JournalKey } from "../commit/journal-key";
import { assertWritableTarget, pathShapeProblem, projectRealPath } from "../commit/project-paths";
import { ProjectFile } from "../commit/new-project";
import { unifiedDiff } from "../rules/diff";
import { MANIFEST_PATH } from "../rules/manifest";
import { touchedPaths } from "../rules/validate-tree";
import { timed } from "../base/profile";
import { findRecordedContents, hasGitHistory, recordPristine } from "../update/git-history";
import type { FileChange, FileOutcome } from "../update/plan";
import type { UpdateReport } from "../../schematics/update";
import { heldWarnings, runSchematic } from "./engine";
import { OutsideProjectError } from "./project-host";
import { commitFaultsFromEnv } from "./fault-hook";
import { runInLockedProject } from "./locked-project";
import { assertCleanWorkingTree } from "./uncommitted-changes";
import { paint } from "./output";
import { relockAfterAdd } from "./python-lock";

/** What `quickscale update` was asked to do. */
export interface UpdateInput {
  dryRun: boolean;
  check: boolean;
  allowDirty: boolean;
}

/**
 * `quickscale update` inside a project: like `add` (project lock, recovery of an interrupted
 * run, a clean tree, a journaled commit or a dry run with diffs), it runs the update
 * schematic, which brings every recorded concern to this version. The bases of its
 * three-way merges come from the project's git history, found offline by the manifest's
 * hashes. Exits 1 when files are left with conflict markers (everything else is done).
 */
export async function runUpdate(input: UpdateInput, root: string): Promise<number> {
  const readOnly = input.dryRun || input.check;
  return runInLockedProject(root, "update", readOnly, async (key) => {
    if (!readOnly && !input.allowDirty) {
      await timed("a clean tree", () => {
        assertCleanWorkingTree(root);
      });
    }
    return updateProject(input, root, key);
  });
}

async function updateProject(input: UpdateInput, root: string, key: JournalKey | null): Promise<number> {
  const out = process.stdout;
  const projectReal = projectRealPath(root);
  const history = await timed("finding the bases", () => hasGitHistory(root));
  const bases = await timed("finding the bases", () => recordedContents(root, projectReal));
  const report = {} as UpdateReport;
  const { logger, flush } = heldWarnings();
  let files: ProjectFile[];
  try {
    const run = await timed("engine and rules", () =>
      runSchematic("update", { bases, report }, root, logger, true),
    );
    files = touchedPaths(run.tree).map((path) => ({
      path: path.slice(1),
      content: run.tree.read(path) ?? Buffer.alloc(0),
    }));
  } catch (error) {
    if (!(error instanceof OutsideProjectError)) {
      flush();
    }
    throw error;
  }
  flush();
  if (input.check) {
    return printCheck(report, files);
  }
  const kinds = files.map((file) => assertWritableTarget(root, projectReal, file.path));
  const outcomes = new Map(report.changes.map((change) => [change.path, change.outcome]));
  files.forEach((file, index) => {
    const outcome = outcomes.get(file.path);
    const label = outcome === undefined ? (kinds[index] === "file" ? "UPDATE" : "CREATE") : LABELS[outcome];
    out.write(`${paint(out, outcome === "conflict" ? "red" : "cyan", label)} ${file.path}\n`);
    if (input.dryRun) {
      const now = kinds[index] === "file" ? readFileSync(join(root, file.path), "utf8") : "";
      out.write(`${unifiedDiff(file.path, now, file.content.toString("utf-8"))}\n`);
    }
  });
  printNotes(report.changes, history, out);
  for (const migration of report.migrations) {
    out.write(
      `${paint(out, "cyan", "MIGRATION")} ${migration.version} ${migration.name}: ${migration.description}\n`,
    );
  }
  const conflicts = report.changes.filter((change) => change.outcome === "conflict").map((c) => c.path);
  if (key === null) {
    out.write(`\nDry run: ${files.length} files would change; nothing was written.\n`);
    return 0;
  }
  if (files.length === 0) {
    out.write(`Nothing to do: the project is up to date with QuickScale ${report.to}.\n`);
    return 0;
  }
  await timed("commit", () => {
    commitChanges(root, files, key, commitFaultsFromEnv());
  });
  // What the release wrote, kept where the next update finds its bases (merged files included).
  await timed("recording the pristine files", () =>
    recordPristine(root, report.theirs, `QuickScale ${report.to}: what it writes for this project`),
  );
  out.write(
    `\n${paint(out, "green", "Updated")} from QuickScale ${report.from} to ${report.to}: ${files.length} files changed.\n`,
  );
  // A pyproject.toml with conflict markers cannot be locked: the block says to relock.
  if (!conflicts.includes("pyproject.toml")) {
    relockAfterAdd(
      root,
      files.map((file) => file.path),
      out,
    );
  }
  if (conflicts.length > 0) {
    process.stderr.write(conflictBlock(conflicts, input.allowDirty));
    return 1;
  }
  out.write(`\nNext: review the changes (git diff), run the tests (pytest --cov), then commit them.\n`);
  return 0;
}

const LABELS: Record<FileOutcome, string> = {
  replaced: "UPDATE",
  merged: "MERGE",
  conflict: "CONFLICT",
  created: "CREATE",
  restored: "RESTORE",
  "kept-deleted": "KEEP-DELETED",
  "kept-changed": "KEEP",
  dropped: "DROPPED",
};

/** The files the update reports on without writing them: deleted, changed without history, dropped. */
function printNotes(changes: readonly FileChange[], history: boolean, out: typeof process.stdout): void {
  for (const change of changes) {
    if (change.outcome === "kept-deleted") {
      out.write(
        `${paint(out, "yellow", "KEEP-DELETED")} ${change.path}: you deleted it and this release changed it; it stays deleted.\n`,
      );
    } else if (change.outcome === "restored") {
      out.write(
        `${paint(out, "yellow", "RESTORE")} ${change.path}: you deleted it, but the release needs it (a migration of an app it ships), so it is written again.\n`,
      );
    } else if (change.outcome === "kept-changed") {
      out.write(
        `${paint(out, "yellow", "KEEP")} ${change.path}: you changed it, and ${history ? "the git history does not hold" : "without git history there is no record of"} what QuickScale wrote, so it cannot be merged; compare it with the release by hand.\n`,
      );
    } else if (change.outcome === "dropped") {
      out.write(
        `${paint(out, "yellow", "DROPPED")} ${change.path}: QuickScale no longer writes it; it is yours now (delete it if unused).\n`,
      );
    }
  }
  if (!history) {
    out.write(
      `${paint(out, "yellow", "note:")} the project has no git history: unchanged files are replaced, changed ones only reported (no three-way merge without the base).\n`,
    );
  }
}

/**
 * The conflicts, how to resolve them, and how to abandon the update: after a clean-tree
 * check, by discarding every change; after --allow-dirty, the tree held changes of the
 * user's that a blanket `git checkout -- .` would discard too, so file by file.
 */
export function conflictBlock(paths: readonly string[], allowedDirty: boolean): string {
  return [
    "",
    `${paint(process.stderr, "red", "error:")} ${paths.length} file${paths.length === 1 ? "" : "s"} changed by you and by the release on the same lines:`,
    ...paths.map((path) => `  ${path}`),
    "Everything else is updated and recorded. In each file above, resolve the blocks between <<<<<<< and >>>>>>>",
    "(your version, then QuickScale's), delete the markers, then run the tests and commit.",
    ...(paths.includes("pyproject.toml")
      ? ['Once pyproject.toml is resolved, run "uv lock" so uv.lock matches it.']
      : []),
    allowedDirty
      ? "To abandon the whole update instead, restore each file listed above from git (git checkout -- <file>) and delete those marked CREATE, one by one: your uncommitted changes from before the update (--allow-dirty) are in the tree too, and discarding every change would discard them."
      : 'To abandon the whole update instead: git checkout -- . && git clean -fd (or "git stash -u").',
    "",
  ].join("\n");
}

/** `--check`: one line per concern, exit 1 when the project is behind this QuickScale. */
function printCheck(report: UpdateReport, files: readonly ProjectFile[]): number {
  const out = process.stdout;
  const changed = new Set(files.map((file) => file.path));
  const outcomes = new Map(report.changes.map((change) => [change.path, change.outcome]));
  let behind = report.from !== report.to;
  for (const [concern, version] of Object.entries(report.concerns).sort()) {
    const own = (report.owners.get(concern) ?? []).filter((path) => changed.has(path));
    const counts = new Map<string, number>();
    for (const path of own) {
      const outcome = outcomes.get(path) ?? "replaced";
      counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    }
    const detail = [...counts].map(([outcome, count]) => `${count} ${outcome}`).join(", ");
    if (version !== report.to) {
      behind = true;
      out.write(
        `${concern}: ${version} -> ${report.to}${own.length > 0 ? ` (${own.length} files: ${detail})` : ""}\n`,
      );
    } else {
      out.write(
        `${concern}: ${version}, up to date${own.length > 0 ? ` (${own.length} files differ: ${detail})` : ""}\n`,
      );
    }
  }
  return behind ? 1 : 0;
}

/** Content QuickScale wrote, by hash, from the project's git history (none without history). */
function recordedContents(root: string, projectReal: string): Map<string, Buffer> {
  let recorded: Record<string, unknown> = {};
  try {
    assertWritableTarget(root, projectReal, MANIFEST_PATH);
    const manifest = JSON.parse(readFileSync(join(root, MANIFEST_PATH), "utf8")) as { files?: unknown };
    if (typeof manifest.files === "object" && manifest.files !== null) {
      recorded = manifest.files as Record<string, unknown>;
    }
  } catch {
    return new Map(); // The update schematic reports what is wrong with the manifest.
  }
  const entries = Object.entries(recorded).filter(
    (entry): entry is [string, string] => typeof entry[1] === "string" && pathShapeProblem(entry[0]) === null,
  );
  return findRecordedContents(
    root,
    entries.map(([path]) => path),
    new Set(entries.map(([, hash]) => hash)),
  );
}
