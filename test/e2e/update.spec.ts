import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDotenv } from "./support/dotenv";
import { removeDir, snapshot, tempDir } from "./support/files";
import { baseEnv, describeRun, expectSuccess, GIT_IDENTITY, run, runBin, RunResult } from "./support/process";
import { ensureProjectEnv, PythonEnv } from "./support/python-env";
import { runRelease010 } from "./support/release-0.1.0";
import { NO_ISSUES, expectCheckAndMigrations } from "./support/project-checks";

const NAME = "myapp";
const SETUP_TIMEOUT_MS = 25 * 60_000;
const COMMAND_TIMEOUT_MS = 120_000;
const VERSION = (
  JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as { version: string }
).version;

/** The owner's changes of a 0.1.0 project, none on lines 0.2.0 changes. */
const OWNER_SETTING = '\n# The owner\'s own setting.\nOWNER_GREETING = "hello"\n';
const OWNER_META = '    <meta charset="utf-8">\n    <meta name="author" content="The Owner">\n';
const OWNER_DEPENDENCY = '    "sqlparse>=0.5",\n';
const OWNER_FILE = "NOTES.md";
/** Deleted by the owner; 0.2.0 changes it. */
const DELETED = "docker-compose.yml";

function git(dir: string, args: readonly string[]): Promise<RunResult> {
  return run("git", args, { cwd: dir, env: baseEnv(GIT_IDENTITY), timeoutMs: 60_000 });
}

function edit(dir: string, path: string, change: (text: string) => string): void {
  const file = join(dir, path);
  const before = readFileSync(file, "utf8");
  const after = change(before);
  expect(after).withContext(`the owner's edit of ${path} applies`).not.toBe(before);
  writeFileSync(file, after);
}

/** A 0.1.0 project (made by the released 0.1.0, with `add auth` when asked), committed, then changed by its owner and committed. */
async function ownerModified010(root: string, auth: boolean): Promise<string> {
  const dir = join(root, NAME);
  expectSuccess(await runRelease010(["init", NAME, "--directory", dir], root));
  if (auth) {
    expectSuccess(await runRelease010(["add", "auth"], dir));
    expectSuccess(await git(dir, ["add", "-A"]));
    expectSuccess(await git(dir, ["commit", "-qm", "add auth (QuickScale 0.1.0)"]));
  }
  edit(dir, `${NAME}/settings/base.py`, (text) => text + OWNER_SETTING);
  edit(dir, "templates/base.html", (text) => text.replace('    <meta charset="utf-8">\n', OWNER_META));
  edit(dir, "pyproject.toml", (text) =>
    text.replace('    "whitenoise>=6.12,<7.0",\n', `    "whitenoise>=6.12,<7.0",\n${OWNER_DEPENDENCY}`),
  );
  writeFileSync(join(dir, OWNER_FILE), "# Notes\n\nOurs, not QuickScale's.\n");
  rmSync(join(dir, DELETED));
  expectSuccess(await git(dir, ["add", "-A"]));
  expectSuccess(await git(dir, ["commit", "-qm", "the owner's changes"]));
  return dir;
}

interface Database {
  url: string;
  drop(): Promise<void>;
}

async function createDatabase(): Promise<Database> {
  const name = `h_update_${process.pid}_${randomBytes(4).toString("hex")}`;
  const pg = (command: string, args: string[]) =>
    run(command, ["-h", "127.0.0.1", "-U", "postgres", ...args], {
      cwd: "/",
      env: baseEnv(),
      timeoutMs: 60_000,
    });
  expectSuccess(await pg("createdb", [name]));
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    drop: async () => {
      await pg("dropdb", ["--if-exists", `test_${name}`]);
      await pg("dropdb", ["--if-exists", name]);
    },
  };
}

for (const auth of [false, true]) {
  describe(`quickscale update of a real 0.1.0 project ${auth ? "with" : "without"} auth, changed by its owner`, () => {
    let root = "";
    let dir = "";
    let update: RunResult;
    let second: RunResult;
    let python: PythonEnv;
    let db: Database | undefined;
    const database = (): Database => {
      if (db === undefined) {
        throw new Error("No database (see the beforeAll failure).");
      }
      return db;
    };
    const manage = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      python.run("python", ["manage.py", ...args], { cwd: dir, env, timeoutMs: COMMAND_TIMEOUT_MS });

    beforeAll(async () => {
      root = tempDir("h-update");
      dir = await ownerModified010(root, auth);
      update = await runBin(["update"], dir, GIT_IDENTITY);
      expectSuccess(await git(dir, ["add", "-A"]));
      expectSuccess(await git(dir, ["commit", "-qm", "update to QuickScale 0.2.0"]));
      second = await runBin(["update"], dir, GIT_IDENTITY);
      python = await ensureProjectEnv(dir);
      db = await createDatabase();
    }, SETUP_TIMEOUT_MS);

    afterAll(async () => {
      await db?.drop();
      removeDir(root);
    });

    it("merges the release with every owner edit kept, and records the new version", () => {
      expectSuccess(update);
      expect(update.stdout).toContain(`MERGE ${NAME}/settings/base.py`);
      expect(update.stdout).toContain("MERGE templates/base.html");
      expect(update.stdout).toContain("MERGE pyproject.toml");
      expect(update.stdout).toContain("CREATE gunicorn.conf.py");
      const base = readFileSync(join(dir, `${NAME}/settings/base.py`), "utf8");
      expect(base).toContain(OWNER_SETTING);
      expect(base).toContain("TEST_RUNNER ="); // 0.2.0's
      const html = readFileSync(join(dir, "templates/base.html"), "utf8");
      expect(html).toContain(OWNER_META);
      expect(html).toContain('class="site-header"'); // 0.2.0's
      const pyproject = readFileSync(join(dir, "pyproject.toml"), "utf8");
      expect(pyproject).toContain(OWNER_DEPENDENCY);
      expect(pyproject).toContain('"django-htmx>=');
      expect(pyproject).not.toContain("--cov=");
      expect(readFileSync(join(dir, OWNER_FILE), "utf8")).toContain("Ours");
      const manifest = JSON.parse(readFileSync(join(dir, ".quickscale.json"), "utf8")) as {
        quickscale: string;
        concerns: Record<string, string>;
      };
      expect(manifest.quickscale).toBe(VERSION);
      expect(Object.values(manifest.concerns).every((version) => version === VERSION)).toBeTrue();
      expect(Object.keys(manifest.concerns).includes("auth")).toBe(auth);
    });

    it("leaves the file the owner deleted deleted, and says so", () => {
      expect(existsSync(join(dir, DELETED))).toBeFalse();
      expect(update.stdout).toContain(`KEEP-DELETED ${DELETED}`);
    });

    it("changes nothing on a second update", async () => {
      expectSuccess(second);
      expect(second.stdout).toContain("Nothing to do");
      expect((await git(dir, ["status", "--porcelain"])).stdout).toBe("");
      const check = await runBin(["update", "--check"], dir);
      expect(check.code).withContext(describeRun(check)).toBe(0);
    });

    it(
      "passes check, makemigrations --check, and ruff",
      async () => {
        await expectCheckAndMigrations(manage);
        expectSuccess(await python.run("ruff", ["check", "."], { cwd: dir }));
        expectSuccess(await python.run("ruff", ["format", "--check", "."], { cwd: dir }));
      },
      COMMAND_TIMEOUT_MS * 4,
    );

    it(
      "migrates on PostgreSQL and passes its tests on SQLite and PostgreSQL",
      async () => {
        const migrate = await manage(["migrate", "--noinput"], { DATABASE_URL: database().url });
        expectSuccess(migrate);
        expect(migrate.stdout).toMatch(/Applying users\.0001_initial\.\.\. OK/);
        for (const env of [{}, { DATABASE_URL: database().url }]) {
          const tests = await python.run("pytest", ["--cov"], {
            cwd: dir,
            env,
            timeoutMs: COMMAND_TIMEOUT_MS * 2,
          });
          expectSuccess(tests);
          expect(tests.stdout).not.toMatch(/\b\d+ (failed|errors?)\b/);
        }
      },
      COMMAND_TIMEOUT_MS * 6,
    );

    it(
      "passes check --deploy with production settings",
      async () => {
        const env = {
          ...Object.fromEntries(parseDotenv(readFileSync(join(dir, ".env.example"), "utf8"))),
          SECRET_KEY: randomBytes(48).toString("base64url"),
          DATABASE_URL: database().url,
          REDIS_URL: "redis://127.0.0.1:6379/0",
          DJANGO_SETTINGS_MODULE: `${NAME}.settings.production`,
        };
        const check = await manage(["check", "--deploy", "--fail-level", "WARNING"], env);
        expectSuccess(check);
        expect(check.stdout).toContain(NO_ISSUES);
      },
      COMMAND_TIMEOUT_MS,
    );
  });
}

describe("quickscale update of a 0.1.0 project, edge cases", () => {
  let root = "";
  beforeEach(() => {
    root = tempDir("h-update-edge");
  });
  afterEach(() => {
    removeDir(root);
  });

  async function plain010(skipGit = false): Promise<string> {
    const dir = join(root, NAME);
    expectSuccess(
      await runRelease010(["init", NAME, "--directory", dir, ...(skipGit ? ["--skip-git"] : [])], root),
    );
    return dir;
  }

  it(
    "marks an edit on the lines the release changes as a conflict, lists it, exits 1, and does the rest",
    async () => {
      const dir = await plain010();
      edit(dir, "templates/base.html", (text) => text.replace("<title>", "<title>Owner | "));
      expectSuccess(await git(dir, ["commit", "-qam", "owner title"]));
      const result = await runBin(["update"], dir, GIT_IDENTITY);
      expect(result.code).withContext(describeRun(result)).toBe(1);
      expect(result.stderr).toMatch(
        /1 file changed by you and by the release on the same lines:\n {2}templates\/base\.html\n/,
      );
      expect(result.stderr).toContain("resolve the blocks between <<<<<<< and >>>>>>>");
      const html = readFileSync(join(dir, "templates/base.html"), "utf8");
      expect(html).toMatch(/^<<<<<<< templates\/base\.html \(yours\)\n.*<title>Owner \| /ms);
      expect(html).toMatch(/^=======\n/m);
      expect(html).toMatch(/^>>>>>>> templates\/base\.html \(QuickScale \d+\.\d+\.\d+\)$/m);
      // Everything else is done: the new files, the manifest.
      expect(existsSync(join(dir, "gunicorn.conf.py"))).toBeTrue();
      expect(readFileSync(join(dir, ".quickscale.json"), "utf8")).toContain(`"quickscale": "${VERSION}"`);
      expect(existsSync(join(dir, ".quickscale-journal"))).toBeFalse();
    },
    COMMAND_TIMEOUT_MS * 2,
  );

  it(
    "--check exits 1 with a line per concern; --dry-run shows diffs and writes nothing; a dirty tree is refused",
    async () => {
      const dir = await plain010();
      const check = await runBin(["update", "--check"], dir);
      expect(check.code).withContext(describeRun(check)).toBe(1);
      const lines = check.stdout.trim().split("\n");
      expect(lines.length).toBe(9);
      expect(lines).toContain(
        jasmine.stringMatching(new RegExp(`^settings: 0\\.1\\.0 -> ${VERSION} \\(\\d+ files`)),
      );
      const before = snapshot(dir);
      const dry = await runBin(["update", "--dry-run"], dir);
      expectSuccess(dry);
      expect(dry.stdout).toContain("--- pyproject.toml\n+++ pyproject.toml\n");
      expect(dry.stdout).toContain("nothing was written");
      expect(snapshot(dir)).toEqual(before);
      writeFileSync(join(dir, "README.md"), "dirty\n");
      const dirty = await runBin(["update"], dir);
      expect(dirty.code).toBe(1);
      expect(dirty.stderr).toContain("uncommitted changes");
      expect(readFileSync(join(dir, ".quickscale.json"), "utf8")).toContain('"quickscale": "0.1.0"');
    },
    COMMAND_TIMEOUT_MS * 2,
  );

  it(
    "without git history replaces unchanged files, reports changed ones, and says so",
    async () => {
      const dir = await plain010(true);
      edit(dir, "templates/base.html", (text) => text.replace('    <meta charset="utf-8">\n', OWNER_META));
      const result = await runBin(["update"], dir);
      expectSuccess(result);
      expect(result.stdout).toContain("KEEP templates/base.html: you changed it, and without git history");
      expect(result.stdout).toContain("the project has no git history");
      expect(result.stdout).toContain("UPDATE Dockerfile");
      expect(readFileSync(join(dir, "templates/base.html"), "utf8")).not.toContain("site-header");
      // The migration still brings 0.2.0's pytest options to a pyproject.toml it could replace.
      expect(readFileSync(join(dir, "pyproject.toml"), "utf8")).not.toContain("--cov=");
    },
    COMMAND_TIMEOUT_MS * 2,
  );

  it(
    "refuses a manifest recording a path outside the project, writing nothing",
    async () => {
      const dir = await plain010();
      edit(dir, ".quickscale.json", (text) =>
        text.replace('"files": {', '"files": {\n    "../outside.txt": "sha256-00",'),
      );
      expectSuccess(await git(dir, ["commit", "-qam", "hostile"]));
      const before = snapshot(dir);
      const result = await runBin(["update"], dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('records the file "../outside.txt"');
      expect(snapshot(dir)).toEqual(before);
      expect(existsSync(join(root, "outside.txt"))).toBeFalse();
    },
    COMMAND_TIMEOUT_MS,
  );
});
