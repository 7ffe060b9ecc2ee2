import { existsSync } from "node:fs";
import { createServer, RequestListener } from "node:http";
import { Browser, BrowserContext, chromium, Page } from "playwright-core";
import { networkEnv } from "./network-env";
import { baseEnv, describeRun, REPO_ROOT, run, RunResult } from "./process";

/**
 * A real browser for the e2e specs: Debian's `chromium` package, driven by playwright-core
 * (which downloads no browser of its own). Set QUICKSCALE_E2E_CHROMIUM to use another
 * Chromium binary.
 */
export const CHROMIUM_PATH = process.env["QUICKSCALE_E2E_CHROMIUM"] ?? "/usr/bin/chromium";

/** Upper bound for installing the package (downloads about 100 MB on a fresh machine). */
export const CHROMIUM_INSTALL_TIMEOUT_MS = 10 * 60_000;

/**
 * The path of Chromium, installing Debian's package first when it is missing and this
 * process runs as root. Otherwise a missing browser fails with what to install.
 */
export async function ensureChromium(): Promise<string> {
  if (existsSync(CHROMIUM_PATH)) {
    return CHROMIUM_PATH;
  }
  if (process.env["QUICKSCALE_E2E_CHROMIUM"] !== undefined || process.getuid?.() !== 0) {
    throw new Error(
      `The browser specs need Chromium at ${CHROMIUM_PATH}, which is missing: install it ` +
        "(on Debian or Ubuntu: sudo apt-get install -y chromium), or set QUICKSCALE_E2E_CHROMIUM " +
        "to the path of a Chromium binary.",
    );
  }
  await installChromium();
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`apt-get installed chromium, but ${CHROMIUM_PATH} is still missing.`);
  }
  return CHROMIUM_PATH;
}

async function installChromium(): Promise<void> {
  const env = baseEnv({ ...networkEnv(), DEBIAN_FRONTEND: "noninteractive" });
  // Wait for another apt run (the machine's own, another test run) instead of failing.
  const apt = (args: readonly string[]): Promise<RunResult> =>
    run("apt-get", ["-o", "DPkg::Lock::Timeout=300", ...args], {
      cwd: REPO_ROOT,
      env,
      timeoutMs: CHROMIUM_INSTALL_TIMEOUT_MS,
    });
  const install = (): Promise<RunResult> => apt(["install", "-y", "--no-install-recommends", "chromium"]);
  let result = await install();
  if (result.code !== 0) {
    // A fresh machine has no package lists yet, or old ones.
    const update = await apt(["update"]);
    if (update.code !== 0) {
      throw new Error(`apt-get update failed, so Chromium could not be installed:\n${describeRun(update)}`);
    }
    result = await install();
  }
  if (result.code !== 0) {
    throw new Error(`Installing Debian's chromium package failed:\n${describeRun(result)}`);
  }
}

/** Headless Chromium (installed first when needed, see {@link ensureChromium}). Close it in `afterAll`. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: await ensureChromium(), headless: true });
}

/** What went wrong in a page while it was watched, each as one readable line. */
export interface PageProblems {
  /** `securitypolicyviolation` events: the directive, what it blocked and where. */
  cspViolations: string[];
  /** Console messages of type error or warning, and any message about a Content Security Policy. */
  consoleMessages: string[];
  /** Exceptions no script caught. */
  pageErrors: string[];
  /** Requests that got no response (a resource the policy blocked, a refused connection, …). */
  failedRequests: string[];
}

/** A page of its own context whose problems are recorded from its first script on, across navigations. */
export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /**
   * Waits until violations already raised in the page have been reported, then returns the
   * problems recorded since the last call and forgets them.
   */
  takeProblems(): Promise<PageProblems>;
  close(): Promise<void>;
}

export interface WatchedPageOptions {
  /** Headers sent with every request, e.g. the `X-Forwarded-Proto` a TLS proxy adds. */
  extraHTTPHeaders?: Record<string, string>;
  /** The window's size, and whether it is a phone's (a touch screen that honours the viewport meta tag). */
  viewport?: { width: number; height: number; phone?: boolean };
}

/** The binding the init script reports each violation through. */
const VIOLATION_BINDING = "__quickscaleReportViolation";

/**
 * Runs before any script of every document (playwright injects it through the DevTools
 * protocol, so the page's own policy does not apply to it).
 */
const REPORT_VIOLATIONS = `
document.addEventListener("securitypolicyviolation", (event) => {
  window.${VIOLATION_BINDING}(
    event.effectiveDirective + " blocked " + (event.blockedURI || "(inline)") +
      " in " + event.documentURI +
      (event.sourceFile ? " at " + event.sourceFile + ":" + event.lineNumber : "") +
      (event.sample ? " (" + event.sample + ")" : ""),
  );
}, true);
`;

/** Opens a page in a fresh context (its own cookies) of `browser`, watching it for problems. */
export async function openWatchedPage(
  browser: Browser,
  options: WatchedPageOptions = {},
): Promise<WatchedPage> {
  const { extraHTTPHeaders, viewport } = options;
  const context = await browser.newContext({
    ...(extraHTTPHeaders === undefined ? {} : { extraHTTPHeaders }),
    ...(viewport === undefined
      ? {}
      : {
          viewport: { width: viewport.width, height: viewport.height },
          isMobile: viewport.phone === true,
          hasTouch: viewport.phone === true,
        }),
  });
  let problems = noProblems();
  await context.exposeBinding(VIOLATION_BINDING, (_source, line: unknown) => {
    problems.cspViolations.push(String(line));
  });
  await context.addInitScript(REPORT_VIOLATIONS);
  const page = await context.newPage();
  page.on("console", (message) => {
    const text = message.text();
    if (["error", "warning"].includes(message.type()) || /content security policy/i.test(text)) {
      const { url, lineNumber } = message.location();
      problems.consoleMessages.push(
        `${message.type()}: ${text}${url === "" ? "" : ` at ${url}:${lineNumber}`}`,
      );
    }
  });
  page.on("pageerror", (error) => {
    problems.pageErrors.push(error.stack ?? error.message);
  });
  page.on("requestfailed", (request) => {
    const error = request.failure()?.errorText ?? "failed";
    // The browser aborts what a page still loads when the next navigation starts (its
    // icon, typically): the spec's doing, not the site's. A request the policy blocks
    // fails with net::ERR_BLOCKED_BY_CSP, and is reported as a violation too.
    if (error !== "net::ERR_ABORTED") {
      problems.failedRequests.push(`${request.method()} ${request.url()}: ${error}`);
    }
  });
  return {
    page,
    context,
    takeProblems: async () => {
      // A violation is reported in a task of its own: two more tasks, and it has been.
      await page.evaluate(() => new Promise((resolve) => setTimeout(() => setTimeout(resolve, 0), 0)));
      const taken = problems;
      problems = noProblems();
      return taken;
    },
    close: () => context.close(),
  };
}

function noProblems(): PageProblems {
  return { cspViolations: [], consoleMessages: [], pageErrors: [], failedRequests: [] };
}

/** What a page without a problem reports, to compare with. */
export const NO_PROBLEMS: PageProblems = noProblems();

/**
 * Chromium's console line for the page the specs visit on purpose to see a 404, the one
 * problem they expect.
 */
const EXPECTED_404 =
  /^error: Failed to load resource: the server responded with a status of 404 \(Not Found\) at http:\/\/127\.0\.0\.1:\d+\/no-such-page\/:\d+$/;

/** `problems` without the console line of the deliberate 404 ({@link EXPECTED_404}). */
export function withoutExpected404(problems: PageProblems): PageProblems {
  return {
    ...problems,
    consoleMessages: problems.consoleMessages.filter((line) => !EXPECTED_404.test(line)),
  };
}

/** True when nothing went wrong. */
export function hasNoProblems(problems: PageProblems): boolean {
  return Object.values(problems).every((list: string[]) => list.length === 0);
}

/**
 * Chromium and a throwaway HTTP server on 127.0.0.1 answering with `handler`, started
 * before the specs of the enclosing `describe` and stopped after them: for the specs that
 * prove a check can fail, on a page made to break it.
 */
export function browserWithPageServer(
  handler: RequestListener,
  setupTimeoutMs: number,
  teardownTimeoutMs: number,
): { browser: () => Browser; origin: () => string } {
  let browser: Browser | undefined;
  const server = createServer(handler);
  let origin = "";
  beforeAll(async () => {
    browser = await launchBrowser();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    origin =
      typeof address === "object" && address !== null ? `http://127.0.0.1:${String(address.port)}` : "";
  }, setupTimeoutMs);
  afterAll(async () => {
    await browser?.close();
    if (server.listening) {
      await new Promise((resolve) => {
        server.close(resolve);
      });
    }
  }, teardownTimeoutMs);
  return {
    browser: () => {
      if (browser === undefined) {
        throw new Error("Chromium did not start.");
      }
      return browser;
    },
    origin: () => origin,
  };
}
