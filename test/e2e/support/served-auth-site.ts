import { join } from "node:path";
import type { Browser } from "playwright-core";
import { launchBrowser } from "./browser";
import { removeDir, tempDir } from "./files";
import { createThrowawayDatabase } from "./postgres";
import { productionEnv } from "./production-env";
import { describeRun, runBin } from "./process";
import { ensureProjectEnv } from "./python-env";
import { RunningServer, startServer } from "./server";

const COMMAND_TIMEOUT_MS = 2 * 60_000;
const SERVER_WAIT_MS = 30_000;

/** A generated project with `add auth --mfa`, migrated and served by gunicorn, and a browser. */
export interface ServedAuthSite {
  /** The project folder. */
  dir: string;
  server: RunningServer;
  browser: Browser;
  /** `python manage.py args` with the production settings (and `extra`); its stdout, or throws. */
  manage(args: readonly string[], extra?: Record<string, string>): Promise<string>;
  /** Stops the server and the browser, drops the database, removes the project. */
  close(): Promise<void>;
}

/**
 * Generates `name` in a fresh folder labelled `label`, adds auth with MFA (then each of
 * `modules`, such as `teams`), migrates a
 * throwaway PostgreSQL database and collects the static files under the production
 * settings, serves it with gunicorn on 127.0.0.1 (as behind a TLS-terminating proxy: the
 * browser sends `X-Forwarded-Proto: https`) and launches Chromium. What was set up before a
 * failure is torn down again.
 */
export async function serveAuthSite(
  label: string,
  name: string,
  modules: readonly string[] = [],
): Promise<ServedAuthSite> {
  const root = tempDir(label);
  const dir = join(root, name);
  const cleanups: (() => Promise<void> | void)[] = [
    () => {
      removeDir(root);
    },
  ];
  const close = async (): Promise<void> => {
    for (const cleanup of [...cleanups].reverse()) {
      await cleanup();
    }
  };
  try {
    const generated = await runBin(["init", name, "--directory", dir, "--skip-git"], root);
    if (generated.code !== 0) {
      throw new Error(`Generating the project failed:\n${describeRun(generated)}`);
    }
    const added = await runBin(["add", "auth", "--mfa", "--allow-dirty"], dir);
    if (added.code !== 0) {
      throw new Error(`quickscale add auth --mfa failed:\n${describeRun(added)}`);
    }
    for (const module of modules) {
      const result = await runBin(["add", module, "--allow-dirty"], dir);
      if (result.code !== 0) {
        throw new Error(`quickscale add ${module} failed:\n${describeRun(result)}`);
      }
    }
    const [py, db, browser] = await Promise.all([
      ensureProjectEnv(dir),
      createThrowawayDatabase(),
      launchBrowser(),
    ]);
    cleanups.push(
      () => db.drop(),
      () => browser.close(),
    );
    const env = productionEnv(dir, name, db);
    const manage = async (args: readonly string[], extra: Record<string, string> = {}): Promise<string> => {
      const result = await py.run("python", ["manage.py", ...args], {
        cwd: dir,
        env: { ...env, ...extra },
        timeoutMs: COMMAND_TIMEOUT_MS,
      });
      if (result.code !== 0) {
        throw new Error(`manage.py ${args[0] ?? ""} failed:\n${describeRun(result)}`);
      }
      return result.stdout;
    };
    await manage(["migrate", "--noinput"]);
    await manage(["collectstatic", "--noinput"]);
    const server = await startServer({
      command: py.bin("gunicorn"),
      args: [`${name}.wsgi`, "--bind", "127.0.0.1:{port}"],
      cwd: dir,
      env: py.env(env),
      readyPath: "/healthz",
      readyHeaders: { Host: "127.0.0.1" },
      timeoutMs: SERVER_WAIT_MS,
    });
    cleanups.push(() => server.stop());
    return { dir, server, browser, manage, close };
  } catch (error) {
    await close();
    throw error;
  }
}
