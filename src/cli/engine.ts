import { logging, normalize, schema, virtualFs } from "@angular-devkit/core";
import { NodeJsSyncHost } from "@angular-devkit/core/node";
import { formats, HostTree, SchematicEngine, Tree } from "@angular-devkit/schematics";
import { BuiltinTaskExecutor } from "@angular-devkit/schematics/tasks/node";
import { NodeModulesEngineHost, validateOptionsWithSchema } from "@angular-devkit/schematics/tools";
import { join } from "node:path";
import { lastValueFrom, of } from "rxjs";
import { PACKAGE_ROOT } from "../version";
import { paint } from "./output";

/** A schematic's result, not yet on disk, and how to run its follow-up tasks. */
export interface SchematicRun {
  tree: Tree;
  /** Runs the tasks the schematic scheduled (git init, …): call after committing. */
  runTasks(): Promise<void>;
}

/**
 * Runs one of our schematics on the same engine the stock `schematics` CLI uses (same
 * host, option validation against schema.json, task executors), into a virtual tree over
 * `root` — but leaves the commit to us, so it can be atomic.
 */
export async function runSchematic(
  name: string,
  options: Record<string, unknown>,
  root: string,
  logger: logging.LoggerApi,
): Promise<SchematicRun> {
  const registry = new schema.CoreSchemaRegistry(formats.standardFormats);
  registry.addPostTransform(schema.transforms.addUndefinedDefaults);
  const engineHost = new NodeModulesEngineHost();
  engineHost.registerOptionsTransform(validateOptionsWithSchema(registry));
  engineHost.registerTaskExecutor(BuiltinTaskExecutor.RepositoryInitializer, { rootDirectory: root });
  const engine = new SchematicEngine(engineHost);
  const collection = engine.createCollection(join(PACKAGE_ROOT, "collection.json"));
  const schematic = collection.createSchematic(name, false);
  const host = new virtualFs.ScopedHost(new NodeJsSyncHost(), normalize(root));
  const tree = await lastValueFrom(schematic.call(options, of(new HostTree(host)), { logger }));
  return {
    tree,
    runTasks: async () => {
      await lastValueFrom(engine.executePostTasks(), { defaultValue: undefined });
    },
  };
}

/** A logger for a schematic run that prints its warnings and errors on stderr (info is noise). */
export function warningsToStderr(): logging.Logger {
  const logger = new logging.Logger("quickscale");
  logger.subscribe((entry) => {
    if (entry.level === "warn" || entry.level === "error" || entry.level === "fatal") {
      process.stderr.write(`${paint(process.stderr, "yellow", "warning:")} ${entry.message}\n`);
    }
  });
  return logger;
}
