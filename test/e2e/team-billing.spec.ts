import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  BILLING_TEST_FILES,
  generateWithTeamsAndBilling,
  TEAM_BILLING_TEST_FILES,
  TeamBillingProject,
} from "./support/billing-project";
import { teamsTestFiles } from "./support/teams-project";
import { expectCheckAndMigrations, expectPassingSuite, NO_ISSUES } from "./support/project-checks";
import { productionEnv } from "./support/production-env";
import { removeDir, snapshot, tempDir } from "./support/files";
import { createThrowawayDatabase, ThrowawayDatabase } from "./support/postgres";
import { expectSuccess, required, runBin, RunResult } from "./support/process";
import { ensureProjectEnv, PythonEnv } from "./support/python-env";

const NAME = "myapp";
const SETUP_TIMEOUT_MS = 20 * 60_000;
const COMMAND_TIMEOUT_MS = 60_000;
const PYTEST_TIMEOUT_MS = 5 * 60_000;

/**
 * Teams and billing together, added in either order: the second one makes the team the
 * billing customer, and both orders give the same project, byte for byte. That project
 * passes its checks, has its migrations, migrates on PostgreSQL, passes its own tests (the
 * team-customer ones among them) and ruff; a second `add` of either has nothing to do.
 */
describe("quickscale add teams and add billing, in either order", () => {
  let first: TeamBillingProject | undefined;
  let second: TeamBillingProject | undefined;
  let py: PythonEnv | undefined;
  let db: ThrowawayDatabase | undefined;

  beforeAll(async () => {
    // Made before its modules are added, so that the second copy has the same key.
    const pristine = join(tempDir("team-billing-init"), NAME);
    expectSuccess(await runBin(["init", NAME, "--directory", pristine, "--skip-git"], dirname(pristine)));
    [first, second] = await Promise.all([
      generateWithTeamsAndBilling("team-billing-tb", NAME, "teams-then-billing", pristine),
      generateWithTeamsAndBilling("team-billing-bt", NAME, "billing-then-teams", pristine),
    ]);
    removeDir(dirname(pristine));
    [py, db] = await Promise.all([ensureProjectEnv(first.dir), createThrowawayDatabase()]);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await db?.drop();
    for (const project of [first, second]) {
      if (project !== undefined) {
        removeDir(project.root);
      }
    }
  }, COMMAND_TIMEOUT_MS);

  const projects = (): [TeamBillingProject, TeamBillingProject] => [
    required(first, "The teams-then-billing project was not generated (see the beforeAll failure)."),
    required(second, "The billing-then-teams project was not generated (see the beforeAll failure)."),
  ];
  const venv = (): PythonEnv => required(py, "The venv was not built (see the beforeAll failure).");
  const run = (
    dir: string,
    command: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv = {},
    timeoutMs = COMMAND_TIMEOUT_MS,
  ) => venv().run(command, args, { cwd: dir, env, timeoutMs });
  const manage =
    (dir: string) =>
    (args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> =>
      run(dir, "python", ["manage.py", ...args], env);

  it("gives the same project whichever module came second", () => {
    const [a, b] = projects();
    // The venv lives in the first project only.
    const files = (dir: string) => snapshot(dir).filter((line) => !/^\.venv\b|__pycache__/.test(line));
    expect(files(b.dir)).toEqual(files(a.dir));
  });

  it("makes the team the customer: Customer.team, in a migration after teams' first", () => {
    const [a] = projects();
    const read = (relative: string) => readFileSync(join(a.dir, relative), "utf8");
    expect(read(`${NAME}/billing/models.py`)).toContain("team = models.OneToOneField(");
    const migration = read(`${NAME}/billing/migrations/0002_customer_team.py`);
    expect(migration).toContain("('teams', '0001_initial')");
    expect(read("README.md")).toContain("the team is the customer");
  });

  it("has nothing to do when either module is added again", () => {
    for (const project of projects()) {
      for (const { module, result } of project.runs.slice(-2)) {
        expectSuccess(result);
        expect(result.stdout)
          .withContext(`${project.order}, add ${module} again`)
          .toBe(`Nothing to do: ${module} is up to date.\n`);
      }
    }
  });

  it(
    "passes manage.py check and has every model change in its migrations, in both orders",
    async () => {
      for (const project of projects()) {
        await expectCheckAndMigrations(manage(project.dir));
      }
    },
    4 * COMMAND_TIMEOUT_MS,
  );

  it(
    "migrates on PostgreSQL, the team's customer after teams",
    async () => {
      const [a] = projects();
      const database = required(db, "No throwaway database (see the beforeAll failure).");
      const result = await manage(a.dir)(["migrate", "--noinput"], { DATABASE_URL: database.url });
      expectSuccess(result);
      expect(result.stdout).toMatch(
        /Applying teams\.0001_initial\.\.\. OK[\s\S]*Applying billing\.0002_customer_team\.\.\. OK/,
      );
    },
    2 * COMMAND_TIMEOUT_MS,
  );

  for (const engine of ["SQLite", "PostgreSQL"]) {
    it(
      `passes its own tests on ${engine} with the coverage threshold, the team-customer ones among them`,
      async () => {
        const [a] = projects();
        const env =
          engine === "PostgreSQL"
            ? { DATABASE_URL: required(db, "No throwaway database (see the beforeAll failure).").url }
            : {};
        const result = await run(a.dir, "pytest", ["-v", "--cov"], env, PYTEST_TIMEOUT_MS);
        expectPassingSuite(result, a.dir, [
          ...BILLING_TEST_FILES,
          ...teamsTestFiles(NAME),
          ...TEAM_BILLING_TEST_FILES,
        ]);
      },
      PYTEST_TIMEOUT_MS,
    );
  }

  it(
    "passes check --deploy at warning level with .env.example filled in",
    async () => {
      const [a] = projects();
      const database = required(db, "No throwaway database (see the beforeAll failure).");
      const result = await manage(a.dir)(
        ["check", "--deploy", "--fail-level", "WARNING"],
        productionEnv(a.dir, NAME, database),
      );
      expectSuccess(result);
      expect(result.stdout).toContain(NO_ISSUES);
    },
    COMMAND_TIMEOUT_MS,
  );

  it(
    "is clean for ruff check and ruff format",
    async () => {
      const [a] = projects();
      expectSuccess(await run(a.dir, "ruff", ["check", "."]));
      expectSuccess(await run(a.dir, "ruff", ["format", "--check", "."]));
    },
    2 * COMMAND_TIMEOUT_MS,
  );
});
