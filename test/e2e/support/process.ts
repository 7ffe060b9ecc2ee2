import { spawn } from "node:child_process";
import { join } from "node:path";

/** The repository root: compiled specs live in `dist/test/e2e/support`, four levels below it. */
export const REPO_ROOT = join(__dirname, "..", "..", "..", "..");

/** Our bin, as a user runs it. */
export const BIN = join(REPO_ROOT, "bin", "quickscale.js");

/** What a finished process left behind. */
export interface RunResult {
  command: string;
  /** The exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the process was killed for running past its timeout. */
  timedOut: boolean;
  durationMs: number;
}

export interface RunOptions {
  cwd: string;
  /** The whole environment of the child (nothing is inherited unless passed here). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Written to the child's stdin, which is then closed (stdin is empty otherwise). */
  input?: string;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Runs `command args` to completion, capturing its output. The child leads its own
 * process group so a timeout kills it with everything it started. Never rejects for a
 * failing command: callers assert on the result (and print it with {@link describeRun}).
 */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const shown = [command, ...args].join(" ");
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    trackGroup(child.pid);
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, "SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      untrackGroup(child.pid);
      resolve({
        command: shown,
        code: null,
        signal: null,
        stdout,
        stderr: `${stderr}${error.message}`,
        timedOut,
        durationMs: Date.now() - started,
      });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      untrackGroup(child.pid);
      resolve({ command: shown, code, signal, stdout, stderr, timedOut, durationMs: Date.now() - started });
    });
  });
}

/**
 * Process groups started by the specs. Children lead their own group (so a timeout can
 * kill what they started), which also shields them from a Ctrl-C meant for jasmine:
 * these are killed when jasmine exits or is interrupted instead.
 */
const liveGroups = new Set<number>();
let exitHooked = false;

/** Remembers a process group to kill if jasmine ends first. */
export function trackGroup(pid: number | undefined): void {
  if (pid === undefined) {
    return;
  }
  liveGroups.add(pid);
  if (!exitHooked) {
    exitHooked = true;
    const killAll = (): void => {
      liveGroups.forEach((group) => {
        killGroup(group, "SIGKILL");
      });
      liveGroups.clear();
    };
    process.on("exit", killAll);
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.once(signal, () => {
        killAll();
        process.kill(process.pid, signal);
      });
    }
  }
}

/** Forgets a process group that ended. */
export function untrackGroup(pid: number | undefined): void {
  if (pid !== undefined) {
    liveGroups.delete(pid);
  }
}

/** Sends `signal` to the process group led by `pid` (ignores a group already gone). */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) {
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** A failure message: the command, how it ended, and its output (long output keeps its tail). */
export function describeRun(result: RunResult, limit = 12_000): string {
  const ending = result.timedOut
    ? `timed out after ${result.durationMs} ms`
    : result.signal !== null
      ? `killed by ${result.signal}`
      : `exit code ${String(result.code)}`;
  return [
    `$ ${result.command}`,
    `(${ending})`,
    `--- stdout ---\n${tail(result.stdout, limit)}`,
    `--- stderr ---\n${tail(result.stderr, limit)}`,
  ].join("\n");
}

/** The last `limit` characters of `text`, marked when cut. */
export function tail(text: string, limit: number): string {
  return text.length <= limit ? text : `[… ${text.length - limit} characters cut …]\n${text.slice(-limit)}`;
}

/**
 * A minimal environment for child processes, so the developer's shell (a DATABASE_URL, a
 * DJANGO_SETTINGS_MODULE, an active virtualenv) cannot change what a test sees.
 */
export function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const keep = ["PATH", "HOME", "TMPDIR", "USER", "LOGNAME", "SHELL", "PYENV_ROOT", "PYENV_VERSION"];
  const env: NodeJS.ProcessEnv = { LANG: "C.UTF-8", LC_ALL: "C.UTF-8", NO_COLOR: "1" };
  for (const key of keep) {
    const value = process.env[key];
    if (value !== undefined) {
      env[key] = value;
    }
  }
  return { ...env, ...extra };
}

/** Runs our bin with `args` in `cwd` (a clean environment plus `env`). */
export function runBin(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<RunResult> {
  return run(process.execPath, [BIN, ...args], { cwd, env: baseEnv(env), timeoutMs: 60_000 });
}

/** A git identity for the commits specs make: a fresh machine may have none configured. */
export const GIT_IDENTITY: NodeJS.ProcessEnv = {
  GIT_AUTHOR_NAME: "QuickScale Tests",
  GIT_AUTHOR_EMAIL: "tests@quickscale.invalid",
  GIT_COMMITTER_NAME: "QuickScale Tests",
  GIT_COMMITTER_EMAIL: "tests@quickscale.invalid",
};

/** Expects `result` to have exited 0, showing the command and its output when it did not. */
export function expectSuccess(result: RunResult): void {
  expect(result.code).withContext(describeRun(result)).toBe(0);
}

/** What {@link expectOneLineError} checks beyond one `error: ` line and no crash. */
export interface OneLineErrorOptions {
  /** The exit code, when the spec pins it (else any non-zero one). */
  code?: number;
  /** What went wrong, as the line says it. */
  message?: RegExp;
  /** Nothing at all on stdout. */
  quietStdout?: boolean;
}

/**
 * A clean failure of a bin: an exit code (no signal, no crash), exactly one `error: ` line on
 * stderr and no stack trace, plus what `options` asks for.
 */
export function expectOneLineError(result: RunResult, options: OneLineErrorOptions = {}): void {
  expect(result.signal).withContext(describeRun(result)).toBeNull();
  if (options.code === undefined) {
    expect(result.code).withContext(describeRun(result)).not.toBe(0);
  } else {
    expect(result.code).withContext(describeRun(result)).toBe(options.code);
  }
  if (options.quietStdout === true) {
    expect(result.stdout).withContext("stdout").toBe("");
  }
  expect(result.stderr)
    .withContext(`exactly one line on stderr, starting with error:\n${describeRun(result)}`)
    .toMatch(/^error: [^\n]+\n$/);
  expect(result.stderr)
    .withContext("no stack trace")
    .not.toMatch(/\n\s+at /);
  if (options.message !== undefined) {
    expect(result.stderr).withContext("what went wrong").toMatch(options.message);
  }
}

/**
 * What a `beforeAll` set up, for a spec that needs it: a clear failure pointing at the
 * `beforeAll` failure when it is missing.
 */
export function required<T>(value: T | undefined, missing: string): T {
  if (value === undefined) {
    throw new Error(missing);
  }
  return value;
}
