import { createTwoFilesPatch } from "diff";

/** A unified diff of one file, headed `--- path` / `+++ path` as `git diff --no-prefix` shows it. */
export function unifiedDiff(path: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(path, path, before, after, "", "", { context: 3 });
  // Drop the "Index:" and "=====" lines the library puts before the header.
  return patch.slice(patch.indexOf("--- "));
}
