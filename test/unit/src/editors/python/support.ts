import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PythonEditError } from "../../../../../src/editors/python";

/** The repository root: specs run compiled, from dist/test/unit/... */
export const REPO_ROOT = findRoot(__dirname);

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, "package.json")) || dir.split(/[\\/]/).includes("dist")) {
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`No package.json above ${from}.`);
    }
    dir = parent;
  }
  return dir;
}

/**
 * A Python file of test/unit/src/editors/python/fixtures: the generated project's files
 * (base.py, local.py, urls.py), Django's startproject files, and variants a user might have.
 */
export function fixture(name: string): string {
  return readFileSync(join(REPO_ROOT, "test/unit/src/editors/python/fixtures", name), "utf8");
}

/** `text` with `from` replaced by `to`, failing loudly when `from` is not there exactly once. */
export function replaced(text: string, from: string, to: string): string {
  const index = text.indexOf(from);
  if (index === -1 || text.indexOf(from, index + 1) !== -1) {
    throw new Error(`Expected exactly one ${JSON.stringify(from)} in the fixture.`);
  }
  return `${text.slice(0, index)}${to}${text.slice(index + from.length)}`;
}

/** The refusal an editor call rejects with (failing when it does not reject with one). */
export async function refusal(promise: Promise<string>): Promise<PythonEditError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PythonEditError) {
      return error;
    }
    throw error;
  }
  throw new Error("Expected a PythonEditError, but the edit was made.");
}

/** ruff 0.17.6 from one of the e2e specs' Python environments, or null when none has it. */
export function ruffBinary(): string | null {
  const venvs = join(REPO_ROOT, ".cache/python");
  if (!existsSync(venvs)) {
    return null;
  }
  for (const venv of readdirSync(venvs).sort()) {
    const ruff = join(venvs, venv, "bin", "ruff");
    if (existsSync(ruff) && spawnSync(ruff, ["--version"], { encoding: "utf8" }).stdout.startsWith("ruff ")) {
      return ruff;
    }
  }
  return null;
}

/** What `ruff format --diff -` says about `source` with its defaults (empty: nothing to change). */
export function ruffFormatDiff(ruff: string, source: string): string {
  const result = spawnSync(ruff, ["format", "--isolated", "--diff", "-"], {
    input: source,
    encoding: "utf8",
  });
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`ruff format failed: ${result.stderr}`);
  }
  return result.stdout;
}
