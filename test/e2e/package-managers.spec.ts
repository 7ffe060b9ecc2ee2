import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { parse } from "smol-toml";
import { removeDir, tempDir } from "./support/files";
import { networkEnv } from "./support/network-env";
import { ensurePoetryEnv, pypiReleaseJsonApiAnswers, PYPI_SIMPLE_URL } from "./support/poetry-env";
import { baseEnv, describeRun, GIT_IDENTITY, required, run, runBin, RunResult } from "./support/process";
import { CACHE_DIR, PythonEnv } from "./support/python-env";
import { blockCommands, firstBashBlock, ShellCommand } from "./support/readme-commands";
import { httpGet, startServer } from "./support/server";
import { ensureToolsEnv } from "./support/tools-env";
import { installedVersions, lockedPackages } from "./support/uv-lock";

const NAME = "myapp";
/** Building the cached tool venvs on a first run (pip downloads Poetry, uv, …). */
const TOOLS_TIMEOUT_MS = 20 * 60_000;
/** One README command: an install with a cold cache downloads every dependency. */
const COMMAND_TIMEOUT_MS = 10 * 60_000;
const CHECK_TIMEOUT_MS = 2 * 60_000;
const SERVER_WAIT_MS = 60_000;
/** The whole setup block of one package manager. */
const SETUP_SPEC_TIMEOUT_MS = 3 * COMMAND_TIMEOUT_MS;

/** What `createsuperuser --noinput` reads instead of prompting (the user model signs in by email). */
const SUPERUSER_ENV = {
  DJANGO_SUPERUSER_EMAIL: "admin@example.com",
  DJANGO_SUPERUSER_PASSWORD: "readme-e2e-9f3K2q7Lx",
};

interface Manager {
  /** Used in names and folders. */
  id: string;
  /** The README heading of its setup block (a prefix of the heading: `(2.2 or newer)` may follow). */
  heading: string;
  /**
   * Its executable, which the README's "prefix them with `… run`" rule starts with; none for
   * pip, whose setup activates the virtualenv the later commands run in.
   */
  tool?: "uv" | "poetry";
}

const MANAGERS: readonly Manager[] = [
  { id: "uv", heading: "### With uv", tool: "uv" },
  { id: "poetry", heading: "### With Poetry", tool: "poetry" },
  { id: "pip", heading: "### With pip" },
];

/** The README's commands for one package manager, read from the generated project. */
interface ReadmePlan {
  setup: ShellCommand[];
  tests: ShellCommand[];
  lint: ShellCommand[];
  /** Words put before each Tests and Linting command (`uv run`), empty for an activated venv. */
  prefix: string[];
}

/**
 * The "prefix them with `uv run` or `poetry run`" rule: the backquoted prefix that starts
 * with `tool`. Throws when the README stops saying how to run its commands with it.
 */
function runPrefix(readme: string, tool: string): string[] {
  const rule = /prefix\s+them\s+with\s+([^.]*)/.exec(readme)?.[1];
  const prefixes = [...(rule ?? "").matchAll(/`([^`]+)`/g)].map((match) => (match[1] ?? "").split(/\s+/));
  const prefix = prefixes.find((words) => words[0] === tool);
  if (prefix === undefined) {
    throw new Error(
      `The README no longer says how to prefix its commands for ${tool} ("prefix them with …").`,
    );
  }
  return prefix;
}

function readPlan(readme: string, manager: Manager): ReadmePlan {
  return {
    setup: blockCommands(firstBashBlock(readme, manager.heading)),
    tests: blockCommands(firstBashBlock(readme, "## Tests")),
    lint: blockCommands(firstBashBlock(readme, "## Linting and formatting")),
    prefix: manager.tool === undefined ? [] : runPrefix(readme, manager.tool),
  };
}

/** Distribution names (no extras, no versions) of the runtime dependencies and the `dev` group. */
function declaredDistributions(pyprojectText: string): { runtime: string[]; dev: string[] } {
  const doc = parse(pyprojectText);
  const project = doc["project"];
  const groups = doc["dependency-groups"];
  const strings = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  const names = (requirements: string[]): string[] =>
    requirements.map((req) => /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(req)?.[1] ?? req);
  return {
    runtime: names(strings(isTable(project) ? project["dependencies"] : undefined)),
    dev: names(strings(isTable(groups) ? groups["dev"] : undefined)),
  };
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Prints the environment's prefix, then `name version` for each distribution named on the
 * command line; exits 1 naming every one that is not installed. Then imports Django and
 * pytest, so a broken installation fails here too.
 */
const DISTRIBUTIONS_SCRIPT = [
  "import importlib.metadata as md, sys",
  "print(sys.prefix)",
  "missing = []",
  "for name in sys.argv[1:]:",
  "    try:",
  "        print(name, md.version(name))",
  "    except md.PackageNotFoundError:",
  "        missing.append(name)",
  "if missing:",
  "    sys.exit('not installed: ' + ', '.join(missing))",
  "import django, pytest",
].join("\n");

function output(result: RunResult): string {
  return `${result.stdout}\n${result.stderr}`;
}

/** True when `path` is `root` or lies under it (both resolved, so /tmp links do not matter). */
function isWithin(path: string, root: string): boolean {
  const rel = relative(realpathSync(root), realpathSync(path));
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep));
}

/**
 * For each of uv, Poetry and pip, a freshly generated project is set up with the commands of
 * its README section, read from the generated README and run as written, in order. The two
 * interactive or endless ones are run in a bounded way: `createsuperuser` with `--noinput`
 * (the superuser from DJANGO_SUPERUSER_* variables), `runserver` on a free port until the
 * home page answers. Then the environment is checked for the runtime and dev dependencies,
 * and the README's Tests and Linting commands run in it, prefixed as the README says.
 */
describe("package managers: the generated README's local setup, run as written", () => {
  let tools: PythonEnv | undefined;
  let poetry: PythonEnv | undefined;
  /** Set when Poetry needs PyPI's simple index instead of its per-release JSON API (see poetry-env.ts). */
  let poetryMirror: string | undefined;

  beforeAll(async () => {
    tools = await ensureToolsEnv();
    poetry = await ensurePoetryEnv();
    if (!(await pypiReleaseJsonApiAnswers())) {
      poetryMirror = PYPI_SIMPLE_URL;
    }
  }, TOOLS_TIMEOUT_MS);

  /** The executable each tool runs from: uv from the pinned tools, Poetry from its venv with the plugin. */
  const toolPath = (tool: "uv" | "poetry"): string => {
    const venv = tool === "uv" ? tools : poetry;
    if (venv === undefined) {
      throw new Error("The package managers were not installed (see the beforeAll failure).");
    }
    return venv.bin(tool);
  };

  for (const manager of MANAGERS) {
    describe(`with ${manager.id}`, () => {
      let root = "";
      let project = "";
      let plan: ReadmePlan | undefined;
      /** The shell's environment: what the README's `source .venv/bin/activate` changes. */
      let shellEnv: NodeJS.ProcessEnv = {};
      let setUp = false;

      beforeAll(async () => {
        root = tempDir(`pm-${manager.id}`);
        project = join(root, NAME);
        // With its first commit, as users get it: the setup must leave the tree as committed.
        const generated = await runBin(["init", NAME, "--directory", project], root, GIT_IDENTITY);
        if (generated.code !== 0) {
          throw new Error(`Generating the project failed:\n${describeRun(generated)}`);
        }
        plan = readPlan(readFileSync(join(project, "README.md"), "utf8"), manager);
        shellEnv = managerEnv(manager, root);
      }, CHECK_TIMEOUT_MS);

      afterAll(() => {
        removeDir(root);
      });

      /**
       * The environment a developer's shell gives these commands: their PATH with the pinned
       * tool first, this machine's network settings, and caches under `<repo>/.cache/`. The
       * developer's own uv, pip and Poetry configuration stays out (an empty config folder).
       */
      const managerEnv = (m: Manager, dir: string): NodeJS.ProcessEnv => {
        let path = baseEnv()["PATH"] ?? "/usr/local/bin:/usr/bin:/bin";
        if (m.tool !== undefined) {
          const shims = join(dir, "bin");
          mkdirSync(shims, { recursive: true });
          symlinkSync(toolPath(m.tool), join(shims, m.tool));
          path = `${shims}:${path}`;
        }
        mkdirSync(join(dir, "config"), { recursive: true });
        return baseEnv({
          ...networkEnv(),
          PATH: path,
          XDG_CONFIG_HOME: join(dir, "config"),
          PIP_CACHE_DIR: join(CACHE_DIR, "pip"),
          PIP_DISABLE_PIP_VERSION_CHECK: "1",
          PIP_NO_INPUT: "1",
          // A README that forgot to activate its venv must fail here, not install into our Python.
          PIP_REQUIRE_VIRTUALENV: "1",
          UV_CACHE_DIR: join(CACHE_DIR, "uv"),
          UV_PYTHON_DOWNLOADS: "never",
          UV_PYTHON: "python3",
          POETRY_CACHE_DIR: join(CACHE_DIR, "poetry"),
          POETRY_CONFIG_DIR: join(dir, "config", "pypoetry"),
          POETRY_DATA_DIR: join(dir, "poetry-data"),
          // Poetry's default is <cache>/virtualenvs: one venv per temp project would pile up there.
          POETRY_VIRTUALENVS_PATH: join(dir, "poetry-venvs"),
          POETRY_NO_INTERACTION: "1",
          POETRY_KEYRING_ENABLED: "false",
          // virtualenv (which Poetry creates its venvs with) caches its seed wheels here.
          VIRTUALENV_OVERRIDE_APP_DATA: join(CACHE_DIR, "virtualenv"),
          ...(m.tool === "poetry" && poetryMirror !== undefined
            ? { POETRY_PYPI_MIRROR_URL: poetryMirror }
            : {}),
        });
      };

      const readme = (): ReadmePlan =>
        required(plan, "The project was not generated (see the beforeAll failure).");

      /** Runs `argv` in the project with the shell's environment plus `env`. */
      const sh = (
        argv: readonly string[],
        env: Record<string, string> = {},
        timeoutMs = CHECK_TIMEOUT_MS,
      ): Promise<RunResult> => {
        const [command, ...args] = argv;
        if (command === undefined) {
          throw new Error("An empty command.");
        }
        return run(command, args, { cwd: project, env: { ...shellEnv, ...env }, timeoutMs });
      };

      /**
       * `source <venv>/bin/activate`, as the activate script does it: the venv's `bin` first
       * on PATH, VIRTUAL_ENV set, PYTHONHOME unset. False (and a failed expectation) when the
       * script is not there.
       */
      const activate = (command: ShellCommand): boolean => {
        const script = command.argv[1] ?? "";
        const found = command.argv.length === 2 && /(^|\/)bin\/activate$/.test(script);
        const exists = found && existsSync(resolve(project, script));
        expect(exists).withContext(`${manager.heading}: ${command.line}: no such activate script`).toBeTrue();
        if (!exists) {
          return false;
        }
        const venv = resolve(project, dirname(dirname(script)));
        shellEnv = { ...shellEnv, PATH: `${join(venv, "bin")}:${shellEnv["PATH"] ?? ""}`, VIRTUAL_ENV: venv };
        delete shellEnv["PYTHONHOME"];
        return true;
      };

      /** `… runserver` on a free port of 127.0.0.1: the home page answers 200, then it is stopped. */
      const smokeRunserver = async (command: ShellCommand): Promise<boolean> => {
        const [program, ...args] = command.argv;
        if (program === undefined) {
          return false;
        }
        const server = await startServer({
          command: program,
          args: [...args, "127.0.0.1:{port}"],
          cwd: project,
          env: { ...shellEnv, ...command.env },
          readyPath: "/",
          timeoutMs: SERVER_WAIT_MS,
        });
        try {
          const home = await httpGet(`${server.origin}/`);
          expect(home.status).withContext(`${command.line}\n${server.output()}`).toBe(200);
          return home.status === 200;
        } finally {
          await server.stop();
        }
      };

      it(
        "sets the project up with its README section's commands, in order",
        async () => {
          const { setup } = readme();
          const where =
            manager.tool === "poetry" && poetryMirror !== undefined
              ? `${manager.heading} (Poetry reading PyPI through POETRY_PYPI_MIRROR_URL=${poetryMirror})`
              : manager.heading;
          const lines = setup.map((command) => command.line).join("\n");
          expect(setup.some((command) => command.argv.includes("createsuperuser")))
            .withContext(`${manager.heading} no longer creates a superuser:\n${lines}`)
            .toBeTrue();
          expect(setup.some((command) => command.argv.includes("runserver")))
            .withContext(`${manager.heading} no longer starts the server:\n${lines}`)
            .toBeTrue();
          for (const command of setup) {
            const [program] = command.argv;
            if (program === "source" || program === ".") {
              if (!activate(command)) {
                return;
              }
              continue;
            }
            if (command.argv.includes("runserver")) {
              if (!(await smokeRunserver(command))) {
                return;
              }
              continue;
            }
            const superuser = command.argv.includes("createsuperuser");
            const result = superuser
              ? await sh([...command.argv, "--noinput"], { ...command.env, ...SUPERUSER_ENV })
              : await sh(command.argv, command.env, COMMAND_TIMEOUT_MS);
            expect(result.code)
              .withContext(`${where}: ${command.line}\n${describeRun(result)}`)
              .toBe(0);
            if (result.code !== 0) {
              return;
            }
            // Installing the project itself must not greet the developer with setuptools' warnings.
            expect(`${result.stdout}${result.stderr}`)
              .withContext(`${where}: ${command.line}`)
              .not.toContain("BuildBackendWarning");
            if (superuser) {
              expect(result.stdout).toContain("Superuser created successfully.");
            }
          }
          setUp = true;
        },
        SETUP_SPEC_TIMEOUT_MS,
      );

      /** Fails the spec (and says why) when the setup spec did not finish. */
      const requireSetUp = (): boolean => {
        if (!setUp) {
          fail(`The ${manager.heading} setup failed (see the spec before): nothing to check.`);
        }
        return setUp;
      };

      it(
        "installs the runtime and the dev dependencies into the project's environment",
        async () => {
          if (!requireSetUp()) {
            return;
          }
          const { prefix } = readme();
          const declared = declaredDistributions(readFileSync(join(project, "pyproject.toml"), "utf8"));
          expect(declared.runtime).toContain("Django");
          expect(declared.dev).toContain("pytest");
          const listed = await sh([
            ...prefix,
            "python",
            "-c",
            DISTRIBUTIONS_SCRIPT,
            ...declared.runtime,
            ...declared.dev,
          ]);
          expect(listed.code).withContext(describeRun(listed)).toBe(0);
          // The interpreter those commands reach is the project's, not ours or the system's.
          const envPrefix = listed.stdout.split("\n")[0]?.trim() ?? "";
          const home = manager.tool === "poetry" ? join(root, "poetry-venvs") : join(project, ".venv");
          expect(existsSync(envPrefix) && existsSync(home) && isWithin(envPrefix, home))
            .withContext(`sys.prefix ${envPrefix}, expected under ${home}\n${describeRun(listed)}`)
            .toBeTrue();

          for (const tool of ["pytest", "ruff"]) {
            const version = await sh([...prefix, tool, "--version"]);
            expect(version.code).withContext(describeRun(version)).toBe(0);
          }
          if (manager.tool === "uv") {
            // uv installs what uv.lock pins, package by package.
            const locked = new Map(
              lockedPackages(readFileSync(join(project, "uv.lock"), "utf8")).map((item) => [
                item.name,
                item.version,
              ]),
            );
            const installed = await installedVersions(join(project, ".venv", "bin", "python"), project);
            for (const [name, version] of installed) {
              expect(`${name}==${version}`).toBe(`${name}==${locked.get(name) ?? "(not in uv.lock)"}`);
            }
          }
        },
        CHECK_TIMEOUT_MS * 2,
      );

      it(
        "passes the README's test command",
        async () => {
          if (!requireSetUp()) {
            return;
          }
          const { tests, prefix } = readme();
          expect(tests.length).withContext("## Tests has no command").toBeGreaterThan(0);
          for (const command of tests) {
            const result = await sh([...prefix, ...command.argv], command.env, COMMAND_TIMEOUT_MS);
            expect(result.code).withContext(describeRun(result)).toBe(0);
            expect(output(result)).toMatch(/\b\d+ passed\b/);
          }
        },
        COMMAND_TIMEOUT_MS + CHECK_TIMEOUT_MS,
      );

      it(
        "passes the README's lint commands",
        async () => {
          if (!requireSetUp()) {
            return;
          }
          const { lint, prefix } = readme();
          expect(lint.length).withContext("## Linting and formatting has no command").toBeGreaterThan(0);
          for (const command of lint) {
            const result = await sh([...prefix, ...command.argv], command.env);
            expect(result.code).withContext(describeRun(result)).toBe(0);
          }
        },
        CHECK_TIMEOUT_MS * 2,
      );

      // Last: it adds auth to the project the specs above checked.
      it(
        "leaves the tree as committed, so quickscale add auth then runs without --allow-dirty",
        async () => {
          if (!requireSetUp()) {
            return;
          }
          const status = await sh(["git", "status", "--porcelain"]);
          expect(status.code).withContext(describeRun(status)).toBe(0);
          expect(status.stdout).withContext(`git status after the ${manager.heading} setup`).toBe("");
          const added = await runBin(["add", "auth"], project, { ...shellEnv, ...GIT_IDENTITY });
          expect(added.code).withContext(describeRun(added)).toBe(0);
          // The lock follows: updated where uv is on PATH, otherwise the one command is named.
          expect(added.stdout).toContain(manager.tool === "uv" ? "Updated uv.lock" : 'run "uv lock"');
        },
        COMMAND_TIMEOUT_MS,
      );
    });
  }
});
