import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PYPROJECT_PATH } from "../pyproject";
import { UV_LOCK_PATH } from "../uv-lock";

/** What to run when QuickScale could not update uv.lock itself. */
export const RELOCK_COMMAND = "uv lock";

/**
 * After a module changed pyproject.toml, brings the project's uv.lock in step: runs
 * `uv lock` (which needs PyPI) when uv is on PATH, otherwise says the one command to run.
 * `--no-build`: locking reads the dependencies' published metadata and never runs a build
 * script. A project without uv.lock (the user removed it) is left alone.
 */
export function relockAfterAdd(root: string, changed: readonly string[], out: NodeJS.WritableStream): void {
  if (!changed.includes(PYPROJECT_PATH) || !existsSync(join(root, UV_LOCK_PATH))) {
    return;
  }
  const result = spawnSync("uv", ["lock", "--no-build", "--quiet"], { cwd: root, encoding: "utf8" });
  if (result.error === undefined && result.status === 0) {
    out.write(`Updated ${UV_LOCK_PATH} (uv lock): commit it with the changes above.\n`);
    return;
  }
  const why =
    result.error === undefined
      ? `uv lock failed: ${(result.stderr.trim().split("\n").at(-1) ?? "").trim()}`
      : "uv is not installed";
  out.write(
    `${UV_LOCK_PATH} no longer matches pyproject.toml (${why}): run "${RELOCK_COMMAND}" and commit ${UV_LOCK_PATH}.\n`,
  );
}
