import { isCode } from "./errors";

/** Whether a process with this pid exists (this one included): who owns a leftover folder. */
export function isAlive(pid: number): boolean {
  if (pid === process.pid) {
    return true;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isCode(error, "ESRCH");
  }
}
