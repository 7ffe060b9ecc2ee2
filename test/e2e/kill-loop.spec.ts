import { spawn } from "node:child_process";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { freshDirsPerSpec, projectState, removeDir } from "./support/files";
import { generateProject } from "./support/generated-project";
import { baseEnv, BIN, describeRun, runBin, RunResult, trackGroup, untrackGroup } from "./support/process";

const RUNS = 60;
/**
 * Half the runs sleep this long before each backup and each write (`slow:MS`), so that the
 * commit, a few milliseconds of a real run, is a large part of the span the kills hit.
 */
const SLOW_COMMIT = "slow:25";
const TIMEOUT_MS = 60_000;

/** A small seeded PRNG (mulberry32): the same seed replays the same kill moments. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Runs the bin with `args` in `cwd` and sends it `signal` after `delayMs` (unless it ended first). */
function runAndKill(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  signal: NodeJS.Signals,
  delayMs: number,
): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: baseEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    trackGroup(child.pid);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill(signal);
    }, delayMs);
    child.on("close", (code, ended) => {
      clearTimeout(timer);
      untrackGroup(child.pid);
      resolve({
        command: [BIN, ...args].join(" "),
        code,
        signal: ended,
        stdout,
        stderr,
        timedOut: false,
        durationMs: Date.now() - started,
      });
    });
  });
}

/**
 * Crash safety, proven by brute force: `quickscale add auth` killed (SIGKILL and SIGTERM in
 * turn) at random moments spread over a whole run, then `quickscale recover` or the next
 * `add auth`, must always leave the project byte-identical to the state before the run
 * or to the state after a complete run: never half-applied, never wedged.
 */
describe("kill loop", () => {
  const freshDir = freshDirsPerSpec();
  let fixtures = "";
  let pristine = "";
  let before: string[] = [];
  let after: string[] = [];
  /** How long one uninterrupted run takes, at real speed and with a slowed commit. */
  let runMs = 0;
  let slowRunMs = 0;
  let env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    ({ root: fixtures, dir: pristine } = await generateProject("kill-loop-fixtures", "shop"));
    env = { XDG_STATE_HOME: join(fixtures, "state") };
    before = projectState(pristine);
    const applied = join(fixtures, "applied");
    cpSync(pristine, applied, { recursive: true });
    // One uninterrupted run: its duration is the span the kills are spread over.
    const clean = await runBin(["add", "auth"], applied, env);
    if (clean.code !== 0) {
      throw new Error(`add auth without faults failed:\n${describeRun(clean)}`);
    }
    runMs = clean.durationMs;
    after = projectState(applied);
    const slowed = join(fixtures, "slowed");
    cpSync(pristine, slowed, { recursive: true });
    const slow = await runBin(["add", "auth"], slowed, { ...env, QUICKSCALE_TEST_FAULT: SLOW_COMMIT });
    if (slow.code !== 0 || JSON.stringify(projectState(slowed)) !== JSON.stringify(after)) {
      throw new Error(`add auth with a slowed commit failed or differs:\n${describeRun(slow)}`);
    }
    slowRunMs = slow.durationMs;
  }, TIMEOUT_MS);

  afterAll(() => {
    removeDir(fixtures);
  });

  it(
    `${RUNS} runs of add auth killed at random moments each end as before or as after a complete run`,
    async () => {
      expect(after).not.toEqual(before);
      const seed = Number(process.env["QUICKSCALE_KILL_SEED"] ?? Date.now() % 1_000_000_000);
      process.stdout.write(
        `\nkill loop: seed ${seed} (QUICKSCALE_KILL_SEED=${seed} replays it); one run ${runMs} ms, ${slowRunMs} ms with a slowed commit\n`,
      );
      const random = prng(seed);
      const counts = { before: 0, after: 0, killed: 0, finishedFirst: 0, rolledBack: 0 };
      const problems: string[] = [];
      const root = freshDir("kill-loop");
      for (let index = 0; index < RUNS; index++) {
        const project = join(root, `run-${index}`);
        cpSync(pristine, project, { recursive: true });
        const signal = index % 2 === 0 ? "SIGKILL" : "SIGTERM";
        const slowed = index % 4 >= 2;
        // Over the whole run, Node's start included, and a little past its usual end.
        const delayMs = Math.floor(random() * (slowed ? slowRunMs : runMs) * 1.1);
        const runEnv = slowed ? { ...env, QUICKSCALE_TEST_FAULT: SLOW_COMMIT } : env;
        const killed = await runAndKill(["add", "auth"], project, runEnv, signal, delayMs);
        if (killed.signal === null) {
          counts.finishedFirst++;
          if (killed.code !== 0) {
            problems.push(`run ${index}: ended by itself with a failure\n${describeRun(killed)}`);
          }
        } else {
          counts.killed++;
        }
        // Every third run is followed by the next add (which recovers by itself), the rest by recover.
        const byAdd = index % 3 === 2;
        const next = await runBin(byAdd ? ["add", "auth"] : ["recover"], project, env);
        if (next.code !== 0) {
          problems.push(
            `run ${index} (${signal} after ${delayMs} ms): the follow-up failed\n${describeRun(next)}`,
          );
          continue;
        }
        if (next.stdout.includes("Rolled back")) {
          counts.rolledBack++;
        }
        const state = projectState(project);
        if (JSON.stringify(state) === JSON.stringify(before)) {
          counts.before++;
        } else if (JSON.stringify(state) === JSON.stringify(after)) {
          counts.after++;
        } else {
          const extra = state.filter((line) => !before.includes(line) && !after.includes(line));
          problems.push(
            `run ${index} (${signal} after ${delayMs} ms): neither state; unexpected: ${extra.join(", ")}`,
          );
        }
        removeDir(project);
      }
      process.stdout.write(
        `kill loop: ${RUNS} runs, ${counts.killed} killed (${counts.finishedFirst} finished before the signal), ` +
          `${counts.rolledBack} left a journal that was rolled back, ` +
          `${counts.before} ended as before, ${counts.after} as after, ` +
          `${RUNS - counts.before - counts.after} lost\n`,
      );
      expect(problems).toEqual([]);
      expect(counts.before + counts.after).toBe(RUNS);
      // The kills must really land inside runs (a loop of completed runs proves nothing).
      expect(counts.killed).toBeGreaterThanOrEqual(RUNS / 2);
      expect(counts.before).toBeGreaterThan(0);
      expect(counts.rolledBack).withContext("kills that landed inside a commit").toBeGreaterThan(0);
    },
    RUNS * 4 * TIMEOUT_MS,
  );
});
