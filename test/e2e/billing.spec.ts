import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { BILLING_DEPENDENCY, ENV_VARIABLES } from "../../schematics/billing/edits";
import { BILLING_TEST_FILES, BillingProject, generateWithBilling } from "./support/billing-project";
import { isTable } from "./support/generated-project";
import { NO_ISSUES, expectCheckAndMigrations, expectPassingSuite } from "./support/project-checks";
import { parseDotenv } from "./support/dotenv";
import { describeRun, expectOneLineError, expectSuccess } from "./support/process";
import { ensureProjectEnv } from "./support/python-env";
import { projectForSuite } from "./support/suite-project";

const NAME = "myapp";
/** Generating, a cached venv to build on a first run (pip downloads), a database. */
const SETUP_TIMEOUT_MS = 20 * 60_000;
const COMMAND_TIMEOUT_MS = 60_000;
const PYTEST_TIMEOUT_MS = 5 * 60_000;

/**
 * `quickscale add billing` on a freshly generated project: refused before auth, then added
 * after it, and the project still passes what `init` proves (checks, the deployment
 * checklist with .env.example filled in, migrations on PostgreSQL, its own tests with the
 * billing tests on SQLite and PostgreSQL, ruff), and production refuses test-mode keys.
 */
describe("quickscale add billing, on a generated project run for real", () => {
  const {
    project: current,
    venv,
    database,
    manage,
  } = projectForSuite({
    made: "generated with billing",
    make: () => generateWithBilling("billing", NAME),
    venvOf: (project: BillingProject) => ensureProjectEnv(project.dir),
    setupTimeoutMs: SETUP_TIMEOUT_MS,
    commandTimeoutMs: COMMAND_TIMEOUT_MS,
  });
  const read = (relative: string): string => readFileSync(join(current().dir, relative), "utf8");
  const run = (
    command: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv = {},
    timeoutMs = COMMAND_TIMEOUT_MS,
  ) => venv().run(command, args, { cwd: current().dir, env, timeoutMs });
  /** .env.example's variables with their example values, a fresh key, the throwaway database. */
  const productionEnv = (): Record<string, string> => ({
    ...Object.fromEntries(parseDotenv(read(".env.example"))),
    SECRET_KEY: randomBytes(48).toString("base64url"),
    DATABASE_URL: database().url,
    REDIS_URL: "redis://127.0.0.1:6379/0",
    DJANGO_SETTINGS_MODULE: `${NAME}.settings.production`,
  });

  it("is refused before auth, in one line naming quickscale add auth, writing nothing", () => {
    const { result, before, after } = current().withoutAuth;
    expectOneLineError(result, { code: 1, message: /"quickscale add auth"/ });
    expect(after).toEqual(before);
  });

  it("has nothing to do the second time", () => {
    expectSuccess(current().again);
    expect(current().again.stdout).toBe("Nothing to do: billing is up to date.\n");
  });

  it("depends on stripe and documents its keys in .env.example with live-mode placeholders", () => {
    const doc = parse(read("pyproject.toml"));
    const table = isTable(doc["project"]) ? doc["project"] : {};
    expect(table["dependencies"]).toContain(BILLING_DEPENDENCY);
    const documented = parseDotenv(read(".env.example"));
    for (const variable of ENV_VARIABLES.variables) {
      expect(documented.get(variable.name)).withContext(variable.name).toBe(variable.value);
    }
    expect(documented.get("STRIPE_SECRET_KEY")).toMatch(/^sk_live_/);
    expect(documented.get("STRIPE_PUBLISHABLE_KEY")).toMatch(/^pk_live_/);
    const readme = read("README.md");
    expect(readme.indexOf("\n## Billing\n")).toBeGreaterThan(0);
    expect(readme.indexOf("\n## Billing\n")).toBeLessThan(readme.indexOf("\n## Deployment\n"));
  });

  it(
    "passes manage.py check and has every model change in its migrations",
    async () => {
      await expectCheckAndMigrations(manage);
    },
    2 * COMMAND_TIMEOUT_MS,
  );

  it(
    "migrates on PostgreSQL, billing's tables included",
    async () => {
      const result = await manage(["migrate", "--noinput"], { DATABASE_URL: database().url });
      expectSuccess(result);
      expect(result.stdout).toMatch(/Applying billing\.0001_initial\.\.\. OK/);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    "passes its own tests on SQLite with the coverage threshold, without the network",
    async () => {
      const result = await run("pytest", ["-v", "--cov"], {}, PYTEST_TIMEOUT_MS);
      expectPassingSuite(result, current().dir, BILLING_TEST_FILES);
    },
    PYTEST_TIMEOUT_MS,
  );

  it(
    "passes its own tests on PostgreSQL with the coverage threshold",
    async () => {
      const result = await run(
        "pytest",
        ["-v", "--cov"],
        { DATABASE_URL: database().url },
        PYTEST_TIMEOUT_MS,
      );
      expectPassingSuite(result, current().dir, BILLING_TEST_FILES);
    },
    PYTEST_TIMEOUT_MS,
  );

  it(
    "is clean for ruff check and ruff format",
    async () => {
      expectSuccess(await run("ruff", ["check", "."]));
      expectSuccess(await run("ruff", ["format", "--check", "."]));
    },
    2 * COMMAND_TIMEOUT_MS,
  );

  it(
    "passes check --deploy at warning level with .env.example filled in (live-mode keys)",
    async () => {
      const result = await manage(["check", "--deploy", "--fail-level", "WARNING"], productionEnv());
      expectSuccess(result);
      expect(result.stdout).toContain(NO_ISSUES);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    "fails check --deploy on test-mode keys, unless they are explicitly allowed",
    async () => {
      const testKeys = {
        ...productionEnv(),
        STRIPE_SECRET_KEY: "sk_test_1",
        STRIPE_PUBLISHABLE_KEY: "pk_test_1",
      };
      const refused = await manage(["check", "--deploy"], testKeys);
      expect(refused.code).withContext(describeRun(refused)).toBe(1);
      expect(refused.stderr).toContain(
        "(billing.E001) STRIPE_SECRET_KEY is a test-mode key in a deployment.",
      );
      expect(refused.stderr).toContain("(billing.E001) STRIPE_PUBLISHABLE_KEY is a test-mode key");
      const allowed = await manage(["check", "--deploy", "--fail-level", "WARNING"], {
        ...testKeys,
        STRIPE_ALLOW_TEST_KEYS: "True",
      });
      expectSuccess(allowed);
    },
    2 * COMMAND_TIMEOUT_MS,
  );
});
