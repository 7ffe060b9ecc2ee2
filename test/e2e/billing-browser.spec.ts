import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { BillingProject, generateWithBilling } from "./support/billing-project";
import { launchBrowser, NO_PROBLEMS, openWatchedPage } from "./support/browser";
import { removeDir } from "./support/files";
import { horizontalOverflow, seriousAxeViolations } from "./support/page-checks";
import { createThrowawayDatabase, ThrowawayDatabase } from "./support/postgres";
import { productionEnv } from "./support/production-env";
import { describeRun, REPO_ROOT, required } from "./support/process";
import { ensureProjectEnv } from "./support/python-env";
import { RunningServer, startServer } from "./support/server";

const NAME = "myapp";
const SETUP_TIMEOUT_MS = 25 * 60_000;
const COMMAND_TIMEOUT_MS = 2 * 60_000;
const PAGES_TIMEOUT_MS = 3 * 60_000;
const PROXY_HEADERS = { "X-Forwarded-Proto": "https" };
const SCREENSHOTS_DIR = process.env["QUICKSCALE_SCREENSHOTS_DIR"] ?? join(REPO_ROOT, "docs", "screenshots");
const VIEWPORTS = [
  { label: "desktop", width: 1280, height: 800, phone: false },
  { label: "phone", width: 375, height: 740, phone: true },
] as const;

/** A person with a confirmed address, a Stripe customer and an active Pro subscription. */
const CREATE_SUBSCRIBER = [
  "import datetime, os",
  "from allauth.account.models import EmailAddress",
  "from django.contrib.auth import get_user_model",
  "from django.utils import timezone",
  `from ${NAME}.billing.models import Customer, Subscription`,
  'email, password = os.environ["E2E_EMAIL"], os.environ["E2E_PASSWORD"]',
  'user = get_user_model().objects.create_user(email=email, password=password, name="Ada Lovelace")',
  "EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)",
  'customer = Customer.objects.create(user=user, stripe_id="cus_screenshot", email=email)',
  "Subscription.objects.create(customer=customer, stripe_id='sub_screenshot', status='active',",
  "    price_id='price_pro_year', plan='pro', interval='year',",
  "    current_period_end=timezone.now() + datetime.timedelta(days=365))",
].join("\n");

/**
 * Billing's pages in headless Chromium, served by gunicorn with the production settings
 * behind a (simulated) TLS proxy: the pricing page for a visitor and the subscription and
 * account pages of a subscriber, at desktop and phone widths, without a console error or a
 * policy violation, fitting the width, with no serious accessibility violation; saved as
 * screenshots under docs/screenshots.
 */
describe("billing's pages, in a real browser", () => {
  let project: BillingProject | undefined;
  let db: ThrowawayDatabase | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const user = { email: "ada@example.com", password: `pass-${randomBytes(24).toString("base64url")}` };

  beforeAll(async () => {
    project = await generateWithBilling("billing-browser", NAME);
    const dir = project.dir;
    const [py, database, chromium] = await Promise.all([
      ensureProjectEnv(dir),
      createThrowawayDatabase(),
      launchBrowser(),
    ]);
    db = database;
    browser = chromium;
    const env = {
      ...productionEnv(dir, NAME, database),
      STRIPE_PRICE_STARTER_MONTHLY: "price_starter_month",
      STRIPE_PRICE_STARTER_YEARLY: "price_starter_year",
      STRIPE_PRICE_PRO_MONTHLY: "price_pro_month",
      STRIPE_PRICE_PRO_YEARLY: "price_pro_year",
    };
    for (const [args, extra] of [
      [["migrate", "--noinput"], {}],
      [["collectstatic", "--noinput"], {}],
      [["shell", "-c", CREATE_SUBSCRIBER], { E2E_EMAIL: user.email, E2E_PASSWORD: user.password }],
    ] as const) {
      const result = await py.run("python", ["manage.py", ...args], {
        cwd: dir,
        env: { ...env, ...extra },
        timeoutMs: COMMAND_TIMEOUT_MS,
      });
      if (result.code !== 0) {
        throw new Error(`manage.py ${args[0]} failed:\n${describeRun(result)}`);
      }
    }
    server = await startServer({
      command: py.bin("gunicorn"),
      args: [`${NAME}.wsgi`, "--bind", "127.0.0.1:{port}"],
      cwd: dir,
      env: py.env(env),
      readyPath: "/healthz",
      readyHeaders: { Host: "127.0.0.1" },
      timeoutMs: 30_000,
    });
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await server?.stop();
    await browser?.close();
    await db?.drop();
    if (project !== undefined) {
      removeDir(project.root);
    }
  }, COMMAND_TIMEOUT_MS);

  for (const viewport of VIEWPORTS) {
    it(
      `shows the plans, and a subscriber their plan, at ${viewport.label} width`,
      async () => {
        const origin = required(server, "gunicorn did not start (see the beforeAll failure).").origin;
        const watched = await openWatchedPage(required(browser, "Chromium did not start."), {
          extraHTTPHeaders: PROXY_HEADERS,
          viewport,
        });
        const page = watched.page;
        const check = async (path: string, shot: string): Promise<void> => {
          expect(await watched.takeProblems())
            .withContext(`${path}: problems in the browser`)
            .toEqual(NO_PROBLEMS);
          expect(await horizontalOverflow(page, viewport.width))
            .withContext(`${path}: wider than the window`)
            .toEqual([]);
          expect(await seriousAxeViolations(page))
            .withContext(`${path}: serious or critical accessibility violations`)
            .toEqual([]);
          await page.screenshot({
            path: join(SCREENSHOTS_DIR, `${shot}-${viewport.label}.png`),
            fullPage: true,
          });
        };
        try {
          const pricing = await page.goto(`${origin}/billing/pricing/`, { waitUntil: "load" });
          expect(pricing?.status()).toBe(200);
          expect(await page.textContent("main")).toContain("29.00 USD per month");
          expect(await page.getAttribute('header nav a:text-is("Pricing")', "aria-current")).toBe("page");
          await check("/billing/pricing/", "pricing");

          await page.goto(`${origin}/accounts/login/`, { waitUntil: "load" });
          await page.fill('input[name="login"]', user.email);
          await page.fill('input[name="password"]', user.password);
          await Promise.all([
            page.waitForURL((url) => url.pathname === "/accounts/profile/", { waitUntil: "load" }),
            page.click('main form[action="/accounts/login/"] button[type="submit"]'),
          ]);
          const plan = (await page.textContent("main .billing-plan")) ?? "";
          expect(plan.replace(/\s+/g, " ")).toContain("Pro, active, billed every year.");
          await check("/accounts/profile/", "billing-profile");

          const account = await page.goto(`${origin}/billing/account/`, { waitUntil: "load" });
          expect(account?.status()).toBe(200);
          expect(await page.isVisible('main button:text-is("Manage billing")')).toBeTrue();
          await check("/billing/account/", "billing-account");
        } finally {
          await watched.close();
        }
      },
      PAGES_TIMEOUT_MS,
    );
  }
});
