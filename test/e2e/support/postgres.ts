import { isAlive } from "../../../src/commit/process-alive";
import { randomBytes } from "node:crypto";
import { baseEnv, describeRun, REPO_ROOT, run, RunResult } from "./process";

/** The test server: trust auth on localhost (override with PGHOST, PGPORT, PGUSER). */
const HOST = process.env["PGHOST"] ?? "127.0.0.1";
const PORT = process.env["PGPORT"] ?? "5432";
const USER = process.env["PGUSER"] ?? "postgres";
/** Overridable (QUICKSCALE_E2E_DB_PREFIX) so that runs sharing a server keep to their own names. */
const PREFIX = process.env["QUICKSCALE_E2E_DB_PREFIX"] ?? "qs_e2e_";

/** A database that exists only for one test run. */
export interface ThrowawayDatabase {
  name: string;
  /** `postgres://user@host:port/name`, as DATABASE_URL. */
  url: string;
  /** Drops the database and the `test_` twin pytest-django creates beside it. */
  drop(): Promise<void>;
}

/**
 * Creates `qs_e2e_<pid>_<random>` (first dropping those left by runs whose process is gone).
 * The name stays well under PostgreSQL's 63-byte limit with pytest-django's `test_` prefix.
 */
export async function createThrowawayDatabase(): Promise<ThrowawayDatabase> {
  await dropStaleDatabases();
  const name = `${PREFIX}${process.pid}_${randomBytes(4).toString("hex")}`;
  await pg("createdb", [name]);
  return {
    name,
    url: `postgres://${USER}@${HOST}:${PORT}/${name}`,
    drop: async () => {
      await dropDatabase(`test_${name}`);
      await dropDatabase(name);
    },
  };
}

/** `true` when `name` exists on the server. */
export async function databaseExists(name: string): Promise<boolean> {
  const result = await pg("psql", [
    "-d",
    "postgres",
    "-Atc",
    `SELECT 1 FROM pg_database WHERE datname = '${name}'`,
  ]);
  return result.stdout.trim() === "1";
}

async function dropDatabase(name: string): Promise<void> {
  // --force ends sessions a killed server may have left open (PostgreSQL 13+).
  await pg("dropdb", ["--if-exists", "--force", name]);
}

async function dropStaleDatabases(): Promise<void> {
  const result = await pg("psql", [
    "-d",
    "postgres",
    "-Atc",
    `SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}%' OR datname LIKE 'test_${PREFIX}%'`,
  ]);
  for (const name of result.stdout.split("\n").filter((line) => line !== "")) {
    const pid = new RegExp(`${PREFIX}(\\d+)_`).exec(name)?.[1];
    if (pid !== undefined && !isAlive(Number(pid))) {
      await dropDatabase(name);
    }
  }
}

async function pg(command: string, args: readonly string[]): Promise<RunResult> {
  const result = await run(command, ["-h", HOST, "-p", PORT, "-U", USER, ...args], {
    cwd: REPO_ROOT,
    env: baseEnv(),
    timeoutMs: 60_000,
  });
  if (result.code !== 0) {
    throw new Error(`PostgreSQL command failed:\n${describeRun(result)}`);
  }
  return result;
}
