import { isAlive } from "../../../src/commit/process-alive";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { removeDir } from "./files";
import { baseEnv, describeRun, REPO_ROOT, run, RunResult } from "./process";

/** Where the e2e caches live (git-ignored). */
export const CACHE_DIR = join(REPO_ROOT, ".cache");
const VENVS_DIR = join(CACHE_DIR, "python");
const PIP_CACHE_DIR = join(CACHE_DIR, "pip");

/** Written last into a finished venv: a venv without it is never used. */
const COMPLETE_MARK = ".quickscale-e2e-complete";
/** Bump to rebuild every cached venv (when the way they are built changes). */
const RECIPE = "1";
const PYTHON = process.env["QUICKSCALE_E2E_PYTHON"] ?? "python3";
const INSTALL_TIMEOUT_MS = 15 * 60_000;

/** A virtualenv holding a generated project's dependencies. */
export interface PythonEnv {
  /** The venv folder. */
  dir: string;
  /** The requirement strings installed into it. */
  requirements: string[];
  /** Path of an executable in the venv's `bin/` (`python`, `gunicorn`, `ruff`, …). */
  bin(name: string): string;
  /** The environment a command in the venv needs: a clean base, the venv first on PATH, plus `extra`. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** Runs `bin/<command> args` in `cwd` with `env` added to {@link PythonEnv.env}. */
  run(command: string, args: readonly string[], options: VenvRunOptions): Promise<RunResult>;
}

export interface VenvRunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Every requirement a generated project declares in its `pyproject.toml`: the runtime
 * `[project].dependencies`, every `[project.optional-dependencies]` extra and the PEP 735
 * `[dependency-groups].dev` group (following `{include-group = …}`), sorted, without duplicates.
 */
export function projectRequirements(pyprojectText: string): string[] {
  const doc = parse(pyprojectText);
  const project = asTable(doc["project"], "[project]");
  const self = typeof project["name"] === "string" ? normalizeName(project["name"]) : "";
  const requirements = new Set<string>(asStrings(project["dependencies"] ?? [], "[project].dependencies"));
  const extras = asTable(project["optional-dependencies"] ?? {}, "[project.optional-dependencies]");
  for (const [name, list] of Object.entries(extras)) {
    asStrings(list, `[project.optional-dependencies].${name}`).forEach((req) => requirements.add(req));
  }
  const groups = asTable(doc["dependency-groups"] ?? {}, "[dependency-groups]");
  for (const req of groupRequirements(groups, "dev", [])) {
    requirements.add(req);
  }
  // An extra that names the project itself (`all = ["myapp[sentry]"]`) is covered by the others.
  return [...requirements].filter((req) => normalizeName(requirementName(req)) !== self).sort();
}

/** The distribution name a PEP 508 requirement starts with. */
function requirementName(requirement: string): string {
  return /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement)?.[1] ?? requirement;
}

/** PEP 503 normalised name. */
function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

function groupRequirements(groups: Record<string, unknown>, name: string, seen: string[]): string[] {
  if (seen.includes(name)) {
    throw new Error(`[dependency-groups] includes itself: ${[...seen, name].join(" -> ")}`);
  }
  const entries = groups[name];
  if (!Array.isArray(entries)) {
    throw new Error(`[dependency-groups].${name} is missing or not a list`);
  }
  return entries.flatMap((entry: unknown): string[] => {
    if (typeof entry === "string") {
      return [entry];
    }
    const included = isTable(entry) ? entry["include-group"] : undefined;
    if (typeof included === "string") {
      return groupRequirements(groups, included, [...seen, name]);
    }
    throw new Error(`[dependency-groups].${name} has an entry that is neither a string nor an include-group`);
  });
}

/**
 * The venv for the project at `projectDir`, created on first use under
 * `<repo>/.cache/python/venv-<hash of the requirements and the interpreter>` and reused
 * after. It is built under a temporary name and renamed into place when complete, so a
 * killed run never leaves a half-built venv where a later run would use it.
 */
export async function ensureProjectEnv(projectDir: string): Promise<PythonEnv> {
  return ensureVenv(projectRequirements(readFileSync(join(projectDir, "pyproject.toml"), "utf8")));
}

/**
 * A cached venv holding `requirements`, installed with `pipOptions` (e.g. an
 * `--only-binary` list): the same cache and atomic build as {@link ensureProjectEnv}.
 */
export async function ensureVenv(
  requirements: readonly string[],
  pipOptions: readonly string[] = [],
): Promise<PythonEnv> {
  const python = await interpreter();
  const hash = createHash("sha256")
    .update(JSON.stringify({ recipe: RECIPE, python, requirements, pipOptions }))
    .digest("hex")
    .slice(0, 16);
  const dir = join(VENVS_DIR, `venv-${hash}`);
  removeStaleBuilds();
  if (!existsSync(join(dir, COMPLETE_MARK))) {
    await buildVenv(dir, requirements, pipOptions);
  }
  return pythonEnv(dir, [...requirements]);
}

/** The Python of this machine that the specs use (`$QUICKSCALE_E2E_PYTHON`, else python3). */
export interface HostPython {
  /** Its `python` command, for `-m venv` and the like. */
  command: string;
  /** `sys.executable`: its real path. */
  executable: string;
  /** `major.minor`, as a CI matrix or an image tag names it. */
  version: string;
  /** `sys.version` in full. */
  fullVersion: string;
}

export async function hostPython(): Promise<HostPython> {
  const script =
    "import json, sys; print(json.dumps([sys.executable, sys.version, '%d.%d' % sys.version_info[:2]]))";
  const result = await run(PYTHON, ["-c", script], { cwd: REPO_ROOT, env: baseEnv(), timeoutMs: 30_000 });
  if (result.code !== 0) {
    throw new Error(`Cannot run ${PYTHON}:\n${describeRun(result)}`);
  }
  const [executable = "", fullVersion = "", version = ""] = JSON.parse(result.stdout) as string[];
  return { command: PYTHON, executable, version, fullVersion };
}

/** The interpreter's real path and version: part of the cache key (the text `print(sys.executable, sys.version)` gave). */
async function interpreter(): Promise<string> {
  const python = await hostPython();
  return `${python.executable} ${python.fullVersion}`.trim();
}

async function buildVenv(
  dir: string,
  requirements: readonly string[],
  pipOptions: readonly string[],
): Promise<void> {
  mkdirSync(VENVS_DIR, { recursive: true });
  mkdirSync(PIP_CACHE_DIR, { recursive: true });
  if (existsSync(dir)) {
    // A venv without its mark: left by a version of this helper that did not rename.
    removeDir(dir);
  }
  const building = join(VENVS_DIR, `.building-${process.pid}-${Date.now()}`);
  const env = baseEnv({ PIP_CACHE_DIR, PIP_DISABLE_PIP_VERSION_CHECK: "1", PIP_NO_INPUT: "1" });
  const step = async (command: string, args: readonly string[]): Promise<void> => {
    const result = await run(command, args, { cwd: VENVS_DIR, env, timeoutMs: INSTALL_TIMEOUT_MS });
    if (result.code !== 0) {
      removeDir(building);
      throw new Error(`Building the e2e virtualenv failed:\n${describeRun(result)}`);
    }
  };
  const python = join(building, "bin", "python");
  await step(PYTHON, ["-m", "venv", building]);
  await step(python, ["-m", "pip", "install", "-U", "pip"]);
  await step(python, ["-m", "pip", "install", ...pipOptions, ...requirements]);
  relocateScripts(building, dir);
  writeFileSync(join(building, COMPLETE_MARK), `${requirements.join("\n")}\n`);
  try {
    renameSync(building, dir);
  } catch (error) {
    // Another run finished the same venv first: use theirs.
    removeDir(building);
    if (!existsSync(join(dir, COMPLETE_MARK))) {
      throw error;
    }
  }
}

/**
 * Scripts in `bin/` (pip, gunicorn, pytest, ruff's wrapper, activate) name the venv by its
 * absolute path; point them at the final folder before the rename makes it real.
 */
function relocateScripts(from: string, to: string): void {
  const binDir = join(from, "bin");
  for (const name of readdirSync(binDir)) {
    const path = join(binDir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined || !stat.isFile() || stat.size > 1_000_000) {
      continue;
    }
    const content = readFileSync(path);
    if (content.includes(0) || !content.includes(from)) {
      continue;
    }
    writeFileSync(path, content.toString("utf8").split(from).join(to), { mode: stat.mode });
  }
}

/** Removes half-built venvs whose builder process is gone. */
function removeStaleBuilds(): void {
  if (!existsSync(VENVS_DIR)) {
    return;
  }
  for (const name of readdirSync(VENVS_DIR)) {
    const match = /^\.building-(\d+)-\d+$/.exec(name);
    if (match !== null && !isAlive(Number(match[1]))) {
      try {
        removeDir(join(VENVS_DIR, name));
      } catch {
        // An orphaned installer of the killed run may still be writing there: next time.
      }
    }
  }
}

function pythonEnv(dir: string, requirements: string[]): PythonEnv {
  const bin = (name: string): string => join(dir, "bin", name);
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const base = baseEnv();
    return {
      ...base,
      PATH: `${join(dir, "bin")}:${base["PATH"] ?? "/usr/bin:/bin"}`,
      VIRTUAL_ENV: dir,
      // Keep the generated project free of __pycache__ folders between specs.
      PYTHONDONTWRITEBYTECODE: "1",
      PYTHONUNBUFFERED: "1",
      ...extra,
    };
  };
  return {
    dir,
    requirements,
    bin,
    env,
    run: (command, args, options) =>
      run(bin(command), args, {
        cwd: options.cwd,
        env: env(options.env),
        timeoutMs: options.timeoutMs ?? 180_000,
      }),
  };
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asTable(value: unknown, where: string): Record<string, unknown> {
  if (!isTable(value)) {
    throw new Error(`pyproject.toml: ${where} is missing or not a table`);
  }
  return value;
}

function asStrings(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === "string")) {
    throw new Error(`pyproject.toml: ${where} is not a list of strings`);
  }
  return value;
}
