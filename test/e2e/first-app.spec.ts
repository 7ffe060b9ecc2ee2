import { randomBytes } from "node:crypto";
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { removeDir } from "./support/files";
import { generateProject } from "./support/generated-project";
import { baseEnv, describeRun, expectSuccess, required, run, RunResult } from "./support/process";
import { ensureProjectEnv, PythonEnv } from "./support/python-env";
import { blockCommands, firstBashBlock } from "./support/readme-commands";

/** Unique, since the README's PostgreSQL setup creates a database of the project's name. */
const NAME = `first_${randomBytes(4).toString("hex")}`;
const APP = "shop";
/** Generating, and creating the cached venv on a first run (pip downloads). */
const SETUP_TIMEOUT_MS = 20 * 60_000;
const COMMAND_TIMEOUT_MS = 2 * 60_000;

/** A model, an admin and a test as a Django developer writes them, with no annotations for ruff. */
const MODELS = `from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
`;
const ADMIN = `from django.contrib import admin

from .models import Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
`;
const FAILING_TEST = `def test_fails_on_purpose():
    raise AssertionError("shop's own test ran")
`;
const PASSING_TEST = `import pytest

from .models import Product


@pytest.mark.django_db
def test_product_is_named_by_its_name():
    assert str(Product.objects.create(name="Tea", slug="tea")) == "Tea"
`;

function output(result: RunResult): string {
  return `${result.stdout}\n${result.stderr}`;
}

/**
 * A developer's first app, made the way Django's tutorial makes one (`startapp` at the
 * project root, as the generated README says): its tests are collected, its code counts
 * in coverage, it is packaged with the project, Django's own output (startapp,
 * makemigrations) passes the project's linters, and a run of its tests alone is not failed
 * by the whole project's coverage threshold.
 */
describe("a project's first app, made with startapp", () => {
  let root = "";
  let project = "";
  let py: PythonEnv | undefined;

  beforeAll(async () => {
    ({ root, dir: project } = await generateProject("first-app", NAME));
    py = await ensureProjectEnv(project);
    const readme = readFileSync(join(project, "README.md"), "utf8");
    // The README's own commands, with the app name it uses.
    for (const command of blockCommands(firstBashBlock(readme, "## Your own apps"))) {
      const [program, ...args] = command.argv;
      const result = await venv().run(program ?? "", args, {
        cwd: project,
        env: command.env,
        timeoutMs: COMMAND_TIMEOUT_MS,
      });
      if (result.code !== 0) {
        throw new Error(`${command.line} failed:\n${describeRun(result)}`);
      }
    }
    appendFileSync(join(project, NAME, "settings", "base.py"), `\nINSTALLED_APPS += ["${APP}"]\n`);
    writeFileSync(join(project, APP, "models.py"), MODELS);
    writeFileSync(join(project, APP, "admin.py"), ADMIN);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    removeDir(root);
    await run("dropdb", ["--if-exists", "--host", "127.0.0.1", "--username", "postgres", NAME], {
      cwd: "/",
      env: baseEnv(),
      timeoutMs: COMMAND_TIMEOUT_MS,
    });
  }, COMMAND_TIMEOUT_MS);

  const venv = (): PythonEnv =>
    required(py, "The project's virtualenv was not created (see the beforeAll failure).");
  const inProject = (command: string, args: string[]): Promise<RunResult> =>
    venv().run(command, args, { cwd: project, timeoutMs: COMMAND_TIMEOUT_MS });

  it(
    "migrates on PostgreSQL with the README's commands, the database created first",
    async () => {
      const readme = readFileSync(join(project, "README.md"), "utf8");
      const commands = blockCommands(firstBashBlock(readme, "### With PostgreSQL"));
      expect(commands.map((command) => command.argv[0])).toEqual(["createdb", "python"]);
      for (const command of commands) {
        const [program, ...args] = command.argv;
        const result =
          program === "python"
            ? await venv().run(program, args, {
                cwd: project,
                env: command.env,
                timeoutMs: COMMAND_TIMEOUT_MS,
              })
            : await run(program ?? "", args, {
                cwd: project,
                env: baseEnv(command.env),
                timeoutMs: COMMAND_TIMEOUT_MS,
              });
        expectSuccess(result);
      }
    },
    2 * COMMAND_TIMEOUT_MS,
  );

  it(
    "collects the app's tests",
    async () => {
      writeFileSync(join(project, APP, "tests.py"), FAILING_TEST);
      const result = await inProject("pytest", []);
      expect(result.code).withContext(describeRun(result)).toBe(1);
      expect(output(result)).toContain(`FAILED ${APP}/tests.py::test_fails_on_purpose`);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    "passes ruff after makemigrations, with Django's idiomatic class attributes",
    async () => {
      expectSuccess(await inProject("python", ["manage.py", "makemigrations", APP]));
      expect(readdirSync(join(project, APP, "migrations"))).toContain("0001_initial.py");
      expectSuccess(await inProject("ruff", ["check", "."]));
      expectSuccess(await inProject("ruff", ["format", "--check", "."]));
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    "runs the app's tests alone without the whole project's coverage threshold",
    async () => {
      writeFileSync(join(project, APP, "tests.py"), PASSING_TEST);
      const result = await inProject("pytest", [APP]);
      expectSuccess(result);
      expect(output(result)).toMatch(/\b1 passed\b/);
      expect(output(result)).not.toMatch(/coverage/i);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    "runs the suite with pytest under manage.py test, as the README's test command does",
    async () => {
      writeFileSync(join(project, APP, "tests.py"), PASSING_TEST);
      const all = await inProject("python", ["manage.py", "test"]);
      expectSuccess(all);
      expect(output(all)).toMatch(/\b\d+ passed\b/);
      expect(output(all))
        .withContext("no WhiteNoise warning about a missing folder")
        .not.toMatch(/No directory at/);

      writeFileSync(join(project, APP, "tests.py"), FAILING_TEST);
      const failing = await inProject("python", ["manage.py", "test", APP]);
      expect(failing.code).withContext(describeRun(failing)).toBe(1);
      expect(output(failing)).toContain(`FAILED ${APP}/tests.py::test_fails_on_purpose`);
      writeFileSync(join(project, APP, "tests.py"), PASSING_TEST);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    "counts the app in the full run's coverage, whose threshold holds",
    async () => {
      writeFileSync(join(project, APP, "tests.py"), PASSING_TEST);
      const full = await inProject("pytest", ["--cov"]);
      expectSuccess(full);
      expect(output(full)).toMatch(/Required test coverage of [\d.]+% reached/);
      const report = join(root, "coverage.json");
      expectSuccess(await inProject("coverage", ["json", "-o", report]));
      const measured = Object.keys(
        (JSON.parse(readFileSync(report, "utf8")) as { files: Record<string, unknown> }).files,
      );
      expect(measured).toContain(`${APP}/models.py`);
      expect(measured).toContain(`${NAME}/urls.py`);
      expect(measured.filter((path) => path.includes(".venv") || path.includes("site-packages"))).toEqual([]);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    "packages the app with the project",
    async () => {
      const wheels = join(root, "wheels");
      expectSuccess(await inProject("pip", ["wheel", "--no-deps", "--wheel-dir", wheels, "."]));
      const [wheel] = readdirSync(wheels).filter((name) => name.endsWith(".whl"));
      const listing = await inProject("python", ["-m", "zipfile", "--list", join(wheels, wheel ?? "")]);
      expectSuccess(listing);
      expect(listing.stdout).toContain(`${APP}/models.py`);
      expect(listing.stdout).toContain(`${NAME}/settings/base.py`);
      expect(listing.stdout).not.toMatch(/^tests\//m);
    },
    3 * COMMAND_TIMEOUT_MS,
  );
});
