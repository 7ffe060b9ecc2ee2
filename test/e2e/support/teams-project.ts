import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { describeRun, expectSuccess, RunResult } from "./process";

/** The project's own test files of the teams module, under the package `name`. */
export function teamsTestFiles(name: string): string[] {
  return [
    "admin",
    "invitations",
    "membership",
    "middleware",
    "models",
    "scoping",
    "team_isolation",
    "views",
  ].map((file) => `${name}/teams/tests/test_${file}.py`);
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `[tool.coverage.report] fail_under` of the project's pyproject.toml. */
export function coverageThreshold(dir: string): number {
  const doc = parse(readFileSync(join(dir, "pyproject.toml"), "utf8"));
  const tool = doc["tool"];
  const coverage = isTable(tool) ? tool["coverage"] : undefined;
  const report = isTable(coverage) ? coverage["report"] : undefined;
  const failUnder = isTable(report) ? report["fail_under"] : undefined;
  if (typeof failUnder !== "number") {
    throw new Error("pyproject.toml sets no [tool.coverage.report] fail_under");
  }
  return failUnder;
}

/**
 * `pytest -v --cov` passed, ran tests of each of `files`, skipped none, and met the
 * project's coverage threshold; returns the total coverage it reported.
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
  const threshold = coverageThreshold(dir);
  const reached = /Required test coverage of ([\d.]+)% reached\. Total coverage: ([\d.]+)%/.exec(text);
  expect(reached)
    .withContext(`the coverage verdict in:\n${describeRun(result)}`)
    .not.toBeNull();
  const total = Number(reached?.[2] ?? 0);
  expect(Number(reached?.[1])).toBe(threshold);
  expect(total).toBeGreaterThanOrEqual(threshold);
  return total;
}
