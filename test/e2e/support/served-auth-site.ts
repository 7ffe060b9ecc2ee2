import type { Browser } from "playwright-core";
import { launchBrowser } from "./browser";
import { generateProjectWithAuth } from "./generated-project";
import { createThrowawayDatabase } from "./postgres";
import { productionEnv } from "./production-env";
import { describeRun, runBin } from "./process";
import { ensureProjectEnv } from "./python-env";
import { RunningServer, startGunicorn } from "./server";

const COMMAND_TIMEOUT_MS = 2 * 60_000;
const SERVER_WAIT_MS = 30_000;

/**
 * Creates an account whose address is confirmed, so it can sign in at once: a superuser
 * when E2E_STAFF is set, with the display name E2E_NAME when one is given; prints its id.
 */
const CREATE_CONFIRMED_ACCOUNT = [
  "import os",
  "from allauth.account.models import EmailAddress",
  "from django.contrib.auth import get_user_model",
  'email, password = os.environ["E2E_EMAIL"], os.environ["E2E_PASSWORD"]',
  "users = get_user_model().objects",
  'create = users.create_superuser if os.environ.get("E2E_STAFF") else users.create_user',
  'extra = {"name": os.environ["E2E_NAME"]} if os.environ.get("E2E_NAME") else {}',
  "user = create(email=email, password=password, **extra)",
  "EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)",
  "print(user.pk)",
].join("\n");

/** An account to create with {@link ServedAuthSite.createConfirmedAccount}. */
export interface NewAccount {
  email: string;
  password: string;
  /** A superuser (for the admin), rather than a plain user. */
  staff?: boolean;
  /** Its display name. */
  name?: string;
}

/** A generated project with `add auth --mfa`, migrated and served by gunicorn, and a browser. */
export interface ServedAuthSite {
  /** The project folder. */
  dir: string;
  server: RunningServer;
  browser: Browser;
  /** `python manage.py args` with the production settings (and `extra`); its stdout, or throws. */
  manage(args: readonly string[], extra?: Record<string, string>): Promise<string>;
  /** Creates an account whose address is already confirmed, so it can sign in at once; its id. */
  createConfirmedAccount(account: NewAccount): Promise<string>;
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
  const generated = await generateProjectWithAuth(label, name, [["--mfa"]]);
  const dir = generated.dir;
  const cleanups: (() => Promise<void> | void)[] = [
    () => {
      generated.remove();
    },
  ];
  const close = async (): Promise<void> => {
    for (const cleanup of [...cleanups].reverse()) {
      await cleanup();
    }
  };
  try {
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
    const server = await startGunicorn({ py, dir, name, env, host: "127.0.0.1", timeoutMs: SERVER_WAIT_MS });
    cleanups.push(() => server.stop());
    const createConfirmedAccount = async (account: NewAccount): Promise<string> => {
      const printed = await manage(["shell", "-c", CREATE_CONFIRMED_ACCOUNT], {
        E2E_EMAIL: account.email,
        E2E_PASSWORD: account.password,
        ...(account.staff === true ? { E2E_STAFF: "1" } : {}),
        ...(account.name === undefined ? {} : { E2E_NAME: account.name }),
      });
      // The last line: Django's shell may first say which objects it imported.
      return printed.trim().split("\n").pop() ?? "";
    };
    return { dir, server, browser, manage, createConfirmedAccount, close };
  } catch (error) {
    await close();
    throw error;
  }
}
