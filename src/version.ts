import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The package root: compiled files live in `dist/src`, two levels below it. */
export const PACKAGE_ROOT = join(__dirname, "..", "..");

/** QuickScale's own version, as recorded in every project's manifest. */
export const QUICKSCALE_VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }
).version;
