import { request } from "node:https";
import { ensureVenv, PythonEnv } from "./python-env";
import { TOOL_REQUIREMENTS } from "./tools-env";

/**
 * A plugin that swaps Poetry's PyPI repository (which reads release metadata from PyPI's
 * per-release JSON API, `/pypi/<name>/<version>/json`) for a PEP 503/691 "simple" index
 * repository at a URL given by `POETRY_PYPI_MIRROR_URL`, without touching the project.
 * 0.6.5 declares `poetry>=2.1,<2.6`.
 */
const MIRROR_PLUGIN = "poetry-plugin-pypi-mirror==0.6.5";

/** PyPI's own simple index: the same releases and files pip and uv read. */
export const PYPI_SIMPLE_URL = "https://pypi.org/simple/";

/** The Poetry the e2e tools pin (`poetry==X` in TOOL_REQUIREMENTS). */
export function pinnedPoetry(): string {
  const pin = TOOL_REQUIREMENTS.find((requirement) => /^poetry==/.test(requirement));
  if (pin === undefined) {
    throw new Error("TOOL_REQUIREMENTS pins no poetry.");
  }
  return pin;
}

/**
 * A cached venv with the pinned Poetry and the mirror plugin. The plugin does nothing
 * unless `POETRY_PYPI_MIRROR_URL` (or `plugins.pypi_mirror.url`) is set.
 */
export function ensurePoetryEnv(): Promise<PythonEnv> {
  return ensureVenv([pinnedPoetry(), MIRROR_PLUGIN]);
}

/**
 * Whether PyPI's per-release JSON API answers from here, asked about a release that exists
 * (the pinned Poetry). Some networks (this workplace's egress gateway among them) serve
 * PyPI's simple index and `/pypi/<name>/json` but answer every `/pypi/<name>/<version>/json`
 * with an empty 404, which Poetry's PyPI repository reads as "package not found".
 */
export function pypiReleaseJsonApiAnswers(timeoutMs = 15_000): Promise<boolean> {
  const version = pinnedPoetry().slice("poetry==".length);
  const url = `https://pypi.org/pypi/poetry/${version}/json`;
  return new Promise((resolve) => {
    const req = request(url, { method: "GET", timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on("error", () => {
      resolve(false);
    });
    req.end();
  });
}
