import { BeforeWriteHook } from "../commit/new-project";

/**
 * Fault injection for the reliability tests, through the committer's hook:
 * `QUICKSCALE_TEST_FAULT=fail-write:N` makes the N-th write (from 0) throw, and
 * `QUICKSCALE_TEST_FAULT=kill:N` kills the process with SIGKILL before it.
 */
export function faultHookFromEnv(env: NodeJS.ProcessEnv = process.env): BeforeWriteHook | undefined {
  const match = /^(fail-write|kill):(\d+)$/.exec(env["QUICKSCALE_TEST_FAULT"] ?? "");
  if (match === null) {
    return undefined;
  }
  const [, kind, at] = match;
  return (path, index) => {
    if (index !== Number(at)) {
      return;
    }
    if (kind === "kill") {
      process.kill(process.pid, "SIGKILL");
    }
    throw new Error(`Injected write failure at "${path}".`);
  };
}
