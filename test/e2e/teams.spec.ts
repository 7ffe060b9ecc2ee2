import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { BrowserSession, formAction, hiddenFields, PageResponse } from "./support/browser-session";
import { removeDir, snapshot, tempDir } from "./support/files";
import { productionEnv } from "./support/production-env";
import {
  describeRun,
  expectOneLineError,
  expectSuccess,
  required,
  runBin,
  RunResult,
} from "./support/process";
import { ensureProjectEnv, PythonEnv } from "./support/python-env";
import { projectForSuite } from "./support/suite-project";
import { readSentEmails, SentEmail } from "./support/sent-emails";
import { RunningServer, startServer } from "./support/server";
import { NO_ISSUES, expectCheckAndMigrations, expectPassingSuite } from "./support/project-checks";
import { teamsTestFiles } from "./support/teams-project";

const NAME = "myapp";
/** Generating, a cached venv to build on a first run (pip downloads), a database. */
const SETUP_TIMEOUT_MS = 20 * 60_000;
const COMMAND_TIMEOUT_MS = 2 * 60_000;
const PYTEST_TIMEOUT_MS = 5 * 60_000;
const SERVER_WAIT_MS = 30_000;
const NOTHING_TO_DO = "Nothing to do: teams is up to date.\n";

/** A generated project (no git) that ran `add teams` without auth, then `add auth` and `add teams`. */
interface TeamsProject {
  root: string;
  dir: string;
  py: PythonEnv;
  /** `add teams` before auth, and the project's files before and after it. */
  refused: { result: RunResult; before: string[]; after: string[] };
  added: RunResult;
}

async function generateWithTeams(label: string): Promise<TeamsProject> {
  const root = tempDir(label);
  const dir = join(root, NAME);
  const bin = async (args: readonly string[], cwd: string): Promise<RunResult> => {
    const result = await runBin(args, cwd);
    if (result.code !== 0) {
      throw new Error(`quickscale ${args.join(" ")} failed:\n${describeRun(result)}`);
    }
    return result;
  };
  try {
    await bin(["init", NAME, "--directory", dir, "--skip-git"], root);
    const before = snapshot(dir);
    // No git repository (--skip-git): --allow-dirty lets the modules run without one.
    const refusedRun = await runBin(["add", "teams", "--allow-dirty"], dir);
    const refused = { result: refusedRun, before, after: snapshot(dir) };
    await bin(["add", "auth", "--allow-dirty"], dir);
    const added = await bin(["add", "teams", "--allow-dirty"], dir);
    return { root, dir, py: await ensureProjectEnv(dir), refused, added };
  } catch (error) {
    removeDir(root);
    throw error;
  }
}

/**
 * `quickscale add teams` on a freshly generated project: refused in one line before auth,
 * then added after it; the project still passes what `init` proves (checks, deployment
 * checklist, migrations on PostgreSQL, its own tests on SQLite and PostgreSQL with the
 * coverage threshold, ruff), and under gunicorn with production settings people sign up
 * into a personal team, invite by email, join through the link, and get 403 or 404 where
 * their role or team does not reach.
 */
describe("quickscale add teams, on a generated project run for real", () => {
  const {
    project: current,
    database,
    manage,
  } = projectForSuite({
    made: "generated with teams",
    make: () => generateWithTeams("teams"),
    venvOf: (project) => project.py,
    setupTimeoutMs: SETUP_TIMEOUT_MS,
    commandTimeoutMs: COMMAND_TIMEOUT_MS,
  });

  it("refuses without auth, in one line naming quickscale add auth, writing nothing", () => {
    const { refused } = current();
    expectOneLineError(refused.result, {
      message: /^error: Teams need user accounts: run "quickscale add auth" first/,
    });
    expect(refused.after).toEqual(refused.before);
  });

  it("adds the teams app once auth is there, and has nothing to do the second time", async () => {
    const { dir, added } = current();
    expect(added.stdout).toContain(`CREATE ${NAME}/teams/models.py`);
    expect(added.stdout).toContain(`UPDATE ${NAME}/settings/base.py`);
    const state = snapshot(dir);
    const again = await runBin(["add", "teams", "--allow-dirty"], dir);
    expectSuccess(again);
    expect(again.stdout).toBe(NOTHING_TO_DO);
    expect(snapshot(dir)).toEqual(state);
  });

  it("describes teams in the README, with the isolation example, before the deployment notes", () => {
    const readme = readFileSync(join(current().dir, "README.md"), "utf8");
    const teams = readme.indexOf("\n## Teams\n");
    expect(teams).withContext("a Teams section").toBeGreaterThan(0);
    expect(teams).toBeLessThan(readme.indexOf("\n## Deployment\n"));
    expect(readme).toContain(`from ${NAME}.teams.scoping import TeamScopedMixin`);
  });

  it(
    "passes manage.py check and has every model change in its migrations",
    async () => {
      await expectCheckAndMigrations(manage);
    },
    2 * COMMAND_TIMEOUT_MS,
  );

  it(
    "migrates on PostgreSQL, the teams tables included",
    async () => {
      const result = await manage(["migrate", "--noinput"], { DATABASE_URL: database().url });
      expectSuccess(result);
      expect(result.stdout).toMatch(/Applying teams\.0001_initial\.\.\. OK/);
    },
    COMMAND_TIMEOUT_MS,
  );

  for (const engine of ["SQLite", "PostgreSQL"]) {
    it(
      `passes its own tests on ${engine}, the teams tests included, with full coverage`,
      async () => {
        const result = await current().py.run("pytest", ["-v", "--cov"], {
          cwd: current().dir,
          env: engine === "PostgreSQL" ? { DATABASE_URL: database().url } : {},
          timeoutMs: PYTEST_TIMEOUT_MS,
        });
        const total = expectPassingSuite(result, current().dir, teamsTestFiles(NAME));
        expect(total).toBe(100);
      },
      PYTEST_TIMEOUT_MS,
    );
  }

  it(
    "is clean under ruff check and ruff format --check",
    async () => {
      const { dir, py } = current();
      expectSuccess(await py.run("ruff", ["check", "."], { cwd: dir, timeoutMs: COMMAND_TIMEOUT_MS }));
      expectSuccess(
        await py.run("ruff", ["format", "--check", "."], { cwd: dir, timeoutMs: COMMAND_TIMEOUT_MS }),
      );
    },
    2 * COMMAND_TIMEOUT_MS,
  );

  it(
    "passes check --deploy at warning level with production settings",
    async () => {
      const env = productionEnv(current().dir, NAME, database());
      const result = await manage(["check", "--deploy", "--fail-level", "WARNING"], env);
      expectSuccess(result);
      expect(result.stdout).toContain(NO_ISSUES);
    },
    COMMAND_TIMEOUT_MS,
  );

  describe("under gunicorn with production settings, mailing to files", () => {
    let server: RunningServer | undefined;
    let mailDir = "";
    const SITE = "https://127.0.0.1";

    beforeAll(
      async () => {
        mailDir = join(current().root, "sent-emails");
        const env: Record<string, string> = {
          ...productionEnv(current().dir, NAME, database()),
          EMAIL_BACKEND: "django.core.mail.backends.filebased.EmailBackend",
          EMAIL_FILE_PATH: mailDir,
        };
        for (const args of [
          ["migrate", "--noinput"],
          ["collectstatic", "--noinput"],
        ]) {
          const result = await manage(args, env);
          if (result.code !== 0) {
            throw new Error(`manage.py ${args[0] ?? ""} failed:\n${describeRun(result)}`);
          }
        }
        server = await startServer({
          command: current().py.bin("gunicorn"),
          args: [`${NAME}.wsgi`, "--bind", "127.0.0.1:{port}"],
          cwd: current().dir,
          env: current().py.env(env),
          readyPath: "/healthz",
          readyHeaders: { Host: "127.0.0.1" },
          timeoutMs: SERVER_WAIT_MS,
        });
      },
      3 * COMMAND_TIMEOUT_MS + SERVER_WAIT_MS,
    );

    afterAll(async () => {
      await server?.stop();
    }, COMMAND_TIMEOUT_MS);

    it(
      "signs up into a personal team, invites by email, and checks each role and team on the server",
      async () => {
        const running = required(server, "gunicorn did not start (see the beforeAll failure).");
        const logs = (): string => running.output();
        const session = (): BrowserSession =>
          new BrowserSession({ serverOrigin: running.origin, siteOrigin: SITE });
        const tag = randomBytes(4).toString("hex");
        const ownerEmail = `owner-${tag}@example.com`;
        const inviteeEmail = `invitee-${tag}@example.com`;
        const password = `pass-${randomBytes(24).toString("base64url")}`;

        const expectStatus = (response: PageResponse, status: number): void => {
          expect(response.status)
            .withContext(`${response.method} ${response.path}\n${response.body.slice(0, 3000)}\n${logs()}`)
            .toBe(status);
        };
        const expectRedirect = (browser: BrowserSession, response: PageResponse, path: string): void => {
          expectStatus(response, 302);
          if (response.status === 302) {
            expect(browser.redirectPath(response))
              .withContext(`${response.method} ${response.path}`)
              .toBe(path);
          }
        };
        const expectPage = (response: PageResponse, text: string): void => {
          expectStatus(response, 200);
          expect(response.body).withContext(`${response.method} ${response.path}`).toContain(text);
        };
        /** GETs `page`, then POSTs the hidden fields of its form for `action`, with `fields`. */
        const submit = async (
          browser: BrowserSession,
          page: string,
          action: string,
          fields: Record<string, string> = {},
        ): Promise<PageResponse> => {
          const form = await browser.get(page);
          expectStatus(form, 200);
          return browser.post(action, { ...hiddenFields(form, action), ...fields }, page);
        };
        const mailsTo = async (email: string): Promise<SentEmail[]> =>
          (await readSentEmails(mailDir)).filter((mail) => mail.to === email);
        const linkIn = (mail: SentEmail, path: RegExp): string => {
          const links = [...mail.body.matchAll(/https:\/\/127\.0\.0\.1(\/[^\s<>"]*)/g)].map(
            ([, p]) => p ?? "",
          );
          const link = links.find((candidate) => path.test(candidate));
          expect(link)
            .withContext(`a link to ${String(path)} in:\n${mail.body}`)
            .toBeDefined();
          return link ?? "";
        };

        // The owner signs up and confirms the address from the email, as auth's spec does.
        const owner = session();
        expectRedirect(
          owner,
          await submit(owner, "/accounts/signup/", "/accounts/signup/", {
            email: ownerEmail,
            password1: password,
            password2: password,
          }),
          "/accounts/confirm-email/",
        );
        const [confirmation] = await mailsTo(ownerEmail);
        const confirmPath = linkIn(
          required(confirmation, `no email to ${ownerEmail}`),
          /^\/accounts\/confirm-email\//,
        );
        // Past a second boundary allauth signs the form's key anew: follow the page's form.
        await delay(1_100);
        const confirmPage = await owner.get(confirmPath);
        const confirmAction = formAction(confirmPage, /^\/accounts\/confirm-email\/[^/]+\/$/);
        await owner.post(confirmAction, hiddenFields(confirmPage, confirmAction), confirmPath);
        expectRedirect(
          owner,
          await submit(owner, "/accounts/login/", "/accounts/login/", { login: ownerEmail, password }),
          "/accounts/profile/",
        );

        // Sign-up gave a personal team, which the account menu names as the current one.
        const teams = await owner.get("/teams/");
        expectPage(teams, "Current team");
        expect(teams.body).toContain('<span class="team-role">Owner</span>');
        expect(teams.body).toContain('<a href="/teams/">Teams (Personal)</a>');
        const personal = /<a href="(\/teams\/personal[^/"]*\/)">Personal<\/a>/.exec(teams.body)?.[1];
        expect(personal).withContext(teams.body).toBeDefined();

        // A new team, where the owner invites a second address as a member.
        const created = await submit(owner, "/teams/", "/teams/", { name: `Acme ${tag}` });
        expectStatus(created, 302);
        const team = owner.redirectPath(created);
        expect(team).toBe(`/teams/acme-${tag}/`);
        expectRedirect(
          owner,
          await submit(owner, `${team}invite/`, `${team}invite/`, { email: inviteeEmail, role: "member" }),
          team,
        );
        const [invitation] = await mailsTo(inviteeEmail);
        const mail = required(invitation, `no invitation email to ${inviteeEmail}\n${logs()}`);
        expect(mail.subject).toBe(`Join Acme ${tag}`);
        // A text part and an HTML part, each with the invitation's link.
        expect(mail.body).toMatch(/https:\/\/127\.0\.0\.1\/teams\/invitations\//);
        expect(mail.html).toMatch(/<a [^>]*href="https:\/\/127\.0\.0\.1\/teams\/invitations\//);
        const invitationPath = linkIn(mail, /^\/teams\/invitations\/[\w-]+\/$/);

        // The invitee has no account: the link's page leads to sign-up, which lands in the team.
        const invitee = session();
        expectPage(await invitee.get(invitationPath), `Join Acme ${tag}`);
        const signupPage = `/accounts/signup/?next=${team}`;
        // allauth's form posts to /accounts/signup/, with the next page in a hidden field.
        const signedUp = await submit(invitee, signupPage, "/accounts/signup/", {
          email: inviteeEmail,
          password1: password,
          password2: password,
        });
        expectRedirect(invitee, signedUp, team);
        const teamPage = await invitee.get(team);
        expectPage(teamPage, "Your role: <strong>Member</strong>.");
        expect(teamPage.body).toContain(ownerEmail);
        // The link proved the address: no confirmation email went to the invitee.
        expect((await mailsTo(inviteeEmail)).length).toBe(1);

        // The token is spent: a second use is refused with a page saying so.
        const reused = await session().get(invitationPath);
        expectStatus(reused, 410);
        expect(reused.body).toContain("This invitation was already used.");

        // A member reaches no owner or admin action (403), nor another team (404).
        const form = hiddenFields(teamPage, `${team}leave/`);
        expectStatus(await invitee.post(`${team}delete/`, form, team), 403);
        expectStatus(await invitee.get(`${team}invite/`), 403);
        expectStatus(await invitee.post(`${team}settings/`, { ...form, name: "Taken" }, team), 403);
        expectStatus(await invitee.get(personal ?? "/teams/personal/"), 404);
        expectStatus(await invitee.post(`${personal ?? "/teams/personal/"}switch/`, form, team), 404);

        // The owner makes the member an admin: the invite page opens to them at once.
        const ownerTeamPage = await owner.get(team);
        const roleAction = formAction(ownerTeamPage, /^\/teams\/acme-[\w-]+\/members\/\d+\/role\/$/);
        expectRedirect(
          owner,
          await owner.post(roleAction, { ...hiddenFields(ownerTeamPage, roleAction), role: "admin" }, team),
          team,
        );
        expectStatus(await invitee.get(`${team}invite/`), 200);
        // An admin still cannot delete the team.
        expectStatus(await invitee.post(`${team}delete/`, form, team), 403);

        // Removed, the former member no longer reaches the team.
        const removeAction = roleAction.replace(/role\/$/, "remove/");
        expectRedirect(
          owner,
          await owner.post(removeAction, hiddenFields(ownerTeamPage, removeAction), team),
          team,
        );
        expectStatus(await invitee.get(team), 404);

        // The owner deletes the team after the confirmation page.
        const deleted = await submit(owner, `${team}delete/`, `${team}delete/`);
        expectRedirect(owner, deleted, "/teams/");
        expectStatus(await owner.get(team), 404);
      },
      4 * COMMAND_TIMEOUT_MS,
    );
  });
});

/**
 * The generated isolation test on a project that has team data of its own: it checks the
 * user's team-scoped view, and fails when the view leaks another team's object or when a
 * model with a foreign key to Team has no team-scoped view.
 */
describe("the generated team isolation test, on a project with its own team data", () => {
  let project: TeamsProject | undefined;

  beforeAll(async () => {
    project = await generateWithTeams("teams-isolation");
  }, SETUP_TIMEOUT_MS);

  afterAll(() => {
    if (project !== undefined) {
      removeDir(project.root);
    }
  });

  const ISOLATION_TEST = `${NAME}/teams/tests/test_team_isolation.py`;
  const MODELS = [
    "from django.db import models",
    "",
    `from ${NAME}.teams.scoping import TeamScopedModel`,
    "",
    "",
    "class Project(TeamScopedModel):",
    "    name = models.CharField(max_length=100)",
    "",
  ].join("\n");
  const views = (base: string, body = "    model = Project\n"): string =>
    [
      "from django.views.generic import DetailView",
      "",
      `from ${NAME}.teams.scoping import TeamScopedMixin`,
      "",
      "from .models import Project",
      "",
      "",
      `class ProjectDetail(${base}):`,
      body,
    ].join("\n");
  const URLS = [
    "from django.urls import path",
    "",
    "from .views import ProjectDetail",
    "",
    'app_name = "projects"',
    'urlpatterns = [path("<int:pk>/", ProjectDetail.as_view(), name="detail")]',
    "",
  ].join("\n");

  it(
    "passes with a team-scoped view, and fails on a view that leaks or a model without one",
    async () => {
      const { dir, py } = required(project, "The project was not generated (see the beforeAll failure).");
      mkdirSync(join(dir, "projects", "migrations"), { recursive: true });
      writeFileSync(join(dir, "projects", "__init__.py"), "");
      writeFileSync(join(dir, "projects", "migrations", "__init__.py"), "");
      writeFileSync(join(dir, "projects", "models.py"), MODELS);
      writeFileSync(join(dir, "projects", "urls.py"), URLS);
      mkdirSync(join(dir, "projects", "templates", "projects"), { recursive: true });
      writeFileSync(
        join(dir, "projects", "templates", "projects", "project_detail.html"),
        "{{ object.name }}\n",
      );
      writeFileSync(join(dir, "projects", "views.py"), views("TeamScopedMixin, DetailView"));
      appendFileSync(join(dir, NAME, "settings", "base.py"), '\nINSTALLED_APPS += ["projects"]\n');
      appendFileSync(
        join(dir, NAME, "urls.py"),
        'urlpatterns += [path("projects/", include("projects.urls"))]\n',
      );
      const migrations = await py.run("python", ["manage.py", "makemigrations", "projects"], {
        cwd: dir,
        timeoutMs: COMMAND_TIMEOUT_MS,
      });
      expectSuccess(migrations);
      const isolation = (): Promise<RunResult> =>
        py.run("pytest", ["-v", "-p", "no:cacheprovider", ISOLATION_TEST], {
          cwd: dir,
          timeoutMs: PYTEST_TIMEOUT_MS,
        });

      const scoped = await isolation();
      expectSuccess(scoped);
      expect(scoped.stdout).toMatch(
        /test_a_member_of_one_team_gets_404_for_another_teams_object\[projects:detail\] PASSED/,
      );

      // A view that forgets the team: another team's project answers 200, and the test says so.
      writeFileSync(
        join(dir, "projects", "views.py"),
        views(
          "TeamScopedMixin, DetailView",
          "    model = Project\n\n    def get_queryset(self):\n        return Project.objects.all()\n",
        ),
      );
      const leaking = await isolation();
      expect(leaking.code).withContext(describeRun(leaking)).toBe(1);
      expect(leaking.stdout).toMatch(
        /test_a_member_of_one_team_gets_404_for_another_teams_object\[projects:detail\] FAILED/,
      );

      // A model of team data with no team-scoped view at all: named by the test.
      writeFileSync(join(dir, "projects", "views.py"), views("DetailView"));
      const unviewed = await isolation();
      expect(unviewed.code).withContext(describeRun(unviewed)).toBe(1);
      expect(unviewed.stdout).toContain("No team-scoped view shows projects.Project");
    },
    2 * PYTEST_TIMEOUT_MS,
  );
});
