import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The package root: the nearest folder above this file whose package.json is QuickScale's
 * (compiled files live in `dist/src`, the bundled bin in `dist`).
 */
export const PACKAGE_ROOT = findPackageRoot(__dirname);

/** QuickScale's own version, as recorded in every project's manifest. */
export const QUICKSCALE_VERSION: string = packageJson(PACKAGE_ROOT)?.version ?? "0.0.0";

function findPackageRoot(start: string): string {
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
    if (packageJson(dir)?.name === "quickscale") {
      return dir;
    }
  }
  throw new Error(`QuickScale's package.json was not found above ${start}.`);
}

function packageJson(dir: string): { name?: string; version?: string } | undefined {
  const path = join(dir, "package.json");
  return existsSync(path)
    ? (JSON.parse(readFileSync(path, "utf8")) as { name?: string; version?: string })
    : undefined;
}
