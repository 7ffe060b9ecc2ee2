import { request } from "node:http";
import { HttpResponse } from "./server";

/** A response with the page's address, for following redirects and reading forms. */
export interface PageResponse extends HttpResponse {
  method: "GET" | "POST";
  path: string;
}

export interface BrowserSessionOptions {
  /** Where the server listens, e.g. `http://127.0.0.1:8000`. */
  serverOrigin: string;
  /** The public origin the proxy in front would serve, e.g. `https://example.com`. */
  siteOrigin: string;
  timeoutMs?: number;
}

/**
 * A browser behind a TLS-terminating proxy, talking to the application server directly
 * over plain HTTP: each request carries the public `Host`, `X-Forwarded-Proto: https`
 * and, for a POST, the `Origin` and `Referer` a browser sends. It keeps cookies itself
 * and sends them back whatever their `Secure` flag (a cookie jar would withhold Secure
 * cookies over plain HTTP, though the browser behind the proxy does use HTTPS). It never
 * follows redirects: the specs look at each one.
 */
export class BrowserSession {
  private readonly cookies = new Map<string, string>();
  private readonly site: URL;

  constructor(private readonly options: BrowserSessionOptions) {
    this.site = new URL(options.siteOrigin);
  }

  /** The host name requests carry (the site origin's host). */
  get host(): string {
    return this.site.host;
  }

  /** The cookies the session holds, by name. */
  cookieNames(): string[] {
    return [...this.cookies.keys()].sort();
  }

  get(path: string): Promise<PageResponse> {
    return this.send("GET", path);
  }

  /** POSTs `fields` form-encoded, as a browser submits a form of the page at `referer`. */
  post(path: string, fields: Record<string, string>, referer: string = path): Promise<PageResponse> {
    return this.send("POST", path, new URLSearchParams(fields).toString(), referer);
  }

  /** The path a redirect points to, relative to the site (its location must be on the site). */
  redirectPath(response: PageResponse): string {
    const location = response.headers["location"];
    if (location === undefined) {
      throw new Error(`${response.method} ${response.path} answered ${response.status} without a Location`);
    }
    const target = new URL(location, new URL(response.path, this.site));
    if (target.origin !== this.site.origin) {
      throw new Error(`${response.method} ${response.path} redirects off the site, to ${location}`);
    }
    return `${target.pathname}${target.search}`;
  }

  private send(method: "GET" | "POST", path: string, body?: string, referer?: string): Promise<PageResponse> {
    const headers: Record<string, string> = {
      Host: this.site.host,
      "X-Forwarded-Proto": "https",
      Accept: "text/html",
    };
    if (this.cookies.size > 0) {
      headers["Cookie"] = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    }
    if (body !== undefined) {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      headers["Content-Length"] = String(Buffer.byteLength(body));
      headers["Origin"] = this.site.origin;
      headers["Referer"] = new URL(referer ?? path, this.site).toString();
    }
    const url = new URL(path, this.options.serverOrigin);
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers, timeout: timeoutMs }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          this.keepCookies(res.headers["set-cookie"] ?? []);
          const flat: Record<string, string> = {};
          for (const [key, value] of Object.entries(res.headers)) {
            if (value !== undefined) {
              flat[key] = Array.isArray(value) ? value.join("\n") : value;
            }
          }
          resolve({ method, path, status: res.statusCode ?? 0, headers: flat, body: text });
        });
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end(body);
    });
  }

  /** Stores each `Set-Cookie`; one that expires it (`Max-Age=0`, a past date) removes the cookie. */
  private keepCookies(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
      const equals = pair.indexOf("=");
      if (equals <= 0) {
        continue;
      }
      const name = pair.slice(0, equals);
      const value = pair.slice(equals + 1).replace(/^"(.*)"$/, "$1");
      const expired = attributes.some((attribute) => {
        const [key = "", setting = ""] = attribute.split("=", 2);
        if (key.toLowerCase() === "max-age") {
          return Number(setting) <= 0;
        }
        return key.toLowerCase() === "expires" && Date.parse(setting) <= Date.now();
      });
      if (expired) {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, value);
      }
    }
  }
}

/**
 * The fields of the first `<form>` of a page whose action is `action` (or the page's
 * first form when `action` is omitted): hidden inputs with their values, such as
 * Django's `csrfmiddlewaretoken`. Throws, quoting the page, when there is no such form.
 */
export function hiddenFields(page: PageResponse, action?: string): Record<string, string> {
  for (const [form, attributes = ""] of page.body.matchAll(/<form\b([^>]*)>[\s\S]*?<\/form>/gi)) {
    const formAction = attribute(attributes, "action");
    if (action !== undefined && formAction !== action) {
      continue;
    }
    const fields: Record<string, string> = {};
    for (const [input] of form.matchAll(/<input\b[^>]*>/gi)) {
      const name = attribute(input, "name");
      if (name !== undefined && attribute(input, "type")?.toLowerCase() === "hidden") {
        fields[name] = decodeEntities(attribute(input, "value") ?? "");
      }
    }
    return fields;
  }
  throw new Error(
    `${page.method} ${page.path} has no form${action === undefined ? "" : ` posting to ${action}`}:\n${page.body}`,
  );
}

/**
 * The action of the first form of `page` whose action matches `pattern`: for a form whose
 * action the server signs anew at each render (allauth's email confirmation re-signs its
 * key with the current second), so a spec follows the page instead of predicting it.
 */
export function formAction(page: PageResponse, pattern: RegExp): string {
  for (const [, attributes = ""] of page.body.matchAll(/<form\b([^>]*)>/gi)) {
    const action = attribute(attributes, "action");
    if (action !== undefined && pattern.test(action)) {
      return decodeEntities(action);
    }
  }
  throw new Error(`${page.method} ${page.path} has no form posting to ${String(pattern)}:\n${page.body}`);
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag);
  return match === null ? undefined : (match[1] ?? match[2] ?? match[3]);
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
