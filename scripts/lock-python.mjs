// Regenerates schematics/core/uv.lock, the lock every generated project starts with: the
// core pyproject.toml rendered for a placeholder name, locked by uv (at QuickScale's build
// or release time, with PyPI reachable). `quickscale init` renames the placeholder offline.
//
//   npm run lock:python            (uv on PATH, or UV=/path/to/uv)
//
// Run it after changing a dependency in schematics/core/files/pyproject.toml.template;
// test/e2e/python-lock.spec.ts fails while the shipped lock and the template disagree.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Keep in step with LOCK_PLACEHOLDER_NAME in src/editors/toml/uv-lock.ts. */
const PLACEHOLDER = "quickscale-placeholder";
const root = join(import.meta.dirname, "..");
const uv = process.env["UV"] ?? "uv";
const template = readFileSync(join(root, "schematics/core/files/pyproject.toml.template"), "utf8");
const scratch = mkdtempSync(join(tmpdir(), "quickscale-lock-"));
try {
  writeFileSync(join(scratch, "pyproject.toml"), template.replaceAll("<%= name %>", PLACEHOLDER));
  // --upgrade: the newest releases the ranges allow, not the ones of the previous lock.
  const result = spawnSync(uv, ["lock", "--upgrade", "--no-build"], { cwd: scratch, stdio: "inherit" });
  if (result.error !== undefined || result.status !== 0) {
    process.stderr.write(
      `error: "${uv} lock" failed${result.error ? ` (${result.error.message})` : ""}; install uv (pip install uv) or set UV to its path, then run again.\n`,
    );
    process.exitCode = 1;
  } else {
    copyFileSync(join(scratch, "uv.lock"), join(root, "schematics/core/uv.lock"));
    process.stdout.write("Wrote schematics/core/uv.lock.\n");
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
