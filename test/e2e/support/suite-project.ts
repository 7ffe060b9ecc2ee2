import { removeDir } from "./files";
import { createThrowawayDatabase, ThrowawayDatabase } from "./postgres";
import { required, RunResult } from "./process";
import { PythonEnv } from "./python-env";

/** A project made for a suite: where it was made (removed after) and the project itself. */
interface MadeProject {
  root: string;
  dir: string;
}

/** What the specs of a suite read of its project, each failing clearly when setup did not make it. */
export interface SuiteProject<T> {
  project: () => T;
  venv: () => PythonEnv;
  database: () => ThrowawayDatabase;
  /** `python manage.py …` in the project, with its venv. */
  manage: (args: readonly string[], env?: NodeJS.ProcessEnv, timeoutMs?: number) => Promise<RunResult>;
}

/**
 * The setup the module suites share: one project made before their specs, with the venv its
 * dependencies need and a throwaway PostgreSQL database, both gone after them. Call it in a
 * `describe`; it registers that suite's `beforeAll` and `afterAll`.
 */
export function projectForSuite<T extends MadeProject>(options: {
  /** "generated with teams": says what is missing when the setup failed. */
  made: string;
  make: () => Promise<T>;
  venvOf: (project: T) => PythonEnv | Promise<PythonEnv>;
  setupTimeoutMs: number;
  commandTimeoutMs: number;
}): SuiteProject<T> {
  let project: T | undefined;
  let venv: PythonEnv | undefined;
  let db: ThrowawayDatabase | undefined;

  beforeAll(async () => {
    project = await options.make();
    venv = await options.venvOf(project);
    db = await createThrowawayDatabase();
  }, options.setupTimeoutMs);

  afterAll(async () => {
    await db?.drop();
    if (project !== undefined) {
      removeDir(project.root);
    }
  }, options.commandTimeoutMs);

  const suite: SuiteProject<T> = {
    project: () => required(project, `The project was not ${options.made} (see the beforeAll failure).`),
    venv: () => required(venv, "The venv was not built (see the beforeAll failure)."),
    database: () =>
      required(db, "The throwaway PostgreSQL database was not created (see the beforeAll failure)."),
    manage: (args, env = {}, timeoutMs = options.commandTimeoutMs) =>
      suite.venv().run("python", ["manage.py", ...args], { cwd: suite.project().dir, env, timeoutMs }),
  };
  return suite;
}
