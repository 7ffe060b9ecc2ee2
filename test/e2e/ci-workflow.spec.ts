import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { satisfies } from "@renovatebot/pep440";
import { CACHE_DIR, hostPython, HostPython } from "./support/python-env";
import { listFiles } from "./support/files";
import { installedVersions, lockedPackages } from "./support/uv-lock";
import { generatedProjectWithDatabase, isTable, pyprojectFacts } from "./support/generated-project";
import { databaseExists } from "./support/postgres";
import { networkEnv } from "./support/network-env";
import { baseEnv, describeRun, required, run, RunResult } from "./support/process";
import {
  expressionsIn,
  parseGithubEnvFile,
  readWorkflow,
  substituteExpressions,
  Workflow,
  WorkflowJob,
} from "./support/workflow";

const SETUP_TIMEOUT_MS = 5 * 60_000;
/** A cold pip cache downloads every dependency once; warm, the whole workflow takes well under a minute. */
const WORKFLOW_TIMEOUT_MS = 15 * 60_000;
const STEP_TIMEOUT_MS = 10 * 60_000;

/** What one `run:` step did. */
interface StepRun {
  job: string;
  name: string;
  script: string;
  result: RunResult;
}

/**
 * `.github/workflows/ci.yml` of a generated project, its jobs run here the way a GitHub
 * runner would: each job in a fresh virtualenv standing in for setup-python, its `run:`
 * steps in order as `bash -eo pipefail` scripts with the job's and step's `env`, a
 * `$GITHUB_ENV` file whose variables reach the later steps, and a throwaway PostgreSQL
 * database standing in for the service container. `uses:` steps are skipped: the checkout
 * is the project itself.
 */
describe("the generated CI workflow, its run steps executed outside GitHub", () => {
  const { project, database } = generatedProjectWithDatabase("ci-workflow", SETUP_TIMEOUT_MS);
  let python: HostPython | undefined;
  let interpreterVersion = "";

  beforeAll(async () => {
    python = await hostPython();
    interpreterVersion = python.version;
  }, SETUP_TIMEOUT_MS);

  const ci = (): Workflow => {
    project().read(".github/workflows/ci.yml");
    return readWorkflow(join(project().dir, ".github", "workflows", "ci.yml"));
  };
  const job = (workflow: Workflow, id: string): WorkflowJob => {
    const found = workflow.jobs.find((candidate) => candidate.id === id);
    if (found === undefined) {
      throw new Error(
        `${workflow.path} has no job ${id}: ${workflow.jobs.map((item) => item.id).join(", ")}`,
      );
    }
    return found;
  };

  it("runs on pushes and pull requests, with read-only permissions", () => {
    const workflow = ci();
    const on = workflow.raw["on"];
    expect(isTable(on) ? Object.keys(on) : on).toEqual(jasmine.arrayContaining(["push", "pull_request"]));
    expect(workflow.raw["permissions"]).toEqual({ contents: "read" });
    for (const item of workflow.jobs) {
      expect(item.raw["permissions"]).withContext(`job ${item.id} widens the permissions`).toBeUndefined();
    }
  });

  it("lints with ruff and tests every supported Python against a PostgreSQL service", () => {
    const workflow = ci();
    const runs = (id: string): string =>
      job(workflow, id)
        .steps.map((step) => step.run ?? "")
        .join("\n");
    expect(runs("lint")).toMatch(/ruff check\b/);
    expect(runs("lint")).toMatch(/ruff format --check\b/);

    const test = job(workflow, "test");
    const facts = pyprojectFacts(project().read("pyproject.toml"));
    const versions = test.matrix["python-version"] ?? [];
    expect(versions).toEqual(["3.11", "3.12", "3.13"]);
    for (const version of versions) {
      expect(satisfies(version, facts.requiresPython))
        .withContext(`${version} against requires-python ${facts.requiresPython}`)
        .toBeTrue();
    }
    const setupPython = test.steps.find((step) => step.uses?.startsWith("actions/setup-python@") === true);
    expect(setupPython?.with["python-version"]).toBe("${{ matrix.python-version }}");
    expect(setupPython?.with["cache"])
      .withContext("pip's cache: the dependencies come from uv.lock through uv, not pip")
      .toBeUndefined();

    const postgres = Object.values(test.services).find((service) => service.image.startsWith("postgres:"));
    expect(postgres?.image)
      .withContext("the service image is pinned to a major version")
      .toMatch(/^postgres:\d+/);
    expect(postgres?.options).toContain("--health-cmd");
    expect(postgres?.options).toContain("pg_isready");
    expect(postgres?.ports).toContain("5432:5432");
    const url = new URL(test.env["DATABASE_URL"] ?? "");
    expect(url.protocol).toBe("postgres:");
    expect(url.hostname).toBe("localhost");
    expect(url.username).toBe(postgres?.env["POSTGRES_USER"] ?? "");
    expect(url.password).toBe(postgres?.env["POSTGRES_PASSWORD"] ?? "");
    expect(url.pathname).toBe(`/${postgres?.env["POSTGRES_DB"] ?? ""}`);

    // Both jobs install what uv.lock pins (versions and hashes), refusing a stale lock.
    expect(runs("lint")).toMatch(/^\s*uv sync --locked --only-group dev\b/m);
    const script = runs("test");
    expect(script).toMatch(
      /^\s*python -m pip install --require-hashes --requirement "\$RUNNER_TEMP\/uv\.txt"$/m,
    );
    expect(script).toMatch(/^\s*uv sync --locked\b/m);
    expect(script).not.toMatch(/pip install (-e|--group|\.)/);
    expect(script).toContain("makemigrations --check --dry-run");
    expect(script).toContain("check --deploy --fail-level WARNING");
    expect(script).toMatch(/>>\s*"\$GITHUB_ENV"/);
    expect(script).toMatch(/^\s*pytest\b/m);
  });

  it("has a deploy workflow that only runs by hand and pushes to GHCR with the run's own token", () => {
    project().read(".github/workflows/deploy.yml");
    const deploy = readWorkflow(join(project().dir, ".github", "workflows", "deploy.yml"));
    const on = deploy.raw["on"];
    expect(isTable(on) ? Object.keys(on) : on).toEqual(["workflow_dispatch"]);
    expect(deploy.raw["permissions"]).toEqual({ contents: "read", packages: "write" });
    const steps = deploy.jobs.flatMap((item) => item.steps);
    const login = steps.find((step) => step.uses?.startsWith("docker/login-action@") === true);
    expect(login?.with).toEqual({
      registry: "ghcr.io",
      username: "${{ github.actor }}",
      password: "${{ secrets.GITHUB_TOKEN }}",
    });
    const build = steps.find((step) => step.uses?.startsWith("docker/build-push-action@") === true);
    expect(build?.with["push"]).toBe("true");
    expect(build?.with["tags"]).toContain("${{ env.IMAGE }}:${{ github.sha }}");
    const secrets = expressionsIn(deploy.text).filter((expression) => expression.startsWith("secrets."));
    expect(secrets).toEqual(["secrets.GITHUB_TOKEN"]);
  });

  it(
    "passes every run: step of every job in order, the tests on PostgreSQL",
    async () => {
      const workflow = ci();
      const workspace = project().dir;
      const runs: StepRun[] = [];
      /** Every variable a step wrote to $GITHUB_ENV, in any job. */
      const written = new Map<string, string>();
      for (const current of workflow.jobs) {
        const jobDir = join(project().root, "jobs", current.id);
        mkdirSync(jobDir, { recursive: true });
        const values = matrixValues(current);
        // setup-python's stand-in: the only interpreter here, in a fresh virtualenv on PATH.
        const venv = join(jobDir, "python");
        const created = await run(
          required(python, "No Python (see the beforeAll failure).").command,
          ["-m", "venv", venv],
          {
            cwd: jobDir,
            env: baseEnv(),
            timeoutMs: 60_000,
          },
        );
        expect(created.code).withContext(describeRun(created)).toBe(0);
        const files = {
          GITHUB_ENV: join(jobDir, "github-env"),
          GITHUB_PATH: join(jobDir, "github-path"),
          GITHUB_OUTPUT: join(jobDir, "github-output"),
          GITHUB_STEP_SUMMARY: join(jobDir, "github-step-summary"),
        };
        // GitHub's RUNNER_TEMP: a scratch folder of the job, emptied between jobs.
        const runnerTemp = join(jobDir, "runner-temp");
        mkdirSync(runnerTemp, { recursive: true });
        const githubEnv = new Map<string, string>();
        const githubPath: string[] = [join(venv, "bin")];
        const jobEnv = substituteAll({ ...workflow.env, ...current.env }, values);
        if (Object.values(current.services).some((service) => service.image.startsWith("postgres:"))) {
          expect(jobEnv["DATABASE_URL"])
            .withContext(`job ${current.id} has a PostgreSQL service and no DATABASE_URL`)
            .toBeDefined();
        }
        if (jobEnv["DATABASE_URL"] !== undefined) {
          jobEnv["DATABASE_URL"] = onThrowawayDatabase(jobEnv["DATABASE_URL"], database().url);
        }
        for (const [index, step] of current.steps.entries()) {
          if (step.run === undefined) {
            continue;
          }
          Object.values(files).forEach((file) => {
            writeFileSync(file, "");
          });
          const script = substituteExpressions(step.run, values);
          const scriptFile = join(jobDir, `step-${index}.sh`);
          writeFileSync(scriptFile, script);
          const base = baseEnv();
          const env: NodeJS.ProcessEnv = {
            ...base,
            ...networkEnv(),
            CI: "true",
            GITHUB_WORKSPACE: workspace,
            RUNNER_TEMP: runnerTemp,
            PIP_CACHE_DIR: join(CACHE_DIR, "pip"),
            PIP_DISABLE_PIP_VERSION_CHECK: "1",
            PIP_NO_INPUT: "1",
            // Keeps pytest-django's test database after the run: its presence proves the
            // tests ran on PostgreSQL (the database is dropped with its twin afterwards).
            PYTEST_ADDOPTS: "--reuse-db",
            ...files,
            ...jobEnv,
            ...Object.fromEntries(githubEnv),
            ...substituteAll(step.env, values),
            PATH: [...githubPath, base["PATH"] ?? "/usr/bin:/bin"].join(":"),
          };
          const result = await run("bash", ["--noprofile", "--norc", "-eo", "pipefail", scriptFile], {
            cwd: workspace,
            env,
            timeoutMs: STEP_TIMEOUT_MS,
          });
          runs.push({ job: current.id, name: step.name, script, result });
          if (result.code !== 0) {
            fail(`Job ${current.id}, step "${step.name}" failed:\n${describeRun(result)}`);
            return;
          }
          for (const [key, value] of parseGithubEnvFile(readFileSync(files.GITHUB_ENV, "utf8"))) {
            githubEnv.set(key, value);
            written.set(key, value);
          }
          const added = readFileSync(files.GITHUB_PATH, "utf8")
            .split("\n")
            .filter((line) => line.trim() !== "");
          githubPath.unshift(...added.reverse());
        }
      }

      const output = (pattern: RegExp): string => {
        const step = runs.find((item) => pattern.test(item.script));
        if (step === undefined) {
          throw new Error(`No run step matches ${pattern}`);
        }
        return `${step.result.stdout}\n${step.result.stderr}`;
      };
      expect(output(/makemigrations --check/)).toContain("No changes detected");
      expect(output(/check --deploy/)).toContain("System check identified no issues (0 silenced).");
      const pytest = output(/^\s*pytest\b/m);
      expect(pytest).toMatch(/\b\d+ passed\b/);
      expect(pytest).not.toMatch(/\b\d+ (failed|errors?)\b/);
      expect(pytest).toMatch(/Required test coverage of \d+(\.\d+)?% reached/);
      expect(await databaseExists(`test_${database().name}`))
        .withContext("pytest-django's test database on the PostgreSQL server: the tests ran there")
        .toBeTrue();

      // What the jobs installed is what uv.lock pins, package by package.
      const locked = new Map(
        lockedPackages(project().read("uv.lock")).map((item) => [item.name, item.version]),
      );
      const installed = await installedVersions(join(workspace, ".venv", "bin", "python"), workspace);
      expect(installed.size).withContext("packages in the jobs' .venv").toBeGreaterThan(20);
      for (const [name, version] of installed) {
        expect(`${name}==${version}`).toBe(`${name}==${locked.get(name) ?? "(not in uv.lock)"}`);
      }

      // The throwaway key came through $GITHUB_ENV, and is written nowhere in the project.
      const key = written.get("SECRET_KEY") ?? "";
      expect(key.length).toBeGreaterThanOrEqual(50);
      expect(key.startsWith("django-insecure-")).toBeFalse();
      for (const file of listFiles(workspace, (relative) => relative === ".git" || relative === ".venv")) {
        const path = join(workspace, file);
        if (existsSync(path) && !/\.(pyc|sqlite3)$/.test(file)) {
          expect(readFileSync(path, "utf8").includes(key)).withContext(`${file} holds the key`).toBeFalse();
        }
      }
    },
    WORKFLOW_TIMEOUT_MS,
  );

  /** One value per matrix dimension: the host's Python for python-version, the first value otherwise. */
  function matrixValues(current: WorkflowJob): Record<string, string> {
    const values: Record<string, string> = {};
    for (const [key, options] of Object.entries(current.matrix)) {
      if (key === "python-version") {
        expect(options)
          .withContext(`the only Python here (${interpreterVersion}) is in the matrix of ${current.id}`)
          .toContain(interpreterVersion);
        values[`matrix.${key}`] = interpreterVersion;
      } else {
        values[`matrix.${key}`] = options[0] ?? "";
      }
    }
    return values;
  }
});

/** `env` with `${{ }}` expressions substituted (an unknown expression is an error). */
function substituteAll(env: Record<string, string>, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, substituteExpressions(value, values)]),
  );
}

/** The workflow's DATABASE_URL, pointed at the throwaway database (host, port, name and user). */
function onThrowawayDatabase(workflowUrl: string, throwawayUrl: string): string {
  const url = new URL(workflowUrl);
  const throwaway = new URL(throwawayUrl);
  url.hostname = throwaway.hostname;
  url.port = throwaway.port;
  url.pathname = throwaway.pathname;
  url.username = throwaway.username;
  return url.toString();
}
