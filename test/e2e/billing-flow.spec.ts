import { randomBytes } from "node:crypto";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { generateWithBilling, generateWithTeamsAndBilling } from "./support/billing-project";
import { BrowserSession, hiddenFields, PageResponse } from "./support/browser-session";
import { removeDir } from "./support/files";
import { createThrowawayDatabase, ThrowawayDatabase } from "./support/postgres";
import { describeRun, required } from "./support/process";
import { ensureProjectEnv, ensureVenv, PythonEnv } from "./support/python-env";
import { RunningServer, startServer } from "./support/server";
import { postJson, signPayload, StripeDouble } from "./support/stripe-double";

const NAME = "myapp";
const SETUP_TIMEOUT_MS = 20 * 60_000;
const COMMAND_TIMEOUT_MS = 2 * 60_000;
const SERVER_WAIT_MS = 30_000;
/** The fake Stripe: pinned, installed from PyPI into a cached venv of its own. */
const LOCALSTRIPE = "localstripe==1.15.10";
const SECRET_KEY = "sk_test_offline_flow";
const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString("hex")}`;
const PRICE = "price_starter_month";
const EMAIL = "payer@example.com";
/** With teams: a member (not an owner) of the payer's team "Acme". */
const MEMBER_EMAIL = "member@example.com";
const PASSWORD = `pass-${randomBytes(12).toString("hex")}`;
/** Webhooks arrive asynchronously (localstripe waits a second before each): bounded polling. */
const POLL_ATTEMPTS = 40;
const POLL_INTERVAL_MS = 250;

/** A page behind the access gate, as a user of the module writes one. */
const PAID_VIEW = `from django.http import HttpRequest, HttpResponse

from .billing.access import subscription_required


@subscription_required
def paid(request: HttpRequest) -> HttpResponse:
    return HttpResponse("paid content")
`;

/** The payer (and, with teams, a member of their team "Acme"), signed up and verified. */
function createAccounts(withTeams: boolean): string {
  const account = (email: string) => [
    `user = get_user_model().objects.create_user(email="${email}", password="${PASSWORD}")`,
    `EmailAddress.objects.create(user=user, email="${email}", verified=True, primary=True)`,
  ];
  return [
    "from allauth.account.models import EmailAddress",
    "from django.contrib.auth import get_user_model",
    ...account(EMAIL),
    ...(withTeams
      ? [
          `from ${NAME}.teams.membership import add_member, create_team`,
          `from ${NAME}.teams.models import Role`,
          'team = create_team(user, "Acme")',
          ...account(MEMBER_EMAIL),
          "add_member(team, user, Role.MEMBER)",
        ]
      : []),
  ].join("\n");
}

/**
 * The whole subscription flow, offline: the project (auth and billing added, a page behind
 * the gate) served by gunicorn against a fake Stripe on 127.0.0.1: localstripe for
 * customers, plans, subscriptions and signed webhooks, and a double for what it lacks
 * (Checkout and the portal). Plans exist, a signed-in user opens Checkout (the request the
 * app sends is asserted), the subscription is created, the signed webhook arrives, the
 * gate opens; a replay changes nothing, a forged event is refused; the subscription is
 * cancelled and the gate closes.
 *
 * With teams (added after billing: the order where teams wires the two; both orders give
 * the same project, as team-billing.spec shows), the same for a team: its owner checks
 * out, the gate opens for a second member too, who may not start Checkout nor open the
 * portal (403); the cancellation closes the gate for both.
 */
describe("billing, the subscription flow against a fake Stripe on this machine", () => {
  describeFlow(false);
});

describe("billing with teams, the subscription flow of a team against a fake Stripe", () => {
  describeFlow(true);
});

function describeFlow(withTeams: boolean): void {
  let project: { root: string; dir: string } | undefined;
  let db: ThrowawayDatabase | undefined;
  let localstripe: RunningServer | undefined;
  let double: StripeDouble | undefined;
  let site: RunningServer | undefined;

  beforeAll(async () => {
    project = withTeams
      ? await generateWithTeamsAndBilling("billing-flow-teams", NAME, "billing-then-teams")
      : await generateWithBilling("billing-flow", NAME, () => undefined);
    const dir = project.dir;
    writeFileSync(join(dir, NAME, "paid.py"), PAID_VIEW);
    appendFileSync(
      join(dir, NAME, "urls.py"),
      `\nfrom .paid import paid  # noqa: E402\n\nurlpatterns += [path("paid/", paid, name="paid")]\n`,
    );
    const [py, tools, database] = await Promise.all([
      ensureProjectEnv(dir),
      ensureVenv([LOCALSTRIPE]),
      createThrowawayDatabase(),
    ]);
    db = database;
    localstripe = await startServer({
      command: tools.bin("localstripe"),
      args: ["--port", "{port}", "--from-scratch"],
      cwd: project.root,
      env: tools.env(),
      readyPath: "/js.stripe.com/v3/",
      timeoutMs: SERVER_WAIT_MS,
    });
    double = new StripeDouble(localstripe.origin, SECRET_KEY);
    await double.start();
    const env: Record<string, string> = {
      DJANGO_SETTINGS_MODULE: `${NAME}.settings.local`,
      DATABASE_URL: database.url,
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_PUBLISHABLE_KEY: "pk_test_offline_flow",
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: double.origin,
      STRIPE_PRICE_STARTER_MONTHLY: PRICE,
    };
    await manage(py, dir, env, ["migrate", "--noinput"]);
    await manage(py, dir, env, ["shell", "-c", createAccounts(withTeams)]);
    site = await startServer({
      command: py.bin("gunicorn"),
      args: [`${NAME}.wsgi`, "--bind", "127.0.0.1:{port}"],
      cwd: dir,
      // The session sends X-Forwarded-Proto: https, as behind a proxy; the form's origin is plain http.
      env: py.env({ ...env, CSRF_TRUSTED_ORIGINS: "http://127.0.0.1:{port}" }),
      readyPath: "/healthz",
      timeoutMs: SERVER_WAIT_MS,
    });
    // The price exists in "Stripe" (localstripe knows it as a plan), and Stripe posts the
    // subscription's events, signed, to the project's webhook.
    await double.stripe("POST", "/v1/products", { id: "prod_starter", name: "Starter" });
    await double.stripe("POST", "/v1/plans", {
      id: PRICE,
      product: "prod_starter",
      amount: "900",
      currency: "usd",
      interval: "month",
    });
    await double.stripe("POST", "/_config/webhooks/project", {
      url: `${site.origin}/billing/webhook/`,
      secret: WEBHOOK_SECRET,
    });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await site?.stop();
    await double?.stop();
    await localstripe?.stop();
    await db?.drop();
    if (project !== undefined) {
      removeDir(project.root);
    }
  }, COMMAND_TIMEOUT_MS);

  it(
    withTeams
      ? "a team owner subscribes through Checkout, the gate opens for every member on the signed webhook, and closes for all on cancellation"
      : "subscribes through Checkout, opens the gate on the signed webhook, and closes it on cancellation",
    async () => {
      const server = required(site, "gunicorn did not start (see the beforeAll failure).");
      const stripe = required(double, "The Stripe double did not start (see the beforeAll failure).");
      const logs = (): string => `${server.output()}\n${localstripe?.output() ?? ""}`;
      const browser = new BrowserSession({ serverOrigin: server.origin, siteOrigin: server.origin });
      const secureOrigin = server.origin.replace(/^http:/, "https:");
      const expectStatus = (response: PageResponse, status: number): void => {
        expect(response.status)
          .withContext(`${response.method} ${response.path}\n${response.body.slice(0, 2000)}\n${logs()}`)
          .toBe(status);
      };
      /** GETs `path` until `done` holds, a bounded number of times. */
      const poll = async (
        path: string,
        done: (page: PageResponse) => boolean,
        session = browser,
      ): Promise<PageResponse> => {
        let page = await session.get(path);
        for (let attempt = 1; attempt < POLL_ATTEMPTS && !done(page); attempt++) {
          await delay(POLL_INTERVAL_MS);
          page = await session.get(path);
        }
        return page;
      };
      const signIn = async (session: BrowserSession, email: string): Promise<void> => {
        const login = await session.get("/accounts/login/");
        const signedIn = await session.post(
          "/accounts/login/",
          { ...hiddenFields(login, "/accounts/login/"), login: email, password: PASSWORD },
          "/accounts/login/",
        );
        expectStatus(signedIn, 302);
      };

      // The plans exist: the pricing page offers the Starter plan's monthly price.
      const pricing = await browser.get("/billing/pricing/");
      expectStatus(pricing, 200);
      expect(pricing.body).toContain("9.00 USD per month");

      // Sign in (with teams: the owner of Acme, whose first team it is); the gate is closed.
      await signIn(browser, EMAIL);
      const closed = await browser.get("/paid/");
      expectStatus(closed, 302);
      expect(browser.redirectPath(closed)).toBe("/billing/pricing/");

      // Checkout: the app creates the customer in Stripe, then a Checkout Session, and
      // sends the browser to Stripe's page.
      const page = await browser.get("/billing/pricing/");
      const checkout = await browser.post(
        "/billing/checkout/",
        { ...hiddenFields(page, "/billing/checkout/"), plan: "starter", interval: "month" },
        "/billing/pricing/",
      );
      expectStatus(checkout, 303);
      const sent = stripe.requests.filter((request) => request.method === "POST");
      expect(sent.map((request) => request.path)).toEqual(["/v1/customers", "/v1/checkout/sessions"]);
      const [customerRequest, sessionRequest] = sent;
      expect(customerRequest?.form["email"]).toBe(EMAIL);
      expect(customerRequest?.form).toEqual(
        withTeams
          ? {
              email: EMAIL,
              name: "Acme",
              "metadata[team_id]": jasmine.stringMatching(/^\d+$/) as unknown as string,
            }
          : { email: EMAIL, "metadata[user_id]": jasmine.stringMatching(/^\d+$/) as unknown as string },
      );
      const session = [...stripe.sessions.values()][0];
      expect(checkout.headers["location"]).toBe(session?.url);
      const customer = await stripe.stripe("GET", `/v1/customers/${session?.customer ?? ""}`);
      expect(customer["email"]).withContext("the customer, in localstripe").toBe(EMAIL);
      expect(sessionRequest?.form).toEqual({
        mode: "subscription",
        customer: String(customer["id"]),
        client_reference_id: jasmine.stringMatching(/^\d+$/) as unknown as string,
        "line_items[0][price]": PRICE,
        "line_items[0][quantity]": "1",
        "subscription_data[trial_period_days]": "14",
        // Absolute addresses on https: the request came through the (simulated) TLS proxy.
        success_url: `${secureOrigin}/billing/success/?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${secureOrigin}/billing/cancel/`,
      });

      // The customer pays: the subscription is created, the signed webhook arrives, and
      // the app reads the subscription back from Stripe. The gate opens.
      const completed = await stripe.completeCheckout(
        session?.id ?? "",
        `${server.origin}/billing/webhook/`,
        WEBHOOK_SECRET,
      );
      expect(completed.status).withContext(logs()).toBe(200);
      expect(stripe.requests.map((request) => `${request.method} ${request.path}`)).toContain(
        `GET /v1/subscriptions/${completed.subscription}`,
      );
      const open = await poll("/paid/", (response) => response.status === 200);
      expectStatus(open, 200);
      expect(open.body).toBe("paid content");
      const account = await browser.get("/billing/account/");
      expect(account.body).toContain("<strong>Starter</strong>");
      expect(account.body).toContain("active, billed every month.");
      const profile = await browser.get("/accounts/profile/");
      expect(profile.body).withContext("the plan on the account page").toContain("<strong>Starter</strong>");

      // With teams, the team subscribed: a second member passes the gate, sees the plan,
      // and may neither start Checkout nor open the portal.
      const member = new BrowserSession({ serverOrigin: server.origin, siteOrigin: server.origin });
      if (withTeams) {
        await signIn(member, MEMBER_EMAIL);
        const memberPaid = await member.get("/paid/");
        expectStatus(memberPaid, 200);
        expect(memberPaid.body).toBe("paid content");
        const memberAccount = await member.get("/billing/account/");
        expect(memberAccount.body).toContain("The plan of Acme, for all its members.");
        expect(memberAccount.body).toContain("<strong>Starter</strong>");
        expect(memberAccount.body).not.toContain("/billing/portal/");
        const sentBefore = stripe.requests.length;
        const memberPricing = await member.get("/billing/pricing/");
        const refusedCheckout = await member.post(
          "/billing/checkout/",
          { ...hiddenFields(memberPricing, "/billing/checkout/"), plan: "starter", interval: "month" },
          "/billing/pricing/",
        );
        expectStatus(refusedCheckout, 403);
        const refusedPortal = await member.post(
          "/billing/portal/",
          hiddenFields(memberPricing, "/billing/checkout/"),
          "/billing/account/",
        );
        expectStatus(refusedPortal, 403);
        expect(stripe.requests.length).withContext("no request to Stripe for a member").toBe(sentBefore);
      }

      // A replayed event changes nothing; a forged one is refused with 400.
      const replayed = await postJson(`${server.origin}/billing/webhook/`, completed.event, {
        "Stripe-Signature": completed.signature,
      });
      expect(replayed).toEqual({ status: 200, body: "Already handled." });
      const forged = await postJson(`${server.origin}/billing/webhook/`, completed.event, {
        "Stripe-Signature": signPayload(completed.event, "whsec_not_the_secret"),
      });
      expect(forged.status).toBe(400);
      const unsigned = await postJson(`${server.origin}/billing/webhook/`, completed.event);
      expect(unsigned.status).toBe(400);

      // The customer portal opens for the customer.
      const portal = await browser.post(
        "/billing/portal/",
        hiddenFields(account, "/billing/portal/"),
        "/billing/account/",
      );
      expectStatus(portal, 303);
      expect(portal.headers["location"]).toMatch(new RegExp(`^${stripe.origin}/portal/bps_`));
      expect(stripe.requests.at(-1)?.form).toEqual({
        customer: String(customer["id"]),
        return_url: `${secureOrigin}/billing/account/`,
      });

      // Cancelled (as from the portal): localstripe posts customer.subscription.deleted,
      // signed, and the gate closes.
      await stripe.stripe("DELETE", `/v1/subscriptions/${completed.subscription}`);
      const shut = await poll("/paid/", (response) => response.status === 302);
      expectStatus(shut, 302);
      expect(browser.redirectPath(shut)).toBe("/billing/pricing/");
      expect((await browser.get("/billing/account/")).body).toContain("No subscription.");
      if (withTeams) {
        const memberShut = await member.get("/paid/");
        expectStatus(memberShut, 302);
        expect(member.redirectPath(memberShut)).toBe("/billing/pricing/");
      }
    },
    2 * COMMAND_TIMEOUT_MS,
  );
}

async function manage(
  py: PythonEnv,
  dir: string,
  env: Record<string, string>,
  args: readonly string[],
): Promise<void> {
  const result = await py.run("python", ["manage.py", ...args], {
    cwd: dir,
    env,
    timeoutMs: COMMAND_TIMEOUT_MS,
  });
  if (result.code !== 0) {
    throw new Error(`manage.py ${args[0] ?? ""} failed:\n${describeRun(result)}`);
  }
}
