import { Rule, Tree } from "@angular-devkit/schematics";
import { createHash } from "node:crypto";
import { QUICKSCALE_VERSION } from "./version";

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

/**
 * Writes the manifest of a tree rooted at the project (use inside `apply(empty(), ...)`,
 * before `move`): every file already in the tree is recorded as QuickScale's.
 */
export function writeManifest(options: Record<string, string>, concerns: readonly string[]): Rule {
  return (tree: Tree) => {
    const files: Record<string, string> = {};
    tree.visit((path, entry) => {
      const relative = path.replace(/^\//, "");
      if (entry && relative !== MANIFEST_PATH) {
        files[relative] = contentHash(entry.content);
      }
    });
    const manifest: Manifest = {
      quickscale: QUICKSCALE_VERSION,
      options: sortKeys(options),
      concerns: sortKeys(Object.fromEntries(concerns.map((name) => [name, QUICKSCALE_VERSION]))),
      files: sortKeys(files),
    };
    tree.create(MANIFEST_PATH, `${JSON.stringify(manifest, null, 2)}\n`);
  };
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
