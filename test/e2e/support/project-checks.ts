import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { isTable } from "./generated-project";
import { describeRun, expectSuccess, RunResult } from "./process";

/**
 * The coverage threshold a project at `dir` sets for itself: `[tool.coverage.report]
 * fail_under` of its pyproject.toml, or a `--cov-fail-under` there; undefined without one.
 */
export function coverageThreshold(dir: string): number | undefined {
  const text = readFileSync(join(dir, "pyproject.toml"), "utf8");
  const tool = parse(text)["tool"];
  const coverage = isTable(tool) ? tool["coverage"] : undefined;
  const report = isTable(coverage) ? coverage["report"] : undefined;
  const failUnder = isTable(report) ? report["fail_under"] : undefined;
  if (typeof failUnder === "number") {
    return failUnder;
  }
  const flag = /--cov-fail-under[= ](\d+(?:\.\d+)?)/.exec(text);
  return flag?.[1] === undefined ? undefined : Number(flag[1]);
}

/**
 * pytest-cov's verdict in `result`: the project's own threshold, required and reached;
 * returns the total coverage reported (NaN without a verdict).
 */
export function expectCoverageMet(result: RunResult, dir: string): number {
  const text = `${result.stdout}\n${result.stderr}`;
  const threshold = coverageThreshold(dir);
  expect(threshold).withContext("pyproject.toml sets a coverage threshold").toBeGreaterThan(0);
  const reached = /Required test coverage of ([\d.]+)% reached\. Total coverage: ([\d.]+)%/.exec(text);
  expect(reached)
    .withContext(`the coverage verdict in:\n${describeRun(result)}`)
    .not.toBeNull();
  if (reached !== null) {
    expect(Number(reached[1])).toBe(threshold ?? Number.NaN);
    expect(Number(reached[2])).toBeGreaterThanOrEqual(threshold ?? Number.NaN);
  }
  return Number(reached?.[2] ?? Number.NaN);
}

/**
 * `pytest -v --cov` passed with nothing failed, errored or skipped, ran the tests of each of
 * `files` (paths relative to the project), and met the project's coverage threshold; returns
 * the total coverage reported.
 */
export function expectPassingSuite(result: RunResult, dir: string, files: readonly string[]): number {
  expectSuccess(result);
  const text = `${result.stdout}\n${result.stderr}`;
  expect(text).not.toMatch(/\b\d+ (failed|errors?|skipped)\b/);
  for (const file of files) {
    expect(text)
      .withContext(`tests of ${file} in:\n${describeRun(result)}`)
      .toMatch(new RegExp(`^${file.replace(/\./g, "\\.")}::\\S+ PASSED`, "m"));
  }
  return expectCoverageMet(result, dir);
}

/** What `manage.py check` prints when it finds nothing. */
export const NO_ISSUES = "System check identified no issues (0 silenced).";

/**
 * Declares the spec that `check --deploy --fail-level WARNING`, run by `manage` with the
 * production variables `env()` gives (.env.example filled in), finds nothing.
 */
export function itPassesCheckDeploy(
  manage: (args: string[], env: NodeJS.ProcessEnv) => Promise<RunResult>,
  env: () => NodeJS.ProcessEnv,
  timeoutMs: number,
): void {
  it(
    "passes check --deploy at warning level with .env.example filled in",
    async () => {
      const result = await manage(["check", "--deploy", "--fail-level", "WARNING"], env());
      expectSuccess(result);
      expect(result.stdout).toContain(NO_ISSUES);
    },
    timeoutMs,
  );
}

/**
 * Declares the spec that `makemigrations --check --dry-run`, run by `manage`, finds no
 * model change without its migration.
 */
export function itHasEveryModelChangeInItsMigrations(
  manage: (args: string[]) => Promise<RunResult>,
  timeoutMs: number,
): void {
  it(
    "has every model change in its migrations",
    async () => {
      const result = await manage(["makemigrations", "--check", "--dry-run"]);
      expectSuccess(result);
      expect(result.stdout).toContain("No changes detected");
    },
    timeoutMs,
  );
}

/**
 * `manage.py check` finds no issue and `makemigrations --check --dry-run` no model change
 * without its migration, both run by `manage`.
 */
export async function expectCheckAndMigrations(
  manage: (args: string[]) => Promise<RunResult>,
): Promise<void> {
  const check = await manage(["check"]);
  expectSuccess(check);
  expect(check.stdout).toContain(NO_ISSUES);
  const migrations = await manage(["makemigrations", "--check", "--dry-run"]);
  expectSuccess(migrations);
  expect(migrations.stdout).toContain("No changes detected");
}
