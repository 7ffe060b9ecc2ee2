/**
 * Where a run's time goes, for `npm run bench`: with QUICKSCALE_PROFILE=1 the bin prints
 * these phases (milliseconds) as one JSON line on stderr at the end of a run.
 */
export const phases: Record<string, number> = {};

/**
 * Milliseconds since the process started. Not `performance.now()`: loading perf_hooks
 * loads eleven of Node's internal modules, ~2 ms of every run, for a clock.
 */
export function sinceStart(): number {
  return process.uptime() * 1000;
}

/** Adds the time `work` takes to `phase`. */
export async function timed<T>(phase: string, work: () => Promise<T> | T): Promise<T> {
  const start = sinceStart();
  try {
    return await work();
  } finally {
    phases[phase] = (phases[phase] ?? 0) + sinceStart() - start;
  }
}

/** Prints the phases when profiling was asked for. */
export function reportPhases(): void {
  if (process.env["QUICKSCALE_PROFILE"] === "1") {
    const rounded = Object.fromEntries(
      Object.entries(phases).map(([name, ms]) => [name, Math.round(ms * 10) / 10]),
    );
    process.stderr.write(`${JSON.stringify({ ...rounded, total: Math.round(sinceStart() * 10) / 10 })}\n`);
  }
}
