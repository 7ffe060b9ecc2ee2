import { logging, normalize, virtualFs } from "@angular-devkit/core";
import { NodeJsSyncHost } from "@angular-devkit/core/node";
import { HostTree, SchematicEngine, TaskExecutorFactory, Tree } from "@angular-devkit/schematics";
import { RepositoryInitializerName } from "@angular-devkit/schematics/tasks/repo-init/options";
import type { RepositoryInitializerTaskFactoryOptions } from "@angular-devkit/schematics/tasks/repo-init/options";
import { OwnFactoriesEngineHost } from "./own-factories";
import { ProjectHost } from "./project-host";
import { projectRealPath } from "../commit/project-paths";
import { join } from "node:path";
import { lastValueFrom, of } from "rxjs";
import { PACKAGE_ROOT } from "../base/version";
import { paint } from "./output";

/**
 * The devkit's git task executor, loaded alone: its `tasks/node` index also loads the
 * package-manager executor and its spinner library, which we never use.
 */
const REPOSITORY_INITIALIZER: TaskExecutorFactory<RepositoryInitializerTaskFactoryOptions> = {
  name: RepositoryInitializerName,
  create: async (options) =>
    (await import("@angular-devkit/schematics/tasks/repo-init/executor")).default(options),
};

/** A schematic's result, not yet on disk, and how to run its follow-up tasks. */
export interface SchematicRun {
  tree: Tree;
  /** Runs the tasks the schematic scheduled (git init, …): call after committing. */
  runTasks(): Promise<void>;
}

/**
 * Runs one of our schematics on the same engine the stock `schematics` CLI uses (same
 * host and task executors; options validated beforehand, see below), into a virtual tree over
 * `root` — but leaves the commit to us, so it can be atomic. With `existingProject`, `root`
 * is a project folder, which is untrusted: nothing is read through a link leaving it.
 */
export async function runSchematic(
  name: string,
  options: Record<string, unknown>,
  root: string,
  logger: logging.LoggerApi,
  existingProject = false,
): Promise<SchematicRun> {
  const engineHost = new OwnFactoriesEngineHost();
  // The devkit's option validation (ajv) is not registered: it added a quarter to init's
  // CPU time. main.ts has already validated the options against the schematic's
  // schema.json (schema-options.ts) and filled in its defaults.
  engineHost.registerTaskExecutor(REPOSITORY_INITIALIZER, { rootDirectory: root });
  const engine = new SchematicEngine(engineHost);
  const collection = engine.createCollection(join(PACKAGE_ROOT, "collection.json"));
  const schematic = collection.createSchematic(name, false);
  const guard = existingProject ? new ProjectHost(root, projectRealPath(root)) : null;
  const host = new virtualFs.ScopedHost(guard ?? new NodeJsSyncHost(), normalize(root));
  let tree: Tree;
  try {
    tree = await lastValueFrom(schematic.call(options, of(new HostTree(host)), { logger }));
  } catch (error) {
    // A refused link explains the failure better than what the rules made of it.
    guard?.assertNothingRefused();
    throw error;
  }
  guard?.assertNothingRefused();
  return {
    tree,
    runTasks: async () => {
      await lastValueFrom(engine.executePostTasks(), { defaultValue: undefined });
    },
  };
}

/** A logger for a schematic run that prints its warnings and errors on stderr (info is noise). */
export function warningsToStderr(): logging.Logger {
  const { logger, flush } = heldWarnings();
  logger.subscribe(flush);
  return logger;
}

/**
 * A logger whose warnings are held until `flush`: a run refused for a link leading out
 * drops them, since the rules took that link for a missing file ("README.md is missing").
 */
export function heldWarnings(): { logger: logging.Logger; flush: () => void } {
  const logger = new logging.Logger("quickscale");
  const held: string[] = [];
  logger.subscribe((entry) => {
    if (entry.level === "warn" || entry.level === "error" || entry.level === "fatal") {
      held.push(entry.message);
    }
  });
  return {
    logger,
    flush: () => {
      for (const message of held.splice(0)) {
        process.stderr.write(`${paint(process.stderr, "yellow", "warning:")} ${message}\n`);
      }
    },
  };
}
