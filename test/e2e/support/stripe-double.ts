import { createHmac, randomBytes } from "node:crypto";
import { createServer, IncomingMessage, request, Server, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";

/** A request the application sent to "Stripe", with its form fields decoded. */
export interface SentRequest {
  method: string;
  path: string;
  form: Record<string, string>;
}

/** A Checkout Session as Stripe describes it, with the fields the flow reads. */
export interface CheckoutSession {
  id: string;
  object: "checkout.session";
  mode: string;
  customer: string;
  client_reference_id: string;
  url: string;
  status: "open" | "complete";
  subscription: string | null;
  /** The form the application sent to create it. */
  params: Record<string, string>;
}

/**
 * Stripe's API on 127.0.0.1 for the end-to-end flow: what localstripe lacks (Checkout and
 * Billing Portal sessions, shaped like Stripe's documented responses) answered here; every
 * other request forwarded to localstripe, which keeps customers, plans and subscriptions
 * and delivers signed webhooks itself. Every request is recorded, so a spec can assert
 * what the application sent. No request leaves the machine.
 * https://docs.stripe.com/api/checkout/sessions/object
 * https://docs.stripe.com/api/customer_portal/sessions/object
 */
export class StripeDouble {
  readonly requests: SentRequest[] = [];
  readonly sessions = new Map<string, CheckoutSession>();
  private server: Server | undefined;
  origin = "";

  constructor(
    /** localstripe's origin, e.g. `http://127.0.0.1:18401`. */
    private readonly localstripe: string,
    /** The secret key the application uses, for the double's own calls to localstripe. */
    private readonly secretKey: string,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: { type: "api_error", message: String(error) } }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const address = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server !== undefined) {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    }
  }

  /** Calls localstripe's API directly (as Stripe's dashboard or the portal would act). */
  async stripe(
    method: string,
    path: string,
    form: Record<string, string> = {},
  ): Promise<Record<string, unknown>> {
    const body = new URLSearchParams(form).toString();
    const answer = await forward(
      this.localstripe,
      method,
      path,
      {
        authorization: `Bearer ${this.secretKey}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body,
    );
    if (answer.status >= 300) {
      throw new Error(`localstripe ${method} ${path} answered ${answer.status}: ${answer.body}`);
    }
    // /_config/ endpoints answer with an empty body.
    return (answer.body === "" ? {} : JSON.parse(answer.body)) as Record<string, unknown>;
  }

  /**
   * What Stripe does when the customer pays on the Checkout page: the subscription is
   * created (in localstripe, with the session's price and trial), the session completes,
   * and `checkout.session.completed` is signed with `secret` and posted to `webhookUrl`.
   * Returns the webhook's status, the subscription's id and the event that was sent.
   */
  async completeCheckout(
    sessionId: string,
    webhookUrl: string,
    secret: string,
  ): Promise<{ status: number; subscription: string; event: string; signature: string }> {
    const session = this.sessions.get(sessionId);
    if (session === undefined) {
      throw new Error(`No Checkout Session ${sessionId}`);
    }
    // The card the customer enters on Stripe's page becomes their default payment method.
    const card = await this.stripe("POST", "/v1/payment_methods", {
      type: "card",
      "card[number]": "4242424242424242",
      "card[exp_month]": "12",
      "card[exp_year]": String(new Date().getFullYear() + 2),
      "card[cvc]": "123",
    });
    const method = String(card["id"]);
    await this.stripe("POST", `/v1/payment_methods/${method}/attach`, { customer: session.customer });
    await this.stripe("POST", `/v1/customers/${session.customer}`, {
      "invoice_settings[default_payment_method]": method,
    });
    // localstripe knows prices as (legacy) plans of the same id. It does not model trials
    // (a subscription with one stays incomplete there), so the session's trial days are
    // for the spec to assert on the request the application sent, not passed on here.
    const subscription = await this.stripe("POST", "/v1/subscriptions", {
      customer: session.customer,
      "items[0][plan]": session.params["line_items[0][price]"] ?? "",
    });
    session.status = "complete";
    session.subscription = String(subscription["id"]);
    const event = JSON.stringify({
      id: `evt_${randomBytes(12).toString("hex")}`,
      object: "event",
      type: "checkout.session.completed",
      livemode: false,
      created: Math.floor(Date.now() / 1000),
      data: { object: { ...publicFields(session), payment_status: "paid" } },
    });
    const signature = signPayload(event, secret);
    const delivered = await postJson(webhookUrl, event, { "Stripe-Signature": signature });
    return { status: delivered.status, subscription: session.subscription, event, signature };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", this.origin);
    const form = Object.fromEntries(new URLSearchParams(req.method === "GET" ? url.search : body));
    this.requests.push({ method: req.method ?? "", path: url.pathname, form });
    if (req.method === "POST" && url.pathname === "/v1/checkout/sessions") {
      const id = `cs_test_${randomBytes(12).toString("hex")}`;
      const session: CheckoutSession = {
        id,
        object: "checkout.session",
        mode: form["mode"] ?? "",
        customer: form["customer"] ?? "",
        client_reference_id: form["client_reference_id"] ?? "",
        url: `${this.origin}/pay/${id}`,
        status: "open",
        subscription: null,
        params: form,
      };
      this.sessions.set(id, session);
      json(res, 200, publicFields(session));
      return;
    }
    if (req.method === "POST" && url.pathname === "/v1/billing_portal/sessions") {
      const id = `bps_${randomBytes(12).toString("hex")}`;
      json(res, 200, {
        id,
        object: "billing_portal.session",
        customer: form["customer"],
        return_url: form["return_url"],
        url: `${this.origin}/portal/${id}`,
      });
      return;
    }
    const answer = await forward(
      this.localstripe,
      req.method ?? "GET",
      `${url.pathname}${url.search}`,
      {
        authorization: req.headers.authorization ?? "",
        "content-type": req.headers["content-type"] ?? "application/x-www-form-urlencoded",
      },
      body,
    );
    res.writeHead(answer.status, { "Content-Type": "application/json" });
    res.end(answer.body);
  }
}

/** The `Stripe-Signature` header Stripe sends: HMAC-SHA256 over `t.payload`. */
export function signPayload(
  payload: string,
  secret: string,
  timestamp = Math.floor(Date.now() / 1000),
): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

/** A session as Stripe shows it: without the form the double keeps for the spec. */
function publicFields(session: CheckoutSession): Omit<CheckoutSession, "params"> {
  return Object.fromEntries(Object.entries(session).filter(([key]) => key !== "params")) as Omit<
    CheckoutSession,
    "params"
  >;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => {
      resolve(text);
    });
    req.on("error", reject);
  });
}

interface Answer {
  status: number;
  body: string;
}

function forward(
  origin: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<Answer> {
  return send(
    new URL(path, origin),
    method,
    { ...headers, "content-length": String(Buffer.byteLength(body)) },
    body,
  );
}

/** POSTs a JSON body, as Stripe delivers a webhook. */
export function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  return send(
    new URL(url),
    "POST",
    {
      ...headers,
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
    },
    body,
  );
}

function send(url: URL, method: string, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, timeout: 10_000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body: text });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${url.href} timed out`)));
    req.on("error", reject);
    req.end(method === "GET" ? undefined : body);
  });
}
