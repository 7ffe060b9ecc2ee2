import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { parse } from "smol-toml";
import { AUTH_DEPENDENCY, ENV_VARIABLES, MFA } from "../../schematics/auth/edits";
import { BrowserSession, formAction, hiddenFields, PageResponse } from "./support/browser-session";
import { parseDotenv } from "./support/dotenv";
import { generateProjectWithAuth, isTable } from "./support/generated-project";
import { removeDir } from "./support/files";
import { describeRun, expectSuccess, required } from "./support/process";
import { ensureProjectEnv, PythonEnv } from "./support/python-env";
import { projectForSuite } from "./support/suite-project";
import { randomSecretKey } from "./support/production-env";
import {
  expectPassingSuite,
  itHasEveryModelChangeInItsMigrations,
  itPassesCheckDeploy,
  NO_ISSUES,
} from "./support/project-checks";
import { linksIn, readSentEmails } from "./support/sent-emails";
import { RunningServer, startGunicorn } from "./support/server";

const NAME = "myapp";
/** Generating, a cached venv to build on a first run (pip downloads), a database. */
const SETUP_TIMEOUT_MS = 20 * 60_000;
const COMMAND_TIMEOUT_MS = 60_000;
const PYTEST_TIMEOUT_MS = 5 * 60_000;
const SERVER_WAIT_MS = 30_000;

/** A project made by `quickscale init`, then `quickscale add auth` (with `flags`), with its venv. */
interface AuthProject {
  root: string;
  dir: string;
  py: PythonEnv;
}

async function generateWithAuth(
  label: string,
  flags: readonly string[],
  runs: readonly (readonly string[])[] = [flags],
): Promise<AuthProject> {
  const { root, dir } = await generateProjectWithAuth(label, NAME, runs);
  try {
    return { root, dir, py: await ensureProjectEnv(dir) };
  } catch (error) {
    removeDir(root);
    throw error;
  }
}

/** The project's own test files of the auth module (plus MFA's when `mfa`). */
function authTestFiles(mfa: boolean): string[] {
  const files = ["tests/test_auth.py", "tests/test_auth_settings.py", `${NAME}/users/tests/test_views.py`];
  return mfa ? [...files, ...MFA.files] : files;
}

/**
 * `quickscale add auth` on a freshly generated project, which then still passes what
 * `init` proves (checks, deployment checklist, migrations on PostgreSQL, its own tests on
 * SQLite and PostgreSQL with the coverage threshold, ruff), now with django-allauth; and a
 * visitor signs up, confirms the address from the email, signs in, sees a page that
 * requires it and signs out, over HTTP against gunicorn with production settings.
 */
describe("quickscale add auth, on a generated project run for real", () => {
  const suite = projectForSuite({
    made: "generated with auth",
    make: () => generateWithAuth("auth", []),
    venvOf: (project) => project.py,
    setupTimeoutMs: SETUP_TIMEOUT_MS,
    commandTimeoutMs: COMMAND_TIMEOUT_MS,
  });
  const { project: current, database, manage } = suite;
  const read = (relative: string): string => readFileSync(join(current().dir, relative), "utf8");

  /**
   * The variables of `.env.example` with their example values, except SECRET_KEY (a fresh
   * random key), DATABASE_URL (the throwaway database) and REDIS_URL (the local server).
   */
  const productionEnv = (): Record<string, string> => ({
    ...Object.fromEntries(parseDotenv(read(".env.example"))),
    SECRET_KEY: randomSecretKey(),
    DATABASE_URL: database().url,
    REDIS_URL: "redis://127.0.0.1:6379/0",
    DJANGO_SETTINGS_MODULE: `${NAME}.settings.production`,
  });

  describe("the project's files", () => {
    it("depend on django-allauth", () => {
      const doc = parse(read("pyproject.toml"));
      const projectTable = doc["project"];
      const dependencies = isTable(projectTable) ? projectTable["dependencies"] : undefined;
      expect(dependencies).toContain(AUTH_DEPENDENCY);
    });

    it("document every variable of the email settings in .env.example", () => {
      const documented = parseDotenv(read(".env.example"));
      for (const variable of ENV_VARIABLES.flatMap((section) => section.variables)) {
        expect(documented.get(variable.name)).withContext(variable.name).toBe(variable.value);
      }
    });

    it("describe authentication in the README, before the deployment notes", () => {
      const readme = read("README.md");
      const auth = readme.indexOf("\n## Authentication\n");
      expect(auth).withContext("an Authentication section").toBeGreaterThan(0);
      expect(auth).toBeLessThan(readme.indexOf("\n## Deployment\n"));
    });
  });

  describe("with local settings", () => {
    it(
      "passes manage.py check",
      async () => {
        const result = await manage(["check"]);
        expectSuccess(result);
        expect(result.stdout).toContain(NO_ISSUES);
      },
      COMMAND_TIMEOUT_MS,
    );

    itHasEveryModelChangeInItsMigrations((args) => manage(args), COMMAND_TIMEOUT_MS);
  });

  describe("on PostgreSQL", () => {
    it(
      "migrates, allauth's tables included",
      async () => {
        const result = await manage(["migrate", "--noinput"], { DATABASE_URL: database().url });
        expectSuccess(result);
        expect(result.stdout).toMatch(/Applying users\.0001_initial\.\.\. OK/);
        expect(result.stdout).toMatch(/Applying account\.0001_initial\.\.\. OK/);
      },
      COMMAND_TIMEOUT_MS,
    );
  });

  describe("its own test suite, with the auth tests", () => {
    it(
      "passes on SQLite with its coverage threshold met",
      async () => {
        const result = await current().py.run("pytest", ["-v", "--cov"], {
          cwd: current().dir,
          timeoutMs: PYTEST_TIMEOUT_MS,
        });
        expectPassingSuite(result, current().dir, authTestFiles(false));
      },
      PYTEST_TIMEOUT_MS,
    );

    it(
      "passes on PostgreSQL with its coverage threshold met",
      async () => {
        const result = await current().py.run("pytest", ["-v", "--cov"], {
          cwd: current().dir,
          env: { DATABASE_URL: database().url },
          timeoutMs: PYTEST_TIMEOUT_MS,
        });
        expectPassingSuite(result, current().dir, authTestFiles(false));
      },
      PYTEST_TIMEOUT_MS,
    );
  });

  describe("with production settings", () => {
    itPassesCheckDeploy((args, env) => manage(args, env), productionEnv, COMMAND_TIMEOUT_MS);

    describe("under gunicorn, mailing to files as a staging server would", () => {
      let server: RunningServer | undefined;
      let mailDir = "";
      let host = "";

      beforeAll(
        async () => {
          mailDir = join(current().root, "sent-emails");
          const env: Record<string, string> = {
            ...productionEnv(),
            EMAIL_BACKEND: "django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH: mailDir,
          };
          host = (env["ALLOWED_HOSTS"] ?? "").split(",")[0]?.trim() ?? "";
          if (host === "" || host.startsWith(".") || host === "*") {
            throw new Error(`.env.example's ALLOWED_HOSTS does not start with a host name: ${host}`);
          }
          for (const args of [
            ["migrate", "--noinput"],
            ["collectstatic", "--noinput"],
          ]) {
            const result = await manage(args, env, 2 * COMMAND_TIMEOUT_MS);
            if (result.code !== 0) {
              throw new Error(`manage.py ${args[0] ?? ""} failed:\n${describeRun(result)}`);
            }
          }
          const { py, dir } = current();
          server = await startGunicorn({ py, dir, name: NAME, env, host, timeoutMs: SERVER_WAIT_MS });
        },
        4 * COMMAND_TIMEOUT_MS + SERVER_WAIT_MS,
      );

      afterAll(async () => {
        await server?.stop();
      }, COMMAND_TIMEOUT_MS);

      it(
        "lets a visitor sign up, confirm the address from the email, sign in, see a protected page and sign out",
        async () => {
          const running = server;
          if (running === undefined) {
            throw new Error("gunicorn did not start (see the beforeAll failure).");
          }
          const logs = (): string => running.output();
          const browser = new BrowserSession({ serverOrigin: running.origin, siteOrigin: `https://${host}` });
          const email = `visitor-${randomBytes(4).toString("hex")}@example.com`;
          const password = `pass-${randomSecretKey()}`;
          /** The response must redirect (302) to `path`. */
          const expectRedirect = (response: PageResponse, path: string): void => {
            expect(response.status)
              .withContext(`${response.method} ${response.path}\n${response.body}\n${logs()}`)
              .toBe(302);
            if (response.status === 302) {
              expect(browser.redirectPath(response))
                .withContext(`${response.method} ${response.path}`)
                .toBe(path);
            }
          };
          const expectPage = (response: PageResponse, text: string): void => {
            expect(response.status).withContext(`${response.method} ${response.path}\n${logs()}`).toBe(200);
            expect(response.body).withContext(`${response.method} ${response.path}`).toContain(text);
          };
          /** GETs the form page, then POSTs its hidden fields (the CSRF token) with `fields`. */
          const submit = async (
            page: string,
            action: string,
            fields: Record<string, string>,
          ): Promise<PageResponse> => {
            const form = await browser.get(page);
            expect(form.status).withContext(`GET ${page}\n${logs()}`).toBe(200);
            return browser.post(action, { ...hiddenFields(form, action), ...fields }, page);
          };

          // The page that requires signing in sends visitors to the sign-in page.
          expectRedirect(await browser.get("/accounts/profile/"), "/accounts/login/?next=/accounts/profile/");
          // So does the admin's own login page: staff sign in through allauth too.
          const adminLogin = await browser.get("/admin/login/");
          expect(adminLogin.status).withContext(`GET /admin/login/\n${logs()}`).toBe(302);
          const adminRedirect = new URL(browser.redirectPath(adminLogin), `https://${host}`);
          expect(adminRedirect.pathname).toBe("/accounts/login/");
          expect(adminRedirect.searchParams.get("next")).toBe("/admin/login/");

          // Sign up: the form renders inside the project's UI shell (base.html).
          const signupForm = await browser.get("/accounts/signup/");
          expectPage(signupForm, '<main id="content" class="container">');
          const signedUp = await browser.post(
            "/accounts/signup/",
            {
              ...hiddenFields(signupForm, "/accounts/signup/"),
              email,
              password1: password,
              password2: password,
            },
            "/accounts/signup/",
          );
          expectRedirect(signedUp, "/accounts/confirm-email/");
          expectPage(await browser.get("/accounts/confirm-email/"), `Confirmation email sent to ${email}.`);

          // Not signed in before the address is confirmed.
          expectRedirect(await browser.get("/accounts/profile/"), "/accounts/login/?next=/accounts/profile/");

          // The confirmation email, written to a file, links to the public https address.
          const mails = (await readSentEmails(mailDir)).filter((mail) => mail.to === email);
          expect(mails.length).withContext(`emails to ${email} in ${mailDir}\n${logs()}`).toBe(1);
          const links = mails.flatMap(linksIn);
          const confirm = links.find((link) => link.startsWith(`https://${host}/accounts/confirm-email/`));
          expect(confirm)
            .withContext(`a confirmation link to https://${host}/ among ${links.join(", ")}`)
            .toBeDefined();
          if (confirm === undefined) {
            return;
          }
          const confirmPath = new URL(confirm).pathname;
          // Past a second boundary, allauth signs the key of the page's form anew: the form
          // then posts to another key than the link's, and both must confirm the address.
          await delay(1_100);
          const confirmPage = await browser.get(confirmPath);
          expectPage(confirmPage, email);
          const confirmAction = formAction(confirmPage, /^\/accounts\/confirm-email\/[^/]+\/$/);
          expectRedirect(
            await browser.post(confirmAction, hiddenFields(confirmPage, confirmAction), confirmPath),
            "/accounts/login/",
          );

          // Sign in: the session cookie is Secure and HttpOnly, and signing in leads to the profile.
          const signedIn = await submit("/accounts/login/", "/accounts/login/", { login: email, password });
          expectRedirect(signedIn, "/accounts/profile/");
          const sessionCookie = (signedIn.headers["set-cookie"] ?? "")
            .split("\n")
            .find((line) => line.startsWith("sessionid="));
          expect(sessionCookie)
            .withContext("a session cookie")
            .toMatch(/;\s*Secure\b/i);
          expect(sessionCookie).toMatch(/;\s*HttpOnly\b/i);

          const profile = await browser.get("/accounts/profile/");
          expectPage(profile, email);
          // Signed in, but not staff: the admin refuses.
          expect((await browser.get("/admin/login/")).status)
            .withContext(logs())
            .toBe(403);

          // Sign out with the form of the profile page (its CSRF token is the signed-in one).
          const signedOut = await browser.post(
            "/accounts/logout/",
            hiddenFields(profile, "/accounts/logout/"),
            "/accounts/profile/",
          );
          expectRedirect(signedOut, "/accounts/login/");
          expectPage(await browser.get("/accounts/login/"), "You have signed out.");
          expectRedirect(await browser.get("/accounts/profile/"), "/accounts/login/?next=/accounts/profile/");
        },
        2 * COMMAND_TIMEOUT_MS,
      );
    });
  });

  describe("code quality", () => {
    it(
      "is clean under ruff check and ruff format --check",
      async () => {
        expectSuccess(await current().py.run("ruff", ["check", "."], { cwd: current().dir }));
        expectSuccess(await current().py.run("ruff", ["format", "--check", "."], { cwd: current().dir }));
      },
      COMMAND_TIMEOUT_MS,
    );
  });
});

/**
 * The `mfa` option: allauth.mfa with TOTP, its migrations, and its test in the suite, on a
 * project that had auth without it (`add auth`, then `add auth --mfa`, the upgrade path;
 * the browser specs run `add auth --mfa` at once).
 */
describe("quickscale add auth, then add auth --mfa, on a generated project", () => {
  let project: AuthProject | undefined;

  beforeAll(async () => {
    project = await generateWithAuth("auth-mfa", ["--mfa"], [[], ["--mfa"]]);
  }, SETUP_TIMEOUT_MS);

  afterAll(() => {
    if (project !== undefined) {
      removeDir(project.root);
    }
  });

  const current = (): AuthProject =>
    required(project, "The project was not generated with auth --mfa (see the beforeAll failure).");

  it("has one ACCOUNTS section in base.py, MFA's setting in it", () => {
    const base = readFileSync(join(current().dir, NAME, "settings", "base.py"), "utf8");
    expect(base.split("\n").filter((line) => line === "# ACCOUNTS").length).toBe(1);
    const accounts = base.slice(base.indexOf("\n# ACCOUNTS\n"));
    expect(accounts).toContain("\nMFA_SUPPORTED_TYPES = ");
  });

  it("depends on django-allauth with its mfa extra", () => {
    const doc = parse(readFileSync(join(current().dir, "pyproject.toml"), "utf8"));
    const projectTable = doc["project"];
    const dependencies = isTable(projectTable) ? projectTable["dependencies"] : undefined;
    expect(dependencies).toContain(MFA.dependency);
  });

  it(
    "passes manage.py check and has every model change in its migrations",
    async () => {
      const { dir, py } = current();
      const check = await py.run("python", ["manage.py", "check"], { cwd: dir });
      expectSuccess(check);
      expect(check.stdout).toContain(NO_ISSUES);
      const migrations = await py.run("python", ["manage.py", "makemigrations", "--check", "--dry-run"], {
        cwd: dir,
      });
      expectSuccess(migrations);
    },
    2 * COMMAND_TIMEOUT_MS,
  );

  it(
    "passes its own tests, two-factor sign-in included, with its coverage threshold met",
    async () => {
      const { dir, py } = current();
      const result = await py.run("pytest", ["-v", "--cov"], { cwd: dir, timeoutMs: PYTEST_TIMEOUT_MS });
      expectPassingSuite(result, dir, authTestFiles(true));
    },
    PYTEST_TIMEOUT_MS,
  );

  it(
    "is clean under ruff check and ruff format --check",
    async () => {
      const { dir, py } = current();
      expectSuccess(await py.run("ruff", ["check", "."], { cwd: dir }));
      expectSuccess(await py.run("ruff", ["format", "--check", "."], { cwd: dir }));
    },
    COMMAND_TIMEOUT_MS,
  );
});
