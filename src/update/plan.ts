import { contentHash } from "../rules/manifest";
import type { MergeLabels, MergeResult } from "./merge-file";

/** What the update does to one file, as reported to the owner. */
export type FileOutcome =
  /** Never changed by the owner: replaced by the release's version. */
  | "replaced"
  /** Changed by both: merged three-way without conflict. */
  | "merged"
  /** Changed by both on the same lines: written with conflict markers. */
  | "conflict"
  /** New in the release: created. */
  | "created"
  /** Deleted by the owner but needed by the release: written again. */
  | "restored"
  /** Deleted by the owner, changed by the release: stays deleted. */
  | "kept-deleted"
  /** Changed by the owner, and the base is not in the git history: left as it is. */
  | "kept-changed"
  /** No longer written by QuickScale: left in place, no longer recorded. */
  | "dropped";

export interface FileChange {
  path: string;
  outcome: FileOutcome;
}

/** What the planner needs to know of the project and the release. */
export interface PlanInput {
  /** The manifest's hashes: what QuickScale wrote, path by path. */
  recorded: Readonly<Record<string, string>>;
  /** What this QuickScale writes for the project (its manifest excepted). */
  theirs: ReadonlyMap<string, Buffer>;
  /** The project's file now, or null when it is absent. */
  ours: (path: string) => Buffer | null;
  /** The content QuickScale wrote, by its recorded hash, or null when history lacks it. */
  base: (hash: string) => Buffer | null;
  merge: (ours: Buffer, base: Buffer, theirs: Buffer, labels: MergeLabels) => MergeResult;
  /** The versions on the conflict markers. */
  fromVersion: string;
  toVersion: string;
}

export interface Plan {
  /** Files to write, by project path. */
  writes: Map<string, Buffer>;
  /** The manifest's new hashes. */
  recorded: Record<string, string>;
  /** Every file the update touches or reports on, sorted by path. */
  changes: FileChange[];
}

/**
 * Decides, file by file, how the project catches up with the release: unchanged files are
 * replaced, files both sides changed are merged three-way (git merge-file) from the base the
 * manifest's hash names, files the owner deleted stay deleted unless the release needs them,
 * new files arrive. The manifest then records what the release wrote (its content, not the
 * merge), which is the next update's base.
 */
export function planUpdate(input: PlanInput): Plan {
  const writes = new Map<string, Buffer>();
  const recorded: Record<string, string> = {};
  const changes: FileChange[] = [];
  const labels = (path: string): MergeLabels => ({
    ours: `${path} (yours)`,
    base: `${path} (QuickScale ${input.fromVersion})`,
    theirs: `${path} (QuickScale ${input.toVersion})`,
  });
  const paths = new Set([...Object.keys(input.recorded), ...input.theirs.keys()]);
  for (const path of [...paths].sort()) {
    const theirs = input.theirs.get(path);
    const was = input.recorded[path];
    const ours = input.ours(path);
    const report = (outcome: FileOutcome) => changes.push({ path, outcome });
    if (theirs === undefined) {
      // Written before, no longer by this release: the owner's now.
      if (ours !== null) {
        report("dropped");
      }
      continue;
    }
    const hash = contentHash(theirs);
    if (ours === null) {
      if (was === undefined) {
        writes.set(path, theirs);
        recorded[path] = hash;
        report("created");
      } else if (neededByRelease(path)) {
        writes.set(path, theirs);
        recorded[path] = hash;
        report("restored");
      } else {
        // Remembered, so that the next update does not bring it back as new.
        recorded[path] = was;
        if (was !== hash) {
          report("kept-deleted");
        }
      }
      continue;
    }
    if (ours.equals(theirs)) {
      recorded[path] = hash;
      continue;
    }
    const oursHash = contentHash(ours);
    if (was !== undefined && oursHash === was) {
      writes.set(path, theirs);
      recorded[path] = hash;
      report("replaced");
      continue;
    }
    // Changed by the owner (or the owner's own file where the release now writes one: an empty base).
    const base = was === undefined ? Buffer.alloc(0) : input.base(was);
    if (base === null) {
      recorded[path] = was ?? hash;
      report("kept-changed");
      continue;
    }
    if (base.equals(theirs)) {
      // The release did not change it: the owner's version stands.
      recorded[path] = hash;
      continue;
    }
    const merged = input.merge(ours, base, theirs, labels(path));
    recorded[path] = hash;
    if (!merged.content.equals(ours)) {
      writes.set(path, merged.content);
    }
    report(merged.conflicts > 0 ? "conflict" : "merged");
  }
  return { writes, recorded, changes };
}

/**
 * Files the project cannot do without once the release's code is in: a Django migration of
 * an app QuickScale wrote (its models would lack their tables, and makemigrations --check
 * would fail). Every other file the owner deleted stays deleted.
 */
export function neededByRelease(path: string): boolean {
  return /(^|\/)migrations\/(__init__|\d{4}_[A-Za-z0-9_]+)\.py$/.test(path);
}
