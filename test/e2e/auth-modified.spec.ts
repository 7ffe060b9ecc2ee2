import { readFileSync } from "node:fs";
import { join } from "node:path";
import { applyPatch, createTwoFilesPatch } from "diff";
import { AUTH_DEPENDENCY } from "../../schematics/auth/edits";
import { parseDotenv } from "./support/dotenv";
import { parseChangeReport } from "./support/dry-run-report";
import { removeDir, snapshot, tempDir } from "./support/files";
import { createThrowawayDatabase, ThrowawayDatabase } from "./support/postgres";
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
import { randomSecretKey } from "./support/production-env";
import {
  expectPassingSuite,
  itHasEveryModelChangeInItsMigrations,
  NO_ISSUES,
} from "./support/project-checks";
import { ensureVenv, projectRequirements, PythonEnv } from "./support/python-env";
import {
  baseSettingsPath,
  EXTRA_APPS_AND_MIDDLEWARE,
  INSTALLED_APPS_ASSIGNED_TWICE,
  INSTALLED_APPS_FROM_A_FUNCTION,
  OWN_LOGIN_URLS,
  SPLIT_INSTALLED_APPS,
  REORDERED_AND_COMMENTED,
  UneditableSettings,
  URLS_SPLIT_INTO_INCLUDES,
  UserEdits,
} from "./support/user-modified-projects";

const NAME = "myapp";
const BASE = baseSettingsPath(NAME);
const URLS = `${NAME}/urls.py`;
/** Generating, and the shared venv to build on a first run (pip downloads). */
const SETUP_TIMEOUT_MS = 20 * 60_000;
const COMMAND_TIMEOUT_MS = 60_000;
const PYTEST_TIMEOUT_MS = 3 * 60_000;
const NOTHING_TO_DO = "Nothing to do: auth is up to date.\n";

/** The project's own test files of the auth module. */
const AUTH_TEST_FILES = [
  "tests/test_auth.py",
  "tests/test_auth_settings.py",
  `${NAME}/users/tests/test_views.py`,
];

/**
 * The venv of the project at `dir` once auth is added: its requirements plus
 * django-allauth. Every fixture, before and after the module, runs in this one venv (the
 * one auth.spec's project uses too): allauth installed but not yet configured is harmless
 * to the checks of the unmodified project.
 */
async function authEnv(dir: string): Promise<PythonEnv> {
  const requirements = new Set(projectRequirements(readFileSync(join(dir, "pyproject.toml"), "utf8")));
  requirements.add(AUTH_DEPENDENCY);
  return ensureVenv([...requirements].sort());
}

/** The comment lines of `text`, trimmed, in order. */
function commentsOf(text: string): string[] {
  return text
    .split("\n")
    .map((line) => /#.*$/.exec(line)?.[0].trim() ?? "")
    .filter((comment) => comment !== "");
}

/** How many times `needle` occurs in `text`. */
function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** The text of the top-level statement of `text` that starts with `start`, through its closing `]`. */
function statementOf(text: string, start: string): string {
  const from = text.indexOf(`\n${start}`);
  const to = from === -1 ? -1 : text.indexOf("\n]", from + 1);
  return from === -1 || to === -1 ? "" : text.slice(from + 1, to + 2);
}

/** A project generated with git, changed by the user and committed, in a temp folder of its own. */
class UserProject {
  readonly root: string;
  readonly dir: string;
  py: PythonEnv | undefined;

  constructor(label: string) {
    this.root = tempDir(label);
    this.dir = join(this.root, NAME);
  }

  /** `quickscale init` (with its first commit), then `edits`, committed as the user would. */
  async create(edits: UserEdits): Promise<void> {
    const generated = await runBin(["init", NAME, "--directory", this.dir], this.root, GIT_IDENTITY);
    if (generated.code !== 0) {
      throw new Error(`Generating the project failed:\n${describeRun(generated)}`);
    }
    edits.apply(this.dir, NAME);
    await this.commitAll(`User edits: ${edits.title}`);
    this.py = await authEnv(this.dir);
  }

  env(): PythonEnv {
    if (this.py === undefined) {
      throw new Error("The project was not set up (see the beforeAll failure).");
    }
    return this.py;
  }

  read(relative: string): string {
    return readFileSync(join(this.dir, relative), "utf8");
  }

  /** Everything in the project but git's own folder (its index changes with every status). */
  state(): string[] {
    return snapshot(this.dir).filter((line) => !line.startsWith(".git/") && line !== ".git");
  }

  git(...args: string[]): Promise<RunResult> {
    return run("git", args, { cwd: this.dir, env: baseEnv(GIT_IDENTITY), timeoutMs: COMMAND_TIMEOUT_MS });
  }

  async commitAll(message: string): Promise<void> {
    for (const args of [
      ["add", "-A"],
      ["commit", "-qm", message],
    ]) {
      const result = await this.git(...args);
      if (result.code !== 0) {
        throw new Error(`git ${args[0] ?? ""} failed:\n${describeRun(result)}`);
      }
    }
  }

  addAuth(...flags: string[]): Promise<RunResult> {
    return runBin(["add", "auth", ...flags], this.dir, GIT_IDENTITY);
  }

  manage(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    return this.env().run("python", ["manage.py", ...args], {
      cwd: this.dir,
      env,
      timeoutMs: COMMAND_TIMEOUT_MS,
    });
  }

  ruff(args: readonly string[]): Promise<RunResult> {
    return this.env().run("ruff", args, { cwd: this.dir, timeoutMs: COMMAND_TIMEOUT_MS });
  }

  /** pytest -v, in the project. */
  pytest(): Promise<RunResult> {
    return this.env().run("pytest", ["-v", "--cov"], { cwd: this.dir, timeoutMs: PYTEST_TIMEOUT_MS });
  }

  /** `manage.py check`, the project's own tests, `ruff check .` and `ruff format --check .`. */
  async validity(): Promise<Validity> {
    return {
      check: await this.manage(["check"]),
      pytest: await this.pytest(),
      ruffCheck: await this.ruff(["check", "."]),
      ruffFormat: await this.ruff(["format", "--check", "."]),
    };
  }

  remove(): void {
    removeDir(this.root);
  }
}

/** What {@link UserProject.validity} ran. */
interface Validity {
  check: RunResult;
  pytest: RunResult;
  ruffCheck: RunResult;
  ruffFormat: RunResult;
}

/** A valid Django project whose own tests pass, clean under ruff. */
function expectValidProject(validity: Validity | undefined, dir: string): void {
  if (validity === undefined) {
    throw new Error("The project was not checked (see the beforeAll failure).");
  }
  expectSuccess(validity.check);
  expect(validity.check.stdout).toContain(NO_ISSUES);
  expectPassingSuite(validity.pytest, dir, []);
  expectSuccess(validity.ruffCheck);
  expectSuccess(validity.ruffFormat);
}

/** A fixture of the user's changes, with what must hold of the project once auth is added. */
interface ModifiedFixture {
  edits: UserEdits;
  /** Files the user wrote or changed, whose comments must all survive. */
  userFiles: readonly string[];
  /** `read` gives a project file after `add auth`, `before` the same file before it. */
  expectKept(read: (relative: string) => string, before: (relative: string) => string): void;
}

const FIXTURES: readonly ModifiedFixture[] = [
  {
    edits: REORDERED_AND_COMMENTED,
    userFiles: [BASE],
    expectKept: (read) => {
      const base = read(BASE);
      expect(base.indexOf("\nMIDDLEWARE = ["))
        .withContext("MIDDLEWARE stays above INSTALLED_APPS")
        .toBeLessThan(base.indexOf("\nINSTALLED_APPS = ["));
      // After the anchor entry and its trailing comment, before the comment of the next group.
      expect(base).toContain(
        [
          '    "django.contrib.staticfiles",  # collectstatic and {% static %}',
          '    "allauth",',
          '    "allauth.account",',
          "    # Third-party apps",
        ].join("\n"),
      );
      expect(base).toContain(
        [
          '    "django.contrib.auth.middleware.AuthenticationMiddleware",  # sets request.user',
          '    "allauth.account.middleware.AccountMiddleware",',
        ].join("\n"),
      );
      // The user's one-line list, grown past its line, is written one entry a line.
      expect(occurrences(base, "\nAUTHENTICATION_BACKENDS"))
        .withContext("AUTHENTICATION_BACKENDS assignments")
        .toBe(1);
      expect(statementOf(base, "AUTHENTICATION_BACKENDS = [")).toBe(
        [
          "AUTHENTICATION_BACKENDS = [",
          '    "django.contrib.auth.backends.ModelBackend",',
          '    "allauth.account.auth_backends.AuthenticationBackend",',
          "]",
        ].join("\n"),
      );
    },
  },
  {
    edits: EXTRA_APPS_AND_MIDDLEWARE,
    userFiles: [BASE],
    expectKept: (read) => {
      const base = read(BASE);
      const main = statementOf(base, "INSTALLED_APPS = [");
      expect(main).withContext("the main INSTALLED_APPS list").toContain('    "django.contrib.humanize",\n');
      expect(main).toContain('    "django.contrib.staticfiles",\n    "allauth",\n    "allauth.account",\n');
      expect(base).toContain('\nINSTALLED_APPS += ["django.contrib.sitemaps"]\n');
      expect(occurrences(base, '"allauth"')).withContext('"allauth" entries').toBe(1);
      const middleware = statementOf(base, "MIDDLEWARE = [");
      const order = [
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.http.ConditionalGetMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "allauth.account.middleware.AccountMiddleware",
      ].map((entry) => middleware.indexOf(`"${entry}"`));
      expect(order.every((index, i) => index > 0 && (i === 0 || index > (order[i - 1] ?? 0))))
        .withContext(`MIDDLEWARE in order:\n${middleware}`)
        .toBeTrue();
    },
  },
  {
    edits: URLS_SPLIT_INTO_INCLUDES,
    userFiles: [URLS, `${NAME}/pages/urls.py`],
    expectKept: (read, before) => {
      expect(read(`${NAME}/pages/urls.py`)).toBe(before(`${NAME}/pages/urls.py`));
      const urls = read(URLS);
      const patterns = statementOf(urls, "urlpatterns = [");
      for (const pattern of [
        "path(settings.ADMIN_URL, admin.site.urls)",
        `path("", include("${NAME}.pages.urls"))`,
        'path("accounts/profile/", profile, name="profile")',
        'path("accounts/", include("allauth.urls"))',
      ]) {
        expect(patterns).withContext(`urlpatterns of ${URLS}`).toContain(`    ${pattern},\n`);
      }
      expect(occurrences(urls, "import include")).withContext("imports of include").toBe(1);
    },
  },
  {
    edits: OWN_LOGIN_URLS,
    userFiles: [BASE],
    expectKept: (read) => {
      const base = read(BASE);
      expect(occurrences(base, "\nLOGIN_URL =")).withContext("LOGIN_URL assignments").toBe(1);
      expect(base).toContain('\nLOGIN_URL = "/signin/"\nLOGIN_REDIRECT_URL = "index"\n');
      expect(occurrences(base, "\nLOGIN_REDIRECT_URL =")).toBe(1);
    },
  },
  {
    edits: SPLIT_INSTALLED_APPS,
    userFiles: [BASE],
    expectKept: (read) => {
      const base = read(BASE);
      // allauth's apps are third-party: last in THIRD_PARTY_APPS, in no other list.
      expect(statementOf(base, "THIRD_PARTY_APPS = [")).toMatch(
        /\n {4}"django_htmx",\n {4}"allauth",\n {4}"allauth.account",\n\]$/,
      );
      expect(occurrences(base, '"allauth"')).withContext('"allauth" entries').toBe(1);
      expect(base).toContain("\nINSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS\n");
    },
  },
];

/**
 * `quickscale add auth` on projects their user has already changed: settings reordered and
 * commented, extra apps and middleware (with an `INSTALLED_APPS +=` extension), URLs split
 * into includes. Each fixture is a valid, ruff-clean project before the module runs; after
 * it, the project passes what `init` proves (checks, the deployment checklist with
 * production settings, migrations on PostgreSQL, its own tests with the auth tests and its
 * coverage threshold, ruff), a second run has nothing to do, and `--dry-run` wrote nothing
 * and showed exactly the diffs the real run applied. Settings the module cannot edit
 * safely are refused with the file and line, and the project is left as it was.
 */
describe("quickscale add auth, on projects a user has changed", () => {
  for (const fixture of FIXTURES) {
    describe(`with ${fixture.edits.title}`, () => {
      let project: UserProject | undefined;
      let db: ThrowawayDatabase | undefined;
      let before: Validity | undefined;
      let stateBeforeDryRun: string[] = [];
      let stateAfterDryRun: string[] = [];
      let dryRun: RunResult | undefined;
      let added: RunResult | undefined;
      /** The files the dry run reported as updated, as they were before the module ran. */
      let originals = new Map<string, string>();

      beforeAll(async () => {
        project = new UserProject("auth-modified");
        await project.create(fixture.edits);
        before = await project.validity();
        for (const file of fixture.userFiles) {
          originals.set(file, project.read(file));
        }
        stateBeforeDryRun = project.state();
        dryRun = await project.addAuth("--dry-run");
        stateAfterDryRun = project.state();
        for (const file of parseChangeReport(dryRun.stdout).updates.keys()) {
          originals.set(file, project.read(file));
        }
        added = await project.addAuth();
        if (added.code === 0) {
          await project.commitAll("Add auth");
        }
        db = await createThrowawayDatabase();
      }, SETUP_TIMEOUT_MS);

      afterAll(async () => {
        await db?.drop();
        project?.remove();
        originals = new Map();
      }, COMMAND_TIMEOUT_MS);

      const current = (): UserProject =>
        required(project, "The fixture project was not created (see the beforeAll failure).");
      /** The project with auth added; fails the spec when `add auth` did not succeed. */
      const withAuth = (): UserProject => {
        if (added?.code !== 0) {
          throw new Error(
            `quickscale add auth did not succeed:\n${added === undefined ? "(not run)" : describeRun(added)}`,
          );
        }
        return current();
      };
      const database = (): ThrowawayDatabase =>
        required(db, "The throwaway PostgreSQL database was not created (see the beforeAll failure).");
      const original = (relative: string): string => {
        const text = originals.get(relative);
        if (text === undefined) {
          throw new Error(`${relative} was not read before the module ran`);
        }
        return text;
      };

      it("is a valid Django project before the module runs: check, its own tests, ruff", () => {
        expectValidProject(before, current().dir);
      });

      it("writes nothing with --dry-run, and shows the diff of every file it would update", () => {
        const dry = dryRun;
        if (dry === undefined) {
          throw new Error("The dry run did not run (see the beforeAll failure).");
        }
        expectSuccess(dry);
        expect(stateAfterDryRun).toEqual(stateBeforeDryRun);
        const report = parseChangeReport(dry.stdout);
        const total = /\nDry run: (\d+) files would change; nothing was written\.\n$/.exec(dry.stdout);
        expect(total?.[1])
          .withContext(describeRun(dry))
          .toBe(String(report.updates.size + report.creates.length));
        expect([...report.updates.keys()]).toContain(BASE);
        for (const [file, patch] of report.updates) {
          expect(patch)
            .withContext(`the diff of ${file}`)
            .toMatch(new RegExp(`^--- ${regexLiteral(file)}\n\\+\\+\\+ ${regexLiteral(file)}\n@@ `));
        }
        expect(report.updates.get(BASE)).toContain('\n+    "allauth",\n');
      });

      it("adds auth, reporting the changes the dry run showed", () => {
        const target = withAuth();
        const dry = parseChangeReport(dryRun?.stdout ?? "");
        const real = parseChangeReport(added?.stdout ?? "");
        expect(real.creates).toEqual(dry.creates);
        expect([...real.updates.keys()]).toEqual([...dry.updates.keys()]);
        // Exactly django-allauth was added to the dependencies (the venv the checks run in).
        expect(projectRequirements(target.read("pyproject.toml"))).toEqual(target.env().requirements);
        // Each diff of the dry run, applied to the file as it was, gives what the real run wrote.
        for (const [file, patch] of dry.updates) {
          const applied = applyPatch(original(file), patch);
          const written = target.read(file);
          const mismatch =
            applied === false
              ? "the diff does not apply"
              : createTwoFilesPatch("dry run", "real run", applied, written, "", "", { context: 1 });
          expect(applied === written)
            .withContext(
              `${file}: the dry run's diff applied to the original, against the real run:\n${mismatch}`,
            )
            .toBeTrue();
        }
      });

      it("keeps the user's code and comments, and puts each entry in its place", () => {
        const target = withAuth();
        const read = (relative: string): string => target.read(relative);
        for (const file of fixture.userFiles) {
          const kept = commentsOf(read(file));
          const lost = commentsOf(original(file)).filter((comment) => !kept.includes(comment));
          expect(lost).withContext(`comments of ${file} the module removed`).toEqual([]);
        }
        fixture.expectKept(read, original);
      });

      it(
        "passes manage.py check",
        async () => {
          const result = await withAuth().manage(["check"]);
          expectSuccess(result);
          expect(result.stdout).toContain(NO_ISSUES);
        },
        COMMAND_TIMEOUT_MS,
      );

      it(
        "passes check --deploy at warning level with production settings and .env.example filled in",
        async () => {
          const target = withAuth();
          const env = {
            ...Object.fromEntries(parseDotenv(target.read(".env.example"))),
            SECRET_KEY: randomSecretKey(),
            DATABASE_URL: database().url,
            REDIS_URL: "redis://127.0.0.1:6379/0",
            DJANGO_SETTINGS_MODULE: `${NAME}.settings.production`,
          };
          const check = await target.manage(["check", "--deploy", "--fail-level", "WARNING"], env);
          expectSuccess(check);
          expect(check.stdout).toContain(NO_ISSUES);
        },
        COMMAND_TIMEOUT_MS,
      );

      itHasEveryModelChangeInItsMigrations((args) => withAuth().manage(args), COMMAND_TIMEOUT_MS);

      it(
        "migrates on PostgreSQL, allauth's tables included",
        async () => {
          const result = await withAuth().manage(["migrate", "--noinput"], { DATABASE_URL: database().url });
          expectSuccess(result);
          expect(result.stdout).toMatch(/Applying users\.0001_initial\.\.\. OK/);
          expect(result.stdout).toMatch(/Applying account\.0001_initial\.\.\. OK/);
        },
        COMMAND_TIMEOUT_MS,
      );

      it(
        "passes its own tests, the auth tests included, with its coverage threshold met",
        async () => {
          const target = withAuth();
          expectPassingSuite(await target.pytest(), target.dir, AUTH_TEST_FILES);
        },
        PYTEST_TIMEOUT_MS,
      );

      it(
        "is clean under ruff check and ruff format --check",
        async () => {
          const target = withAuth();
          expectSuccess(await target.ruff(["check", "."]));
          expectSuccess(await target.ruff(["format", "--check", "."]));
        },
        COMMAND_TIMEOUT_MS,
      );

      it(
        "has nothing to do the second time",
        async () => {
          const target = withAuth();
          const state = target.state();
          const again = await target.addAuth();
          expectSuccess(again);
          expect(again.stdout).toBe(NOTHING_TO_DO);
          expect(target.state()).toEqual(state);
          const status = await target.git("status", "--porcelain");
          expect(status.stdout).withContext("git status after the second run").toBe("");
        },
        COMMAND_TIMEOUT_MS,
      );
    });
  }

  describe("on settings it cannot edit safely", () => {
    const refusals: readonly { edits: UneditableSettings; found: RegExp }[] = [
      { edits: INSTALLED_APPS_FROM_A_FUNCTION, found: /get_installed_apps/ },
      { edits: INSTALLED_APPS_ASSIGNED_TWICE, found: /second assignment/ },
    ];
    for (const { edits, found } of refusals) {
      describe(`(${edits.title})`, () => {
        let project: UserProject | undefined;
        let before: Validity | undefined;

        beforeAll(async () => {
          project = new UserProject("auth-refused");
          await project.create(edits);
          before = await project.validity();
        }, SETUP_TIMEOUT_MS);

        afterAll(() => {
          project?.remove();
        });

        const current = (): UserProject =>
          required(project, "The fixture project was not created (see the beforeAll failure).");

        it("is a valid Django project before the module runs: check, its own tests, ruff", () => {
          expectValidProject(before, current().dir);
        });

        for (const flags of [[], ["--dry-run"]]) {
          it(
            `stops${flags.length === 0 ? "" : ` with ${flags.join(" ")}`} with one line naming the file, line, what it expected and what it found, and writes nothing`,
            async () => {
              const target = current();
              const state = target.state();
              const refused = await target.addAuth(...flags);
              expect(refused.code).withContext(describeRun(refused)).toBe(1);
              expect(refused.stdout).withContext(describeRun(refused)).toBe("");
              const line = edits.line(target.dir, NAME);
              const message = new RegExp(
                `^error: ${regexLiteral(BASE)}:(\\d+): expected ([^\\n]+), found ([^\\n]+)\\n$`,
              ).exec(refused.stderr);
              expect(message)
                .withContext(`one refusal line on stderr:\n${describeRun(refused)}`)
                .not.toBeNull();
              if (message !== null) {
                expect(Number(message[1])).withContext(refused.stderr).toBe(line);
                expect(message[3]).withContext(refused.stderr).toMatch(found);
              }
              expect(target.state()).toEqual(state);
              const status = await target.git("status", "--porcelain");
              expect(status.stdout).withContext("git status after the refusal").toBe("");
            },
            COMMAND_TIMEOUT_MS,
          );
        }
      });
    }
  });
});

/** `text` as a literal in a regular expression. */
function regexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
