import { ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { createServer } from "node:net";
import { killGroup, tail, trackGroup, untrackGroup } from "./process";
import type { PythonEnv } from "./python-env";

/** A port nobody listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === "string") {
          reject(new Error("No port assigned"));
        } else {
          resolve(address.port);
        }
      });
    });
  });
}

export interface ServerOptions {
  command: string;
  /** Arguments; the text `{port}` in any of them becomes the chosen port. */
  args: readonly string[];
  cwd: string;
  /** Its environment; `{port}` in a value becomes the chosen port (e.g. in an allowed origin). */
  env: NodeJS.ProcessEnv;
  /** Polled until the server answers anything at all (a redirect counts). */
  readyPath: string;
  /** Headers for the readiness poll (a Host the server allows, …). */
  readyHeaders?: Record<string, string>;
  /** Upper bound for the whole wait. */
  timeoutMs?: number;
}

/** A server process listening on 127.0.0.1. */
export interface RunningServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Everything it printed so far (its tail), for failure messages. */
  output(): string;
  /** SIGTERM to its process group, SIGKILL after a grace period; resolves once it is gone. */
  stop(): Promise<void>;
}

const POLL_INTERVAL_MS = 250;

/**
 * Starts a server on a free port and waits (bounded in time and in attempts) until it
 * answers. Fails with the server's output when it exits early or never answers; in both
 * cases nothing is left running.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const port = await freePort();
  const withPort = (text: string): string => text.split("{port}").join(String(port));
  const args = options.args.map(withPort);
  const env = Object.fromEntries(
    Object.entries(options.env).map(([key, value]) => [key, value === undefined ? value : withPort(value)]),
  );
  const child = spawn(options.command, args, {
    cwd: options.cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  trackGroup(child.pid);
  let output = "";
  const append = (chunk: string): void => {
    output = tail(output + chunk, 50_000);
  };
  child.stdout.setEncoding("utf8").on("data", append);
  child.stderr.setEncoding("utf8").on("data", append);
  const exited = new Promise<string>((resolve) => {
    child.on("error", (error) => {
      resolve(`failed to start: ${error.message}`);
    });
    child.on("exit", (code, signal) => {
      untrackGroup(child.pid);
      resolve(signal !== null ? `killed by ${signal}` : `exited with code ${String(code)}`);
    });
  });
  let exitReason: string | undefined;
  void exited.then((reason) => (exitReason = reason));
  const origin = `http://127.0.0.1:${port}`;
  const server: RunningServer = {
    port,
    origin,
    output: () => output,
    stop: () => stopProcess(child, exited),
  };

  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const shown = [options.command, ...args].join(" ");
  for (let attempt = 0; attempt < Math.ceil(timeoutMs / POLL_INTERVAL_MS) + 1; attempt++) {
    if (exitReason !== undefined) {
      throw new Error(`Server "${shown}" ${exitReason} before answering. Its output:\n${output}`);
    }
    try {
      await httpGet(`${origin}${options.readyPath}`, options.readyHeaders ?? {}, 2_000);
      return server;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      break;
    }
    await sleep(POLL_INTERVAL_MS);
  }
  await server.stop();
  throw new Error(`Server "${shown}" did not answer within ${timeoutMs} ms. Its output:\n${output}`);
}

async function stopProcess(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    killGroup(child.pid, "SIGKILL"); // Workers it may have left behind.
    return;
  }
  killGroup(child.pid, "SIGTERM");
  const graceful = await within(exited, 10_000);
  killGroup(child.pid, "SIGKILL");
  if (!graceful) {
    await within(exited, 5_000);
  }
}

/** Waits for `promise` at most `ms`; true when it settled in time. Leaves no timer behind. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * gunicorn from the venv `py` serving the WSGI application of the project `name` (its
 * folder `dir`) with `env` on a free port, ready once /healthz answers for the Host `host`.
 */
export function startGunicorn(options: {
  py: PythonEnv;
  dir: string;
  name: string;
  env: NodeJS.ProcessEnv;
  host: string;
  timeoutMs: number;
}): Promise<RunningServer> {
  return startServer({
    command: options.py.bin("gunicorn"),
    args: [`${options.name}.wsgi`, "--bind", "127.0.0.1:{port}"],
    cwd: options.dir,
    env: options.py.env(options.env),
    readyPath: "/healthz",
    readyHeaders: { Host: options.host },
    timeoutMs: options.timeoutMs,
  });
}
/** What an HTTP request got back (bodies are small pages here: read as text). */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * GET `url` with exactly `headers` (node:http lets us set Host, and neither follows
 * redirects nor asks for compression, so a test sees what the server sent).
 */
export function httpGet(
  url: string,
  headers: Record<string, string> = {},
  timeoutMs = 10_000,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", headers, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        const flat: Record<string, string> = {};
        for (const [key, value] of Object.entries(res.headers)) {
          if (value !== undefined) {
            flat[key] = Array.isArray(value) ? value.join(", ") : value;
          }
        }
        resolve({ status: res.statusCode ?? 0, headers: flat, body });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
