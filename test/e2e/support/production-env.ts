import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDotenv } from "./dotenv";
import { ThrowawayDatabase } from "./postgres";

/** A production-grade random key (64 characters, none of them `$`, which django-environ expands). */
export function randomSecretKey(): string {
  return randomBytes(48).toString("base64url");
}

/**
 * Production settings as `.env.example` describes them, for this machine: a fresh key,
 * the throwaway database, the local Redis, and the address the browser uses (gunicorn's
 * port, filled in by startServer) as the allowed host and trusted origin. Requests are
 * expected to say `X-Forwarded-Proto: https`, as behind a TLS-terminating proxy.
 */
export function productionEnv(dir: string, name: string, db: ThrowawayDatabase): Record<string, string> {
  return {
    ...Object.fromEntries(parseDotenv(readFileSync(join(dir, ".env.example"), "utf8"))),
    SECRET_KEY: randomSecretKey(),
    DATABASE_URL: db.url,
    REDIS_URL: "redis://127.0.0.1:6379/0",
    DJANGO_SETTINGS_MODULE: `${name}.settings.production`,
    ALLOWED_HOSTS: "127.0.0.1",
    // The browser's Origin: plain http to gunicorn, while the proxy header says https.
    CSRF_TRUSTED_ORIGINS: "http://127.0.0.1:{port}",
    TRUST_X_FORWARDED_PROTO: "True",
    EMAIL_BACKEND: "django.core.mail.backends.locmem.EmailBackend",
  };
}
