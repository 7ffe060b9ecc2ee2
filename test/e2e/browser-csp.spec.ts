import { randomBytes } from "node:crypto";
import type { Response } from "playwright-core";
import {
  browserWithPageServer,
  NO_PROBLEMS,
  openWatchedPage,
  WatchedPage,
  withoutExpected404,
} from "./support/browser";
import { required } from "./support/process";
import { ServedAuthSite, serveAuthSite } from "./support/served-auth-site";
import { RunningServer } from "./support/server";

const NAME = "myapp";
/** Generating, a cached venv to build on a first run (pip downloads), installing Chromium. */
const SETUP_TIMEOUT_MS = 25 * 60_000;
const COMMAND_TIMEOUT_MS = 60_000;
const PAGES_TIMEOUT_MS = 2 * 60_000;
const HEADER = "content-security-policy";

/**
 * A generated project with `add auth --mfa`, served by gunicorn with its production
 * settings as behind a TLS-terminating proxy (the browser sends the proxy's
 * `X-Forwarded-Proto: https`), visited in headless Chromium: every page sends a
 * Content-Security-Policy, and no page breaks it, logs an error or fails a request.
 */
describe("the generated project's Content-Security-Policy, in a real browser", () => {
  let site: ServedAuthSite | undefined;
  let staffAccount: { id: string; email: string; password: string } | undefined;
  let watched: WatchedPage | undefined;

  beforeAll(async () => {
    site = await serveAuthSite("browser-csp", NAME);
    const email = `staff-${randomBytes(4).toString("hex")}@example.com`;
    const password = `pass-${randomBytes(24).toString("base64url")}`;
    const id = await site.createConfirmedAccount({ email, password, staff: true });
    staffAccount = { id, email, password };
    watched = await openWatchedPage(site.browser, { extraHTTPHeaders: { "X-Forwarded-Proto": "https" } });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await watched?.close();
    await site?.close();
    site = undefined;
  }, COMMAND_TIMEOUT_MS);

  const page = (): WatchedPage => required(watched, "The site was not set up (see the beforeAll failure).");
  const server = (): RunningServer =>
    required(site, "The site was not set up (see the beforeAll failure).").server;

  /**
   * Opens `path` (following redirects) and expects the page that answers to be at
   * `landsOn` with `status`, to send the policy, and to have loaded without a problem.
   */
  const visit = async (path: string, status: number, landsOn: string = path): Promise<Response> => {
    const { page: tab } = page();
    const response = await tab.goto(`${server().origin}${path}`, { waitUntil: "load" });
    if (response === null) {
      throw new Error(`GET ${path} got no response`);
    }
    await expectPolicedPage(response, status, landsOn);
    return response;
  };

  /** The page `response` answered with: its address, its status, its policy, and no problem. */
  const expectPolicedPage = async (response: Response, status: number, path: string): Promise<void> => {
    const url = new URL(response.url());
    const context = `${response.request().method()} ${url.pathname}${url.search}`;
    expect(url.pathname).withContext(context).toBe(new URL(path, server().origin).pathname);
    expect(response.status()).withContext(`${context}\n${server().output()}`).toBe(status);
    const policy = await response.headerValue(HEADER);
    expect(policy).withContext(`${context}: its ${HEADER} header`).not.toBeNull();
    expect(policy ?? "")
      .withContext(context)
      .toContain("default-src 'self'");
    const problems = withoutExpected404(await page().takeProblems());
    expect(problems).withContext(`${context}: problems in the browser`).toEqual(NO_PROBLEMS);
  };

  /** The project's own script ran on the current page: base.html's main.js marks the document. */
  const expectMainScriptRan = async (): Promise<void> => {
    const { page: tab } = page();
    expect(await tab.evaluate<boolean>('document.documentElement.classList.contains("js")'))
      .withContext(`main.js ran on ${tab.url()}`)
      .toBeTrue();
  };

  /** Submits the form around `button` and expects to land on `path`, as {@link expectPolicedPage}. */
  const submit = async (button: string, status: number, path: string): Promise<void> => {
    const { page: tab } = page();
    const landsOn = (url: URL): boolean => url.pathname === path;
    const [response] = await Promise.all([
      tab.waitForResponse(
        (candidate) => candidate.request().isNavigationRequest() && landsOn(new URL(candidate.url())),
      ),
      tab.click(button),
    ]);
    await tab.waitForURL(landsOn, { waitUntil: "load" });
    await expectPolicedPage(response, status, path);
  };

  it(
    "holds on the pages of visitors who are not signed in",
    async () => {
      await visit("/", 200);
      await expectMainScriptRan();
      await visit("/no-such-page/", 404);
      await visit("/accounts/signup/", 200);
      await expectMainScriptRan();
      await visit("/accounts/login/", 200);
      // The admin's login hands over to allauth's sign-in page.
      await visit("/admin/login/", 200, "/accounts/login/");
    },
    PAGES_TIMEOUT_MS,
  );

  it(
    "holds for a signed-in staff member: sign-in, account page, two-factor activation and the admin",
    async () => {
      const { page: tab } = page();
      const staff = required(staffAccount, "No staff account (see the beforeAll failure).");
      await visit("/accounts/login/", 200);
      await tab.fill('input[name="login"]', staff.email);
      await tab.fill('input[name="password"]', staff.password);
      await submit('form[action="/accounts/login/"] button[type="submit"]', 200, "/accounts/profile/");
      await expectMainScriptRan();

      await visit("/accounts/2fa/", 200);
      // Turning two-factor authentication on asks for the password again.
      await visit("/accounts/2fa/totp/activate/", 200, "/accounts/reauthenticate/");
      await tab.fill('input[name="password"]', staff.password);
      await submit(
        'form[action^="/accounts/reauthenticate/"] button[type="submit"]',
        200,
        "/accounts/2fa/totp/activate/",
      );
      // The QR code to scan is a data: image: the policy lets it load.
      const qrCode = 'img[src^="data:image/svg+xml"]';
      await tab.locator(qrCode).waitFor();
      const qrWidth = await tab.evaluate<number>(`document.querySelector('${qrCode}').naturalWidth`);
      expect(qrWidth).withContext("the QR code's width once loaded").toBeGreaterThan(0);

      await visit("/admin/", 200);
      await visit("/admin/users/user/", 200);
      await visit(`/admin/users/user/${staff.id}/change/`, 200);
    },
    PAGES_TIMEOUT_MS,
  );
});

/** The watch the spec above relies on sees what it must: a spec that cannot fail proves nothing. */
describe("a watched page in the e2e browser", () => {
  const { browser, origin } = browserWithPageServer(
    (request, response) => {
      if (request.url === "/boom.js") {
        response.writeHead(200, { "Content-Type": "text/javascript" });
        response.end('throw new Error("boom");');
        return;
      }
      response.writeHead(200, {
        "Content-Type": "text/html",
        "Content-Security-Policy": "default-src 'self'",
      });
      response.end(
        '<!doctype html><title>t</title><script>document.title = "inline";</script>' +
          '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt=""><script src="/boom.js"></script>',
      );
    },
    SETUP_TIMEOUT_MS,
    COMMAND_TIMEOUT_MS,
  );

  it(
    "reports violations of the page's policy, the console's word on them, and uncaught errors",
    async () => {
      const watched = await openWatchedPage(browser());
      try {
        await watched.page.goto(`${origin()}/`, { waitUntil: "load" });
        const problems = await watched.takeProblems();
        expect(problems.cspViolations).toEqual([
          jasmine.stringMatching(/^script-src-elem blocked inline in http:\/\/127\.0\.0\.1:\d+\/ at /),
          jasmine.stringMatching(/^img-src blocked data in /),
        ]);
        expect(problems.consoleMessages).toContain(jasmine.stringMatching(/Content Security Policy/));
        expect(problems.pageErrors).toEqual([jasmine.stringMatching(/boom/)]);
        expect(await watched.takeProblems())
          .withContext("taken, so forgotten")
          .toEqual(NO_PROBLEMS);
      } finally {
        await watched.close();
      }
    },
    PAGES_TIMEOUT_MS,
  );
});
