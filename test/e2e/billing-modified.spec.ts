import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BILLING_TEST_FILES, BillingProject, generateWithBilling } from "./support/billing-project";
import { expectPassingSuite } from "./support/project-checks";
import { removeDir } from "./support/files";
import { describeRun, expectSuccess, required } from "./support/process";
import { ensureProjectEnv, PythonEnv } from "./support/python-env";
import {
  baseSettingsPath,
  EXTRA_APPS_AND_MIDDLEWARE,
  OWN_LOGIN_URLS,
  REORDERED_AND_COMMENTED,
  SPLIT_INSTALLED_APPS,
  URLS_SPLIT_INTO_INCLUDES,
  UserEdits,
} from "./support/user-modified-projects";

const NAME = "myapp";
const BASE = baseSettingsPath(NAME);
const SETUP_TIMEOUT_MS = 20 * 60_000;
const COMMAND_TIMEOUT_MS = 60_000;
const PYTEST_TIMEOUT_MS = 5 * 60_000;

/** The comment lines of `text`, trimmed, in order. */
function commentsOf(text: string): string[] {
  return text
    .split("\n")
    .map((line) => /#.*$/.exec(line)?.[0].trim() ?? "")
    .filter((comment) => comment !== "");
}

/** A way the user changed the project, and where billing's app must then be. */
interface Fixture {
  edits: UserEdits;
  /** A line of base.py, and the line that must follow it once billing is added. */
  appAfter: [string, string];
}

const FIXTURES: readonly Fixture[] = [
  { edits: REORDERED_AND_COMMENTED, appAfter: [`    "${NAME}.users",`, `    "${NAME}.billing",`] },
  { edits: EXTRA_APPS_AND_MIDDLEWARE, appAfter: [`    "${NAME}.users",`, `    "${NAME}.billing",`] },
  { edits: URLS_SPLIT_INTO_INCLUDES, appAfter: [`    "${NAME}.users",`, `    "${NAME}.billing",`] },
  { edits: OWN_LOGIN_URLS, appAfter: [`    "${NAME}.users",`, `    "${NAME}.billing",`] },
  // The project's own app goes into LOCAL_APPS.
  { edits: SPLIT_INSTALLED_APPS, appAfter: [`    "${NAME}.users",`, `    "${NAME}.billing",`] },
];

/**
 * `quickscale add auth` then `add billing` on projects a user changed first (settings
 * reordered and commented, extra apps, URLs split into includes, their own sign-in URLs,
 * INSTALLED_APPS split in three): billing keeps their code and comments, has nothing to do
 * the second time, and the project passes check, its own tests with billing's, and ruff.
 */
describe("quickscale add billing, on projects a user has changed", () => {
  for (const fixture of FIXTURES) {
    describe(`with ${fixture.edits.title}`, () => {
      let project: BillingProject | undefined;
      let py: PythonEnv | undefined;
      let originalBase = "";

      beforeAll(async () => {
        project = await generateWithBilling("billing-modified", NAME, (dir) => {
          fixture.edits.apply(dir, NAME);
          originalBase = readFileSync(join(dir, BASE), "utf8");
        });
        py = await ensureProjectEnv(project.dir);
      }, SETUP_TIMEOUT_MS);

      afterAll(() => {
        if (project !== undefined) {
          removeDir(project.root);
        }
      });

      const current = (): BillingProject =>
        required(project, "The fixture project was not created (see the beforeAll failure).");
      const run = (command: string, args: readonly string[], timeoutMs = COMMAND_TIMEOUT_MS) =>
        required(py, "No venv (see the beforeAll failure).").run(command, args, {
          cwd: current().dir,
          timeoutMs,
        });

      it("adds billing, keeping the user's comments and putting the app in its place", () => {
        const base = readFileSync(join(current().dir, BASE), "utf8");
        const kept = commentsOf(base);
        expect(commentsOf(originalBase).filter((comment) => !kept.includes(comment))).toEqual([]);
        const [anchor, next] = fixture.appAfter;
        expect(base).toContain(`${anchor}\n${next}\n`);
        expect(base.split(next).length - 1).toBe(1);
        expect(base).toContain("\nBILLING_PLANS = [\n");
      });

      it("has nothing to do the second time", () => {
        expectSuccess(current().again);
        expect(current().again.stdout).toBe("Nothing to do: billing is up to date.\n");
      });

      it(
        "passes check, makemigrations --check, its own tests with billing's, and ruff",
        async () => {
          const check = await run("python", ["manage.py", "check"]);
          expectSuccess(check);
          const migrations = await run("python", ["manage.py", "makemigrations", "--check", "--dry-run"]);
          expect(migrations.code).withContext(describeRun(migrations)).toBe(0);
          expectPassingSuite(
            await run("pytest", ["-v", "--cov"], PYTEST_TIMEOUT_MS),
            current().dir,
            BILLING_TEST_FILES,
          );
          expectSuccess(await run("ruff", ["check", "."]));
          expectSuccess(await run("ruff", ["format", "--check", "."]));
        },
        PYTEST_TIMEOUT_MS + 4 * COMMAND_TIMEOUT_MS,
      );
    });
  }
});
