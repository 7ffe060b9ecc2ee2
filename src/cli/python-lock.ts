import { spawnSync } from "node:child_process";
import { lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { PYPROJECT_PATH } from "../editors/toml/pyproject-tables";
import { UV_LOCK_PATH } from "../editors/toml/uv-lock";

/** What to run when QuickScale could not update uv.lock itself. */
export const RELOCK_COMMAND = "uv lock";

/**
 * After a module changed pyproject.toml, brings the project's uv.lock in step: runs
 * `uv lock` (which needs PyPI) when uv is on PATH, otherwise says the one command to run.
 * A project without uv.lock (the user removed it) is left alone.
 */
export function relockAfterAdd(root: string, changed: readonly string[], out: NodeJS.WritableStream): void {
  if (!changed.includes(PYPROJECT_PATH)) {
    return;
  }
  const refusal = relockRefusal(root);
  if (refusal === "no lock") {
    return;
  }
  if (refusal !== null) {
    out.write(
      `${UV_LOCK_PATH} no longer matches pyproject.toml (${refusal}): run "${RELOCK_COMMAND}" and commit it.\n`,
    );
    return;
  }
  // --no-build: locking reads published metadata and never runs a build script;
  // --no-config: no uv.toml of the folder chooses what uv does.
  const result = spawnSync("uv", ["lock", "--no-build", "--no-config", "--quiet"], {
    cwd: root,
    encoding: "utf8",
  });
  if (result.error === undefined && result.status === 0) {
    out.write(`Updated ${UV_LOCK_PATH} (uv lock): commit it with the changes above.\n`);
    return;
  }
  const why =
    result.error === undefined
      ? `uv lock failed: ${(result.stderr.trim().split("\n").at(-1) ?? "").trim()}`
      : "uv is not installed";
  out.write(
    `${UV_LOCK_PATH} no longer matches pyproject.toml (${why}): run "${RELOCK_COMMAND}" and commit it.\n`,
  );
}

/**
 * Why QuickScale leaves the relock to the user, or null when it may run uv itself. The
 * folder may be hostile (docs/architecture.md, "The project folder is untrusted"): uv runs only on a uv.lock that is a plain
 * file (uv must not write through a link), and on static metadata (`dynamic` fields and
 * `[tool.uv]` settings could make uv build the project or fetch from elsewhere).
 */
export function relockRefusal(root: string): string | null {
  let lock;
  try {
    lock = lstatSync(join(root, UV_LOCK_PATH));
  } catch {
    return "no lock";
  }
  if (!lock.isFile()) {
    return `${UV_LOCK_PATH} is not a plain file`;
  }
  let pyproject: { project?: { dynamic?: unknown }; tool?: { uv?: unknown } };
  try {
    pyproject = parseToml(readFileSync(join(root, PYPROJECT_PATH), "utf8"));
  } catch {
    return `${PYPROJECT_PATH} is not readable TOML`;
  }
  if (pyproject.project?.dynamic !== undefined || pyproject.tool?.uv !== undefined) {
    return `${PYPROJECT_PATH} has dynamic metadata or [tool.uv] settings, which uv lock would act on`;
  }
  return null;
}
