import { performance } from "node:perf_hooks";

/**
 * Where a run's time goes, for `npm run bench`: with QUICKSCALE_PROFILE=1 the bin prints
 * these phases (milliseconds) as one JSON line on stderr at the end of a run.
 */
export const phases: Record<string, number> = {};

/** Adds the time `work` takes to `phase`. */
export async function timed<T>(phase: string, work: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    phases[phase] = (phases[phase] ?? 0) + performance.now() - start;
  }
}

/** Prints the phases when profiling was asked for. */
export function reportPhases(): void {
  if (process.env["QUICKSCALE_PROFILE"] === "1") {
    const rounded = Object.fromEntries(
      Object.entries(phases).map(([name, ms]) => [name, Math.round(ms * 10) / 10]),
    );
    process.stderr.write(
      `${JSON.stringify({ ...rounded, total: Math.round(performance.now() * 10) / 10 })}\n`,
    );
  }
}
