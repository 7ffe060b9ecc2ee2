import { AUTH_IMPORT_NAMES } from "../../schematics/auth/dependencies";
import { BILLING_IMPORT_NAMES } from "../../schematics/billing/dependencies";
import { PYTHON_KEYWORDS, STDLIB_MODULES } from "./python-names";

/**
 * PostgreSQL identifiers hold 63 bytes; the test runner prefixes the database name
 * with `test_`, so a project (and its default database) may use 58.
 */
export const MAX_PROJECT_NAME_LENGTH = 58;

/**
 * Import names of the generated project's own dependencies and of the tools it runs, with
 * what they pull in (the top-level packages of its virtualenv).
 */
const DEPENDENCY_MODULES = new Set([
  "asgiref",
  "certifi",
  "coverage",
  "csp",
  "django",
  "environ",
  "django_htmx",
  "factory",
  "faker",
  "gunicorn",
  "iniconfig",
  "packaging",
  "pip",
  "pkg_resources",
  "pluggy",
  "psycopg",
  "psycopg_binary",
  "py",
  "pygments",
  "pytest",
  "pytest_cov",
  "pytest_django",
  "redis",
  "ruff",
  "sentry_sdk",
  "setuptools",
  "sqlparse",
  "typing_extensions",
  "urllib3",
  "whitenoise",
]);

/**
 * Import names of what each module (`quickscale add <module>`) adds to a project: declared
 * by the module beside the dependency it adds, so the two cannot drift apart.
 */
const MODULE_DEPENDENCY_MODULES: Readonly<Record<string, readonly string[]>> = {
  auth: AUTH_IMPORT_NAMES,
  billing: BILLING_IMPORT_NAMES,
};

/** Folders the generated project creates beside (or inside) its package. */
const PROJECT_FOLDERS = new Set([
  "billing",
  "media",
  "settings",
  "static",
  "staticfiles",
  "teams",
  "templates",
  "tests",
  "users",
]);

/**
 * A PEP 508 distribution name that is also a lower-case Python identifier: starts
 * with a letter, ends with a letter or digit.
 */
const NAME_PATTERN = /^[a-z](?:[a-z0-9_]*[a-z0-9])?$/;

/** Why `name` cannot name a project, or `null` when it can. */
export function projectNameProblem(name: string): string | null {
  if (name === "") {
    return "the project name is empty";
  }
  if (name.length > MAX_PROJECT_NAME_LENGTH) {
    return `"${shorten(name)}" is ${name.length} characters long; the limit is ${MAX_PROJECT_NAME_LENGTH} (PostgreSQL's identifier limit less the "test_" prefix)`;
  }
  if (!NAME_PATTERN.test(name)) {
    return `"${name}" is not a Python package name (lower-case ASCII letters, digits and underscores, starting with a letter, not ending with "_")`;
  }
  if (PYTHON_KEYWORDS.has(name)) {
    return `"${name}" is a Python keyword`;
  }
  if (STDLIB_MODULES.has(name)) {
    return `"${name}" would shadow the Python standard library module of that name`;
  }
  if (DEPENDENCY_MODULES.has(name)) {
    return `"${name}" would shadow the "${name}" package the project depends on`;
  }
  const module = Object.entries(MODULE_DEPENDENCY_MODULES).find(([, names]) => names.includes(name))?.[0];
  if (module !== undefined) {
    return `"${name}" would shadow the "${name}" package that "quickscale add ${module}" installs`;
  }
  if (PROJECT_FOLDERS.has(name)) {
    return `"${name}" is the name of one of the project's own folders`;
  }
  return null;
}

/** A name close to `name` that passes {@link projectNameProblem}. */
export function suggestProjectName(name: string): string {
  let base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^[^a-z]+/, "")
    .slice(0, MAX_PROJECT_NAME_LENGTH)
    .replace(/_+$/, "");
  if (base === "") {
    base = "myproject";
  }
  if (projectNameProblem(base) !== null) {
    const suffix = "_project";
    base = base.slice(0, MAX_PROJECT_NAME_LENGTH - suffix.length).replace(/_+$/, "") + suffix;
  }
  return base;
}

/**
 * Throws an Error whose one-line message says why `name` is refused and which name would
 * work. Used by the schematic (any CLI) and by our bin before anything runs.
 */
export function assertValidProjectName(name: string): void {
  const problem = projectNameProblem(name);
  if (problem !== null) {
    throw new Error(`Invalid project name: ${problem}. Try "${suggestProjectName(name)}".`);
  }
}

function shorten(text: string): string {
  return text.length > 24 ? `${text.slice(0, 20)}...` : text;
}
