import { join } from "node:path";
import { removeDir, snapshot, tempDir } from "./support/files";
import {
  baseEnv,
  describeRun,
  expectSuccess,
  GIT_IDENTITY,
  required,
  run,
  runBin,
  RunResult,
} from "./support/process";
import { ensureProjectEnv, PythonEnv } from "./support/python-env";
import { expectCheckAndMigrations, expectPassingSuite } from "./support/project-checks";
import { teamsTestFiles } from "./support/teams-project";
import {
  EXTRA_APPS_AND_MIDDLEWARE,
  REORDERED_AND_COMMENTED,
  SPLIT_INSTALLED_APPS,
  URLS_SPLIT_INTO_INCLUDES,
  UserEdits,
} from "./support/user-modified-projects";

const NAME = "myapp";
const SETUP_TIMEOUT_MS = 20 * 60_000;
const COMMAND_TIMEOUT_MS = 2 * 60_000;
const PYTEST_TIMEOUT_MS = 5 * 60_000;

/** The fixtures of auth-modified.spec whose projects the teams module edits too. */
const FIXTURES: readonly UserEdits[] = [
  REORDERED_AND_COMMENTED,
  EXTRA_APPS_AND_MIDDLEWARE,
  URLS_SPLIT_INTO_INCLUDES,
  SPLIT_INSTALLED_APPS,
];

/**
 * `quickscale add auth` then `quickscale add teams` on projects their user has changed
 * first (each edit committed, as each module's changes): the project passes its checks,
 * migrations, its own tests with the teams tests and ruff, and a second `add teams` has
 * nothing to do and leaves git clean.
 */
describe("quickscale add teams, on projects a user has changed", () => {
  for (const edits of FIXTURES) {
    describe(`with ${edits.title}`, () => {
      let root = "";
      let dir = "";
      let py: PythonEnv | undefined;
      let added: RunResult | undefined;

      const git = (...args: string[]): Promise<RunResult> =>
        run("git", args, { cwd: dir, env: baseEnv(GIT_IDENTITY), timeoutMs: COMMAND_TIMEOUT_MS });
      const commitAll = async (message: string): Promise<void> => {
        for (const args of [
          ["add", "-A"],
          ["commit", "-qm", message],
        ]) {
          const result = await git(...args);
          if (result.code !== 0) {
            throw new Error(`git ${args[0] ?? ""} failed:\n${describeRun(result)}`);
          }
        }
      };

      beforeAll(async () => {
        root = tempDir("teams-modified");
        dir = join(root, NAME);
        const generated = await runBin(["init", NAME, "--directory", dir], root, GIT_IDENTITY);
        if (generated.code !== 0) {
          throw new Error(`Generating the project failed:\n${describeRun(generated)}`);
        }
        edits.apply(dir, NAME);
        await commitAll(`User edits: ${edits.title}`);
        const auth = await runBin(["add", "auth"], dir, GIT_IDENTITY);
        if (auth.code !== 0) {
          throw new Error(`quickscale add auth failed:\n${describeRun(auth)}`);
        }
        await commitAll("Add auth");
        added = await runBin(["add", "teams"], dir, GIT_IDENTITY);
        if (added.code === 0) {
          await commitAll("Add teams");
        }
        py = await ensureProjectEnv(dir);
      }, SETUP_TIMEOUT_MS);

      afterAll(() => {
        removeDir(root);
      });

      /** The project's venv once `add teams` succeeded; fails the spec otherwise. */
      const withTeams = (): PythonEnv => {
        if (added?.code !== 0) {
          throw new Error(
            `quickscale add teams did not succeed:\n${added === undefined ? "(not run)" : describeRun(added)}`,
          );
        }
        return required(py, "The project's venv was not made (see the beforeAll failure).");
      };
      const manage = (args: readonly string[]): Promise<RunResult> =>
        withTeams().run("python", ["manage.py", ...args], { cwd: dir, timeoutMs: COMMAND_TIMEOUT_MS });

      it(
        "passes manage.py check and has every model change in its migrations",
        async () => {
          await expectCheckAndMigrations(manage);
        },
        2 * COMMAND_TIMEOUT_MS,
      );

      it(
        "passes its own tests, the teams tests included, with its coverage threshold met",
        async () => {
          const result = await withTeams().run("pytest", ["-v", "--cov"], {
            cwd: dir,
            timeoutMs: PYTEST_TIMEOUT_MS,
          });
          expectPassingSuite(result, dir, teamsTestFiles(NAME));
        },
        PYTEST_TIMEOUT_MS,
      );

      it(
        "is clean under ruff check and ruff format --check",
        async () => {
          const env = withTeams();
          expectSuccess(await env.run("ruff", ["check", "."], { cwd: dir, timeoutMs: COMMAND_TIMEOUT_MS }));
          expectSuccess(
            await env.run("ruff", ["format", "--check", "."], { cwd: dir, timeoutMs: COMMAND_TIMEOUT_MS }),
          );
        },
        2 * COMMAND_TIMEOUT_MS,
      );

      it(
        "has nothing to do the second time, and leaves git clean",
        async () => {
          withTeams();
          const state = snapshot(dir).filter((line) => !line.startsWith(".git"));
          const again = await runBin(["add", "teams"], dir, GIT_IDENTITY);
          expectSuccess(again);
          expect(again.stdout).toBe("Nothing to do: teams is up to date.\n");
          expect(snapshot(dir).filter((line) => !line.startsWith(".git"))).toEqual(state);
          expect((await git("status", "--porcelain")).stdout).toBe("");
        },
        COMMAND_TIMEOUT_MS,
      );
    });
  }
});
