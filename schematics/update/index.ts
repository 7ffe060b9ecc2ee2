import { chain, Rule, SchematicContext, SchematicsException, Tree } from "@angular-devkit/schematics";
import { MANIFEST_PATH, readManifest, writeManifest } from "../../src/rules/manifest";
import { pathShapeProblem } from "../../src/commit/project-paths";
import { QUICKSCALE_VERSION } from "../../src/base/version";
import { validateTree, touchedPaths } from "../../src/rules/validate-tree";
import { keepDevelopmentKey, renderRelease } from "../../src/update/release-render";
import { FileChange, planUpdate } from "../../src/update/plan";
import { mergeFile } from "../../src/update/merge-file";
import { Migration, migrationsBetween, runMigrations } from "../../src/update/migrations";
import { PROJECT_CONCERNS } from "../init";
import { MFA } from "../auth/edits";
import { Schema } from "./schema";

/** Schematics of the collection that are commands of their own, not concerns of a project. */
const COMMANDS: readonly string[] = ["init", "update"];

/**
 * The concerns the manifest records, in the order they are rendered: `init`'s, then the
 * modules in the order collection.json declares them (the manifest keeps its keys sorted, not
 * the order they were added; a module that needs another is declared after it). A module is
 * any public schematic of collection.json, so a new module is known here with no list to keep.
 */
function recordedConcerns(recorded: readonly string[], context: SchematicContext): string[] {
  const collection = context.schematic.collection;
  // listSchematicNames gives the public ones, sorted; the description keeps collection.json's order.
  const publicNames = new Set(collection.listSchematicNames());
  const declared = Object.keys((collection.description as { schematics?: object }).schematics ?? {});
  const modules = declared.filter(
    (name) =>
      publicNames.has(name) &&
      !COMMANDS.includes(name) &&
      !(PROJECT_CONCERNS as readonly string[]).includes(name),
  );
  const unknown = recorded.filter(
    (concern) => !modules.includes(concern) && !(PROJECT_CONCERNS as readonly string[]).includes(concern),
  );
  if (unknown.length > 0) {
    throw new SchematicsException(
      `${MANIFEST_PATH} records ${unknown.map((c) => JSON.stringify(c)).join(", ")}, which this QuickScale does not know: restore ${MANIFEST_PATH} from version control, or upgrade QuickScale.`,
    );
  }
  return [
    ...PROJECT_CONCERNS.filter((concern) => recorded.includes(concern)),
    ...modules.filter((concern) => recorded.includes(concern)),
  ];
}

/** What the update did, for the bin to report (filled in by the run). */
export interface UpdateReport {
  from: string;
  to: string;
  changes: FileChange[];
  migrations: Migration[];
  /** Concern → the files of the release it writes. */
  owners: Map<string, string[]>;
  /** Concern → the version the manifest recorded. */
  concerns: Record<string, string>;
  /** What the release writes, path by path (for the pristine record). */
  theirs: Map<string, Buffer>;
}

/**
 * In-process options (the bin's `quickscale update` passes them; not from the command line):
 * the contents QuickScale wrote before, found in the project's git history by their hashes,
 * and the report to fill.
 */
export interface UpdateOptions extends Schema {
  bases?: ReadonlyMap<string, Buffer>;
  report?: UpdateReport;
}

/**
 * Brings every concern the manifest records to this QuickScale's version: renders the
 * project afresh with the recorded options (theirs), compares with the project (ours) and
 * what QuickScale wrote then (the base, by the manifest's hash), then runs the migrations of
 * the versions crossed and records the new version and hashes.
 */
export default function update(options: UpdateOptions): Rule {
  return async (tree: Tree, context: SchematicContext) => {
    const manifest = readManifest(tree);
    const name = manifest.options["name"] ?? "";
    for (const path of Object.keys(manifest.files)) {
      const problem = pathShapeProblem(path);
      if (problem !== null || path === MANIFEST_PATH) {
        throw new SchematicsException(
          `${MANIFEST_PATH} records the file ${JSON.stringify(path)}, which ${problem ?? "is the manifest itself"}: restore ${MANIFEST_PATH} from version control.`,
        );
      }
    }
    const concerns = recordedConcerns(Object.keys(manifest.concerns), context);
    // --mfa is not recorded as an option: its files are.
    const mfa = MFA.files.some((file) => file in manifest.files);
    const release = await renderRelease(
      manifest.options,
      concerns,
      (concern) => (concern === "auth" ? { mfa } : {}),
      context,
    );
    const read = (path: string): Buffer | null => (tree.exists(path) ? tree.read(path) : null);
    const bases = options.bases ?? new Map<string, Buffer>();
    const base = (hash: string) => bases.get(hash) ?? null;
    const localSettings = `${name}/settings/local.py`;
    const theirsLocal = release.files.get(localSettings);
    if (theirsLocal !== undefined) {
      const recordedHash = manifest.files[localSettings];
      const keyFrom = read(localSettings) ?? (recordedHash === undefined ? null : base(recordedHash));
      release.files.set(localSettings, keepDevelopmentKey(theirsLocal, keyFrom));
    }
    const plan = planUpdate({
      recorded: manifest.files,
      theirs: release.files,
      ours: read,
      base,
      merge: mergeFile,
      fromVersion: manifest.quickscale,
      toVersion: QUICKSCALE_VERSION,
    });
    for (const [path, content] of plan.writes) {
      if (tree.exists(path)) {
        tree.overwrite(path, content);
      } else {
        tree.create(path, content);
      }
    }
    const conflicted = new Set(plan.changes.filter((c) => c.outcome === "conflict").map((c) => c.path));
    const migrations = migrationsBetween(manifest.quickscale, QUICKSCALE_VERSION);
    if (options.report !== undefined) {
      Object.assign(options.report, {
        from: manifest.quickscale,
        to: QUICKSCALE_VERSION,
        changes: plan.changes,
        migrations,
        owners: ownersByConcern(release.owners),
        concerns: manifest.concerns,
        theirs: release.files,
      } satisfies UpdateReport);
    }
    return chain([
      runMigrations(migrations, { name, skip: conflicted }),
      (project: Tree) => {
        writeManifest(project, {
          quickscale: QUICKSCALE_VERSION,
          options: manifest.options,
          concerns: Object.fromEntries(concerns.map((concern) => [concern, QUICKSCALE_VERSION])),
          files: plan.recorded,
        });
      },
      // Files with conflict markers are the owner's to resolve: every other file must parse.
      validateTree("", (after) => touchedPaths(after).filter((path) => !conflicted.has(path.slice(1)))),
    ]);
  };
}

function ownersByConcern(owners: ReadonlyMap<string, string[]>): Map<string, string[]> {
  const byConcern = new Map<string, string[]>();
  for (const [path, concerns] of owners) {
    for (const concern of concerns) {
      byConcern.set(concern, [...(byConcern.get(concern) ?? []), path]);
    }
  }
  return byConcern;
}
