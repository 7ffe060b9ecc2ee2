import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { NO_PROBLEMS, openWatchedPage, PageProblems, WatchedPage } from "./support/browser";
import { horizontalOverflow, seriousAxeViolations } from "./support/page-checks";
import { REPO_ROOT, required } from "./support/process";
import { ServedAuthSite, serveAuthSite } from "./support/served-auth-site";

const NAME = "myapp";
/** Generating, a cached venv to build on a first run (pip downloads), installing Chromium. */
const SETUP_TIMEOUT_MS = 25 * 60_000;
const COMMAND_TIMEOUT_MS = 60_000;
const FLOW_TIMEOUT_MS = 4 * 60_000;
/** What a TLS-terminating proxy in front of gunicorn adds to each request. */
const PROXY_HEADERS = { "X-Forwarded-Proto": "https" };
const SCREENSHOTS_DIR = process.env["QUICKSCALE_SCREENSHOTS_DIR"] ?? join(REPO_ROOT, "docs", "screenshots");

const VIEWPORTS = [
  { label: "desktop", width: 1280, height: 800, phone: false, domain: "example.com" },
  { label: "phone", width: 375, height: 740, phone: true, domain: "example.org" },
] as const;

/**
 * An owner (Ada) with a personal team and a team where Bob is a member, an invitation
 * for Carol and a withdrawn one for Dan; prints the team's slug and the two tokens.
 */
const CREATE_TEAM = [
  "import json",
  "import os",
  "from allauth.account.models import EmailAddress",
  "from django.contrib.auth import get_user_model",
  "from django.utils import timezone",
  `from ${NAME}.teams.membership import add_member, create_team`,
  `from ${NAME}.teams.models import Invitation, Role`,
  'domain, password = os.environ["E2E_DOMAIN"], os.environ["E2E_PASSWORD"]',
  "def person(email, name):",
  "    user = get_user_model().objects.create_user(email=email, password=password, name=name)",
  "    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)",
  "    return user",
  'ada = person(f"ada@{domain}", "Ada Lovelace")',
  'create_team(ada, "Personal", personal=True)',
  'team = create_team(ada, "Analytical Engines")',
  'add_member(team, person(f"bob@{domain}", "Bob Babbage"), Role.MEMBER)',
  'invited = Invitation.objects.create(team=team, email=f"carol@{domain}", invited_by=ada)',
  'withdrawn = Invitation.objects.create(team=team, email=f"dan@{domain}", revoked=timezone.now())',
  'print(json.dumps({"slug": team.slug, "invited": invited.token, "withdrawn": withdrawn.token}))',
].join("\n");

interface TeamFixture {
  slug: string;
  invited: string;
  withdrawn: string;
}

/** Chromium's console line for a page answered with `status` on purpose (403, 410). */
function withoutDeliberate(problems: PageProblems, status: number): PageProblems {
  const line = new RegExp(
    `^error: Failed to load resource: the server responded with a status of ${String(status)} `,
  );
  return { ...problems, consoleMessages: problems.consoleMessages.filter((message) => !line.test(message)) };
}

/**
 * The team pages of `add teams`, served by gunicorn with production settings and used in
 * headless Chromium at a desktop and a phone width: an owner's list, members, invitation
 * and deletion pages, a role change through the page's form, an invited visitor who signs
 * up through the link and lands in the team, a member refused an owner's page and a
 * withdrawn invitation's page. Each page loads without a console error or a policy
 * violation, fits the width, has no serious axe-core violation, and is saved under
 * docs/screenshots.
 */
describe("the team pages, in a real browser", () => {
  let site: ServedAuthSite | undefined;
  const password = `pass-${randomBytes(24).toString("base64url")}`;

  beforeAll(async () => {
    site = await serveAuthSite("browser-teams", NAME, ["teams"]);
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await site?.close();
    site = undefined;
  }, COMMAND_TIMEOUT_MS);

  const served = (): ServedAuthSite => required(site, "The site was not set up (see the beforeAll failure).");

  for (const viewport of VIEWPORTS) {
    it(
      `lets an owner manage a team and an invited visitor join it, at ${viewport.label} width`,
      async () => {
        const output = await served().manage(["shell", "-c", CREATE_TEAM], {
          E2E_DOMAIN: viewport.domain,
          E2E_PASSWORD: password,
        });
        const fixture = JSON.parse(output.trim().split("\n").pop() ?? "{}") as TeamFixture;
        const team = `/teams/${fixture.slug}/`;
        const origin = served().server.origin;
        const opened: WatchedPage[] = [];
        const open = async (): Promise<WatchedPage> => {
          const watched = await openWatchedPage(served().browser, {
            extraHTTPHeaders: PROXY_HEADERS,
            viewport,
          });
          opened.push(watched);
          return watched;
        };
        /** The page now shown: its status, no problem, no sideways scrolling, no serious axe violation; a screenshot. */
        const expectGoodPage = async (
          watched: WatchedPage,
          answered: number | undefined,
          status: number,
          shot: string,
        ): Promise<void> => {
          const context = `${viewport.label} ${watched.page.url()}`;
          expect(answered).withContext(`${context}\n${served().server.output()}`).toBe(status);
          expect(withoutDeliberate(await watched.takeProblems(), status))
            .withContext(`${context}: problems in the browser`)
            .toEqual(NO_PROBLEMS);
          expect(await horizontalOverflow(watched.page, viewport.width))
            .withContext(`${context}: wider than the window`)
            .toEqual([]);
          expect(await seriousAxeViolations(watched.page))
            .withContext(`${context}: serious or critical accessibility violations`)
            .toEqual([]);
          await watched.page.screenshot({
            path: join(SCREENSHOTS_DIR, `${shot}-${viewport.label}.png`),
            fullPage: true,
          });
        };
        const visit = async (
          watched: WatchedPage,
          path: string,
          status: number,
          shot: string,
        ): Promise<void> => {
          const response = await watched.page.goto(`${origin}${path}`, { waitUntil: "load" });
          await expectGoodPage(watched, response?.status(), status, shot);
        };
        /** Clicks `selector`, which submits a form, and waits for the page it leads to. */
        const submit = async (page: Page, selector: string, path: string): Promise<number | undefined> => {
          const [response] = await Promise.all([
            page.waitForResponse((candidate) => new URL(candidate.url()).pathname === path),
            page.click(selector),
          ]);
          await page.waitForURL((url) => url.pathname === path, { waitUntil: "load" });
          return response.status();
        };
        const signIn = async (watched: WatchedPage, email: string): Promise<void> => {
          await watched.page.goto(`${origin}/accounts/login/`, { waitUntil: "load" });
          await watched.page.fill('input[name="login"]', email);
          await watched.page.fill('input[name="password"]', password);
          await submit(
            watched.page,
            'main form[action="/accounts/login/"] button[type="submit"]',
            "/accounts/profile/",
          );
          await watched.takeProblems();
        };

        try {
          // The owner: the list with the switcher, the members, the invitation form.
          const owner = await open();
          await signIn(owner, `ada@${viewport.domain}`);
          await visit(owner, "/teams/", 200, "teams");
          expect(await owner.page.textContent("main")).toContain("Current team");
          await visit(owner, team, 200, "team-members");
          expect(await owner.page.textContent("main table")).toContain(`bob@${viewport.domain}`);
          expect(await owner.page.textContent("main")).toContain(`carol@${viewport.domain}`);

          // Bob becomes an admin through the role form of his row.
          await owner.page.selectOption("main table select", "admin");
          expect(await submit(owner.page, 'main table button:text-is("Change role")', team)).toBe(200);
          expect(await owner.page.textContent(".messages")).toContain("is now Admin.");
          await expectGoodPage(owner, 200, 200, "team-role-changed");

          await visit(owner, `${team}invite/`, 200, "team-invite");
          await owner.page.fill('input[name="email"]', `eve@${viewport.domain}`);
          expect(await submit(owner.page, 'main button:text-is("Send the invitation")', team)).toBe(200);
          expect(await owner.page.textContent(".messages")).toContain(
            `Invitation sent to eve@${viewport.domain}.`,
          );
          await visit(owner, `${team}delete/`, 200, "team-delete");

          // An invited visitor signs up through the link and lands in the team as a member.
          const visitor = await open();
          await visit(visitor, `/teams/invitations/${fixture.invited}/`, 200, "team-invitation");
          await submit(visitor.page, 'main a:text-is("Sign up")', "/accounts/signup/");
          await visitor.takeProblems();
          expect(await visitor.page.inputValue('input[name="email"]')).toBe(`carol@${viewport.domain}`);
          await visitor.page.fill('input[name="password1"]', password);
          await visitor.page.fill('input[name="password2"]', password);
          const landed = await submit(
            visitor.page,
            'main form[action="/accounts/signup/"] button[type="submit"]',
            team,
          );
          await expectGoodPage(visitor, landed, 200, "team-joined");
          expect(await visitor.page.textContent("main")).toContain("Your role: Member.");

          // A member is refused the owner's page; a withdrawn invitation says so.
          await visit(visitor, `${team}delete/`, 403, "team-refused");
          const stranger = await open();
          await visit(stranger, `/teams/invitations/${fixture.withdrawn}/`, 410, "team-invitation-withdrawn");
          expect(await stranger.page.textContent("main")).toContain("This invitation was withdrawn.");
        } finally {
          for (const watched of opened) {
            await watched.close();
          }
        }
      },
      FLOW_TIMEOUT_MS,
    );
  }
});
