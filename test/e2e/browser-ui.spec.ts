import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer, Server } from "node:http";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import {
  launchBrowser,
  NO_PROBLEMS,
  openWatchedPage,
  WatchedPage,
  withoutExpected404,
} from "./support/browser";
import { horizontalOverflow, seriousAxeViolations } from "./support/page-checks";
import { REPO_ROOT, required } from "./support/process";
import { ServedAuthSite, serveAuthSite } from "./support/served-auth-site";
import { RunningServer } from "./support/server";

const NAME = "myapp";
/** Generating, a cached venv to build on a first run (pip downloads), installing Chromium. */
const SETUP_TIMEOUT_MS = 25 * 60_000;
const COMMAND_TIMEOUT_MS = 60_000;
const PAGES_TIMEOUT_MS = 3 * 60_000;
/** What a TLS-terminating proxy in front of gunicorn adds to each request. */
const PROXY_HEADERS = { "X-Forwarded-Proto": "https" };

/** Where the screenshots go: docs/screenshots of this repository, shown in its README. */
const SCREENSHOTS_DIR = process.env["QUICKSCALE_SCREENSHOTS_DIR"] ?? join(REPO_ROOT, "docs", "screenshots");

/** The widths every page is checked at: a laptop, and a phone (an iPhone SE's 375 px). */
const VIEWPORTS = [
  { label: "desktop", width: 1280, height: 800, phone: false },
  { label: "phone", width: 375, height: 740, phone: true },
] as const;

/** Creates a person whose address is confirmed, so they can sign in at once. */
const CREATE_USER = [
  "import os",
  "from allauth.account.models import EmailAddress",
  "from django.contrib.auth import get_user_model",
  'email, password = os.environ["E2E_EMAIL"], os.environ["E2E_PASSWORD"]',
  'user = get_user_model().objects.create_user(email=email, password=password, name="Ada Lovelace")',
  "EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)",
].join("\n");

/**
 * The generated project's UI shell with `add auth --mfa`, served by gunicorn with its
 * production settings behind a (simulated) TLS proxy and visited in headless Chromium at a
 * desktop and a phone width: each page loads without a console error or a
 * Content-Security-Policy violation, fits the phone's width, has no serious or critical
 * accessibility violation (axe-core), and is saved as a screenshot under docs/screenshots.
 */
describe("the generated project's UI shell, in a real browser", () => {
  let site: ServedAuthSite | undefined;
  let person: { email: string; password: string } | undefined;

  beforeAll(async () => {
    site = await serveAuthSite("browser-ui", NAME);
    // A fixed address (the database is new each run): it shows in the screenshots.
    const user = {
      email: "ada@example.com",
      password: `pass-${randomBytes(24).toString("base64url")}`,
    };
    await site.manage(["shell", "-c", CREATE_USER], { E2E_EMAIL: user.email, E2E_PASSWORD: user.password });
    person = user;
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await site?.close();
    site = undefined;
  }, COMMAND_TIMEOUT_MS);

  const server = (): RunningServer =>
    required(site, "The site was not set up (see the beforeAll failure).").server;

  /** A GET or POST straight to gunicorn, as through the proxy, not following redirects. */
  const fetchPath = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${server().origin}${path}`, { ...init, redirect: "manual", headers: PROXY_HEADERS });

  it(
    "serves its own error pages, robots.txt and /favicon.ico under the production settings",
    async () => {
      const missing = await fetchPath("/no-such-page/");
      expect(missing.status).toBe(404);
      const missingPage = await missing.text();
      expect(missingPage).toContain('<h1 id="error-title">Page not found</h1>');
      expect(missingPage).toContain('<header class="site-header">');

      // A form posted without its CSRF token (an expired page, blocked cookies).
      const forged = await fetchPath("/accounts/login/", { method: "POST" });
      expect(forged.status).toBe(403);
      expect(await forged.text()).toContain("This form has expired");

      const robots = await fetchPath("/robots.txt");
      expect(robots.status).toBe(200);
      expect(robots.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(await robots.text()).toContain("User-agent: *");

      const favicon = await fetchPath("/favicon.ico");
      expect(favicon.status).toBe(302);
      expect(favicon.headers.get("cache-control")).toContain("max-age=86400");
      const icon = await fetchPath(favicon.headers.get("location") ?? "/missing-location");
      expect(icon.status).toBe(200);
      expect(icon.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    },
    PAGES_TIMEOUT_MS,
  );

  it(
    "keeps its contrast in the dark colour scheme",
    async () => {
      const watched = await openWatchedPage(required(site, "The site was not set up.").browser, {
        extraHTTPHeaders: PROXY_HEADERS,
        viewport: VIEWPORTS[0],
      });
      try {
        await watched.page.emulateMedia({ colorScheme: "dark" });
        for (const [path, shot] of [
          ["/", "home-dark"],
          ["/accounts/login/", "signin-dark"],
        ] as const) {
          const response = await watched.page.goto(`${server().origin}${path}`, { waitUntil: "load" });
          expect(response?.status()).withContext(path).toBe(200);
          expect(await watched.takeProblems())
            .withContext(path)
            .toEqual(NO_PROBLEMS);
          expect(await seriousAxeViolations(watched.page))
            .withContext(`${path} in the dark`)
            .toEqual([]);
          await watched.page.screenshot({
            path: join(SCREENSHOTS_DIR, `${shot}-desktop.png`),
            fullPage: true,
          });
        }
      } finally {
        await watched.close();
      }
    },
    PAGES_TIMEOUT_MS,
  );

  for (const viewport of VIEWPORTS) {
    describe(`at ${viewport.label} width (${String(viewport.width)} px)`, () => {
      let watched: WatchedPage | undefined;

      beforeAll(async () => {
        watched = await openWatchedPage(required(site, "The site was not set up.").browser, {
          extraHTTPHeaders: PROXY_HEADERS,
          viewport,
        });
      }, COMMAND_TIMEOUT_MS);

      afterAll(async () => {
        await watched?.close();
        watched = undefined;
      }, COMMAND_TIMEOUT_MS);

      const tab = (): Page => required(watched, "No page (see the beforeAll failure).").page;

      /**
       * Opens `path` and checks the page that answers: its status, no problem in the browser,
       * no horizontal scrolling, no serious or critical axe violation; then saves
       * `<shot>-<viewport>.png`.
       */
      const visit = async (path: string, status: number, shot: string): Promise<void> => {
        const response = await tab().goto(`${server().origin}${path}`, { waitUntil: "load" });
        await expectGoodPage(path, response?.status(), status, shot);
      };

      const expectGoodPage = async (
        path: string,
        answered: number | undefined,
        status: number,
        shot: string,
      ): Promise<void> => {
        const page = tab();
        const context = `${viewport.label} ${path}`;
        expect(answered).withContext(`${context}\n${server().output()}`).toBe(status);
        const problems = withoutExpected404(await required(watched, "No page.").takeProblems());
        expect(problems).withContext(`${context}: problems in the browser`).toEqual(NO_PROBLEMS);
        expect(await horizontalOverflow(page, viewport.width))
          .withContext(`${context}: wider than the window`)
          .toEqual([]);
        expect(await seriousAxeViolations(page))
          .withContext(`${context}: serious or critical accessibility violations`)
          .toEqual([]);
        await page.screenshot({
          path: join(SCREENSHOTS_DIR, `${shot}-${viewport.label}.png`),
          fullPage: true,
        });
      };

      it(
        "shows visitors the home page, a missing page, sign-up and sign-in, with the account links",
        async () => {
          await visit("/", 200, "home");
          const page = tab();
          expect(await page.getAttribute('header a:text-is("Sign in")', "href")).toBe("/accounts/login/");
          expect(await page.getAttribute('header a:text-is("Sign up")', "href")).toBe("/accounts/signup/");
          expect(await page.evaluate<boolean>("typeof window.htmx === 'object'"))
            .withContext("htmx loaded")
            .toBeTrue();
          await visit("/no-such-page/", 404, "404");
          await visit("/accounts/signup/", 200, "signup");
          await visit("/accounts/login/", 200, "signin");
        },
        PAGES_TIMEOUT_MS,
      );

      it(
        "shows a signed-in person their account page and a menu to sign out",
        async () => {
          const user = required(person, "No user (see the beforeAll failure).");
          const page = tab();
          await page.goto(`${server().origin}/accounts/login/`, { waitUntil: "load" });
          await page.fill('input[name="login"]', user.email);
          await page.fill('input[name="password"]', user.password);
          const [response] = await Promise.all([
            page.waitForResponse((candidate) => new URL(candidate.url()).pathname === "/accounts/profile/"),
            page.click('main form[action="/accounts/login/"] button[type="submit"]'),
          ]);
          await page.waitForURL((url) => url.pathname === "/accounts/profile/", { waitUntil: "load" });
          await expectGoodPage("/accounts/profile/", response.status(), 200, "profile");

          // The account menu opens on the signed-in person's name and signs them out.
          await page.click("header details.account-dropdown summary");
          await page.locator('header button:text-is("Sign out")').waitFor();
          await expectGoodPage("/accounts/profile/ (account menu open)", 200, 200, "account-menu");
          await Promise.all([
            page.waitForURL((url) => url.pathname === "/accounts/login/", { waitUntil: "load" }),
            page.click('header button:text-is("Sign out")'),
          ]);
          expect(await page.textContent(".messages")).toContain("You have signed out.");
          expect(withoutExpected404(await required(watched, "No page.").takeProblems())).toEqual(NO_PROBLEMS);
        },
        PAGES_TIMEOUT_MS,
      );
    });
  }
});

/** What the checks above rely on see what they must: a check that cannot fail proves nothing. */
describe("the accessibility and width checks of the UI spec", () => {
  let browser: Browser | undefined;
  let site: Server | undefined;
  let origin = "";

  beforeAll(async () => {
    browser = await launchBrowser();
    site = createServer((_request, response) => {
      response.writeHead(200, {
        "Content-Type": "text/html",
        "Content-Security-Policy": "default-src 'self'",
      });
      // An image without a text alternative (critical for axe), and a form field without a label.
      response.end(
        '<!doctype html><html lang="en"><meta name="viewport" content="width=device-width, initial-scale=1"><title>t</title><main><h1>t</h1><img src="/x.png">' +
          '<input type="text" name="q"><table width="900"><tr><td>wide</td></tr></table></main>',
      );
    });
    const listening = site;
    await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
    const address = listening.address();
    origin =
      typeof address === "object" && address !== null ? `http://127.0.0.1:${String(address.port)}` : "";
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    const listening = site;
    if (listening !== undefined) {
      await new Promise((resolve) => {
        listening.close(resolve);
      });
    }
  }, COMMAND_TIMEOUT_MS);

  it(
    "reports serious accessibility violations and a page wider than a phone, under a strict policy",
    async () => {
      const watched = await openWatchedPage(required(browser, "Chromium did not start."), {
        viewport: { width: 375, height: 740, phone: true },
      });
      try {
        await watched.page.goto(`${origin}/`, { waitUntil: "load" });
        const ids = (await seriousAxeViolations(watched.page)).map((violation) => violation.id);
        expect(ids).toEqual(jasmine.arrayContaining(["image-alt", "label"]));
        expect(await horizontalOverflow(watched.page, 375)).not.toEqual([]);
      } finally {
        await watched.close();
      }
    },
    PAGES_TIMEOUT_MS,
  );
});
