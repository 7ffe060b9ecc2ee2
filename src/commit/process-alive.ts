import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { isCode } from "../base/errors";

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

/**
 * Who a process is, beyond its pid (which the kernel reuses): the host, the boot and the
 * moment the process started. Where `/proc` is missing, `boot` and `start` are null and
 * only the pid can be checked.
 */
export interface ProcessIdentity {
  pid: number;
  host: string;
  boot: string | null;
  start: string | null;
}

/** This process's identity, to record in a lock. */
export function currentProcess(): ProcessIdentity {
  return { pid: process.pid, host: hostname(), boot: bootId(), start: processStartTime(process.pid) };
}

/**
 * Whether the process `holder` names still runs: same host (another host's process cannot be
 * checked, so it counts as alive), same boot, and the pid's start time unchanged (a reused
 * pid belongs to another process).
 */
export function isHolderAlive(holder: ProcessIdentity): boolean {
  if (holder.host !== hostname()) {
    return true;
  }
  const boot = bootId();
  if (holder.boot !== null && boot !== null && holder.boot !== boot) {
    return false;
  }
  if (!isAlive(holder.pid)) {
    return false;
  }
  const start = processStartTime(holder.pid);
  return holder.start === null || start === null || start === holder.start;
}

/** Field 22 of `/proc/<pid>/stat` (start time in clock ticks since boot), or null. */
export function processStartTime(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces or ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[19] ?? null;
}

function bootId(): string | null {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "latin1").trim();
  } catch {
    return null;
  }
}
