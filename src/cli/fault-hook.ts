import { existsSync, writeFileSync } from "node:fs";
import type { CommitHooks } from "../commit/journal";
import { BeforeWriteHook } from "../commit/new-project";

/**
 * Fault injection for the reliability tests, through the committers' hooks
 * (`QUICKSCALE_TEST_FAULT`, counting files from 0):
 * - `fail-write:N` makes the N-th write throw, `kill:N` kills the process (SIGKILL) before it;
 * - `fail-backup:N` makes the N-th backup fail as a full disk would (ENOSPC), `kill-backup:N`
 *   kills the process before it (existing projects only);
 * - `kill-discard:0` kills the process once every write succeeded, while the journal folder
 *   is removed (renamed away, not yet deleted);
 * - `pause:N` holds the run before the N-th write: it creates the file named by
 *   `QUICKSCALE_TEST_PAUSE` and waits until that file is removed;
 * - `slow:MS` sleeps MS milliseconds before every backup and every write (and 4 MS while the
 *   journal is removed), so that kills at random moments land in the commit often enough.
 */
export function faultHookFromEnv(env: NodeJS.ProcessEnv = process.env): BeforeWriteHook | undefined {
  return commitFaultsFromEnv(env).beforeWrite;
}

/** The fault hooks of a commit to an existing project (see {@link faultHookFromEnv}). */
export function commitFaultsFromEnv(env: NodeJS.ProcessEnv = process.env): CommitHooks {
  const match = /^(fail-write|kill|fail-backup|kill-backup|kill-discard|pause|slow):(\d+)$/.exec(
    env["QUICKSCALE_TEST_FAULT"] ?? "",
  );
  if (match === null) {
    return {};
  }
  const [, kind = "", at] = match;
  const hook =
    (fault: (path: string) => void): BeforeWriteHook =>
    (path, index) => {
      if (index === Number(at)) {
        fault(path);
      }
    };
  const kill = (): void => {
    process.kill(process.pid, "SIGKILL");
  };
  switch (kind) {
    case "slow": {
      const nap: BeforeWriteHook = () => {
        sleep(Number(at));
      };
      return {
        beforeBackup: nap,
        beforeWrite: nap,
        journalRenamed: () => {
          sleep(4 * Number(at));
        },
      };
    }
    case "fail-backup":
      return {
        beforeBackup: hook((path) => {
          throw Object.assign(new Error(`ENOSPC: no space left on device (injected), backing up "${path}"`), {
            code: "ENOSPC",
          });
        }),
      };
    case "kill-discard":
      return { journalRenamed: kill };
    case "kill-backup":
      return { beforeBackup: hook(kill) };
    case "pause":
      return {
        beforeWrite: hook(() => {
          pauseUntilReleased(env["QUICKSCALE_TEST_PAUSE"]);
        }),
      };
    case "kill":
      return { beforeWrite: hook(kill) };
    default:
      return {
        beforeWrite: hook((path) => {
          throw new Error(`Injected write failure at "${path}".`);
        }),
      };
  }
}

/** Creates `signal` and blocks (synchronously, as the commit is) until a test removes it. */
function pauseUntilReleased(signal: string | undefined): void {
  if (signal === undefined) {
    throw new Error("QUICKSCALE_TEST_FAULT=pause needs QUICKSCALE_TEST_PAUSE, the file to wait on.");
  }
  writeFileSync(signal, String(process.pid));
  for (let waited = 0; existsSync(signal) && waited < 120_000; waited += 20) {
    sleep(20);
  }
}

/** Blocks this thread for `ms` milliseconds (the commit is synchronous). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
