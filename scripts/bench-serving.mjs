// The generated project at run time: its home page and its hashed stylesheet served by
// gunicorn with the image's settings (gunicorn.conf.py, production settings, PostgreSQL and
// Redis), against a view of a bare `django-admin startproject` served the same way (the
// same gunicorn.conf.py). A bounded load from a second process on 127.0.0.1
// (scripts/load.mjs); the targets take turns, round by round. Prints requests per second
// and the ratios to the bare view.
//
//   node scripts/bench-serving.mjs [--rounds 5] [--requests 2000] [--concurrency 8]
//
// Called by `npm run bench`; never part of `npm test`.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { URL } from "node:url";

const root = join(import.meta.dirname, "..");
const support = (name) => import(join(root, "dist", "test", "e2e", "support", `${name}.js`));

/** Runs `command` to completion or throws with its output. */
function step(command, args, options) {
  const result = spawnSync(command, args, { encoding: "utf8", ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Serves both projects, loads each target in turns for `rounds` rounds, and returns the
 * median requests per second of each target.
 */
export async function benchServing({ rounds = 5, requests = 2000, concurrency = 8 } = {}) {
  const { ensureVenv, projectRequirements } = await support("python-env");
  const { createThrowawayDatabase } = await support("postgres");
  const { httpGet, startServer } = await support("server");
  const scratch = mkdtempSync(join(tmpdir(), "qs-bench-serving-"));
  const servers = [];
  let db;
  try {
    const project = join(scratch, "served");
    step(
      process.execPath,
      [join(root, "bin", "quickscale.js"), "init", "served", "--directory", project, "--skip-git"],
      {
        env: { ...process.env, NO_COLOR: "1" },
      },
    );
    const venv = await ensureVenv(projectRequirements(readFileSync(join(project, "pyproject.toml"), "utf8")));
    db = await createThrowawayDatabase();
    const production = venv.env({
      DJANGO_SETTINGS_MODULE: "served.settings.production",
      DJANGO_READ_DOT_ENV_FILE: "False",
      SECRET_KEY: randomBytes(48).toString("base64url"),
      ALLOWED_HOSTS: "127.0.0.1",
      DATABASE_URL: db.url,
      REDIS_URL: "redis://127.0.0.1:6379/0",
      TRUST_X_FORWARDED_PROTO: "True",
    });
    for (const args of [
      ["migrate", "--noinput"],
      ["collectstatic", "--noinput"],
    ]) {
      step(venv.bin("python"), ["manage.py", ...args], { cwd: project, env: production });
    }

    // The bare project: startproject, one view, the same gunicorn settings.
    const bare = join(scratch, "bare");
    mkdirSync(bare);
    step(venv.bin("django-admin"), ["startproject", "bare", bare], { env: venv.env() });
    writeFileSync(
      join(bare, "bare", "urls.py"),
      [
        "from django.http import HttpResponse",
        "from django.urls import path",
        "",
        "",
        "def index(request):",
        '    return HttpResponse("<!doctype html><title>bare</title><p>Hello, world.</p>")',
        "",
        "",
        'urlpatterns = [path("", index)]',
        "",
      ].join("\n"),
    );
    const settings = join(bare, "bare", "settings.py");
    writeFileSync(
      settings,
      `${readFileSync(settings, "utf8")}\nDEBUG = False\nALLOWED_HOSTS = ["127.0.0.1"]\n`,
    );
    copyFileSync(join(project, "gunicorn.conf.py"), join(bare, "gunicorn.conf.py"));

    const https = { Host: "127.0.0.1", "X-Forwarded-Proto": "https" };
    const served = await startServer({
      command: venv.bin("gunicorn"),
      args: ["served.wsgi", "--bind", "127.0.0.1:{port}"],
      cwd: project,
      env: production,
      readyPath: "/healthz",
      readyHeaders: { Host: "127.0.0.1" },
      timeoutMs: 60_000,
    });
    servers.push(served);
    const bareServer = await startServer({
      command: venv.bin("gunicorn"),
      args: ["bare.wsgi", "--bind", "127.0.0.1:{port}"],
      cwd: bare,
      env: venv.env({ DJANGO_SETTINGS_MODULE: "bare.settings" }),
      readyPath: "/",
      timeoutMs: 60_000,
    });
    servers.push(bareServer);

    const home = await httpGet(`${served.origin}/`, https);
    const stylesheet = /<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/.exec(home.body)?.[1];
    if (home.status !== 200 || stylesheet === undefined) {
      throw new Error(`The home page answered ${home.status} without a stylesheet:\n${home.body}`);
    }
    const targets = {
      "home page": { url: `${served.origin}/`, headers: https },
      "hashed stylesheet": { url: new URL(stylesheet, served.origin).toString(), headers: https },
      "bare startproject view": { url: `${bareServer.origin}/`, headers: {} },
    };
    const rps = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [name, target] of Object.entries(targets)) {
        const out = step(process.execPath, [
          join(import.meta.dirname, "load.mjs"),
          target.url,
          String(requests),
          String(concurrency),
          String(Math.floor(requests / 10)),
          JSON.stringify(target.headers),
        ]);
        const { rps: measured, errors } = JSON.parse(out);
        if (errors > 0) {
          throw new Error(`${name}: ${errors} of ${requests} requests failed.`);
        }
        rps[name].push(measured);
      }
    }
    return Object.fromEntries(Object.entries(rps).map(([name, values]) => [name, median(values)]));
  } finally {
    for (const server of servers) await server.stop();
    await db?.drop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The table `npm run bench` prints. */
export function servingReport(medians) {
  const bare = medians["bare startproject view"];
  const lines = [
    "| served by gunicorn (gunicorn.conf.py) | requests/s (median) | ratio to the bare view |",
    "| --- | --- | --- |",
  ];
  for (const [name, value] of Object.entries(medians)) {
    lines.push(`| ${name} | ${value.toFixed(0)} | ${(value / bare).toFixed(2)}x |`);
  }
  return lines.join("\n");
}

if (process.argv[1] === import.meta.filename) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const index = args.indexOf(`--${name}`);
    return index === -1 ? fallback : Number(args[index + 1]);
  };
  const medians = await benchServing({
    rounds: option("rounds", 5),
    requests: option("requests", 2000),
    concurrency: option("concurrency", 8),
  });
  console.log(servingReport(medians));
}
