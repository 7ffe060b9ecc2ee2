import { Rule, SchematicsException, Tree } from "@angular-devkit/schematics";
import { createHash } from "node:crypto";
import { projectNameProblem } from "../names/project-name";
import { QUICKSCALE_VERSION } from "../base/version";

/** Where every QuickScale project records what QuickScale did to it. */
export const MANIFEST_PATH = ".quickscale.json";

/**
 * The record of a project: QuickScale's version, the options it was made with, the
 * concerns applied (each at the version that applied it) and a content hash of every
 * file QuickScale wrote. Deterministic: no timestamps, keys sorted.
 */
export interface Manifest {
  quickscale: string;
  options: Record<string, string>;
  concerns: Record<string, string>;
  files: Record<string, string>;
}

/** `sha256-<hex>` of a file's bytes. */
export function contentHash(content: Buffer | string): string {
  return `sha256-${createHash("sha256").update(content).digest("hex")}`;
}

/** Creates the manifest of a new project (at the tree root): the first rule of `init`. */
export function startManifest(options: Record<string, string>): Rule {
  return (tree: Tree) => {
    writeManifest(tree, { quickscale: QUICKSCALE_VERSION, options, concerns: {}, files: {} });
  };
}

/**
 * Records `concern` as applied at this version, with the hash of each of `changed` (the
 * files it created or changed; the manifest itself excepted). Writes nothing when the
 * record is already up to date, so a run with nothing to do changes nothing.
 */
export function recordConcern(tree: Tree, concern: string, changed: ReadonlyMap<string, Buffer>): void {
  const manifest = readManifest(tree);
  const files = { ...manifest.files };
  for (const [path, content] of changed) {
    const relative = path.replace(/^\//, "");
    if (relative !== MANIFEST_PATH) {
      files[relative] = contentHash(content);
    }
  }
  writeManifest(tree, {
    ...manifest,
    concerns: { ...manifest.concerns, [concern]: QUICKSCALE_VERSION },
    files,
  });
}

/**
 * The manifest of the project at the tree root. Refuses, with what to do, a folder that
 * is not a QuickScale project, a manifest that does not parse, and one written by a
 * newer QuickScale.
 */
export function readManifest(tree: Tree): Manifest {
  const text = tree.exists(MANIFEST_PATH) ? tree.readText(MANIFEST_PATH) : null;
  if (text === null) {
    throw new SchematicsException(
      `Not a QuickScale project: there is no ${MANIFEST_PATH} here. Run this inside a project made by "quickscale init".`,
    );
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new SchematicsException(
      `${MANIFEST_PATH} is corrupt (${error instanceof Error ? error.message : "invalid JSON"}): restore it from version control.`,
    );
  }
  if (!isManifest(manifest)) {
    throw new SchematicsException(
      `${MANIFEST_PATH} is corrupt (it lacks the quickscale, options, concerns or files fields): restore it from version control.`,
    );
  }
  // Checked as `init` checks them: the name becomes paths and Python imports, the version
  // decides what a later QuickScale may do to the project.
  const name = manifest.options["name"];
  const nameProblem = name === undefined ? null : projectNameProblem(name);
  if (nameProblem !== null) {
    throw new SchematicsException(
      `${MANIFEST_PATH} names the project ${JSON.stringify(name)}, which is not a valid project name (${nameProblem}): restore it from version control.`,
    );
  }
  if (!isSemver(manifest.quickscale)) {
    throw new SchematicsException(
      `${MANIFEST_PATH} records QuickScale version ${JSON.stringify(manifest.quickscale)}, which is not a version (major.minor.patch): restore it from version control.`,
    );
  }
  if (compareVersions(manifest.quickscale, QUICKSCALE_VERSION) > 0) {
    throw new SchematicsException(
      `This project was made by QuickScale ${manifest.quickscale}, newer than this QuickScale ${QUICKSCALE_VERSION}: upgrade QuickScale first.`,
    );
  }
  return manifest;
}

/** Writes `manifest` at the tree root (keys sorted), only when its text changes. */
export function writeManifest(tree: Tree, manifest: Manifest): void {
  const text = `${JSON.stringify(
    {
      quickscale: manifest.quickscale,
      options: sortKeys(manifest.options),
      concerns: sortKeys(manifest.concerns),
      files: sortKeys(manifest.files),
    },
    null,
    2,
  )}\n`;
  if (!tree.exists(MANIFEST_PATH)) {
    tree.create(MANIFEST_PATH, text);
  } else if (tree.readText(MANIFEST_PATH) !== text) {
    tree.overwrite(MANIFEST_PATH, text);
  }
}

function isManifest(value: unknown): value is Manifest {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const record = value as Record<string, unknown>;
  return (
    typeof record["quickscale"] === "string" &&
    isStringRecord(record["options"]) &&
    isStringRecord(record["concerns"]) &&
    isStringRecord(record["files"])
  );
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((item) => typeof item === "string")
  );
}

/** semver.org's regular expression for a version. */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/**
 * Whether `version` is a Semantic Versioning 2.0.0 version, by the regular expression
 * semver.org gives (no leading zeros, optional pre-release and build).
 */
export function isSemver(version: string): boolean {
  return SEMVER.test(version);
}

/** Compares dotted numeric versions (`0.10.0` > `0.9.1`); pre-release tags are ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split(/[-+]/, 1)[0]?.split(".").map(Number) ?? [];
  const [left, right] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) {
      return Number.isNaN(difference) ? 0 : Math.sign(difference);
    }
  }
  return 0;
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
