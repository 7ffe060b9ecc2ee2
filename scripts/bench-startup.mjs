// Times builds of QuickScale against each other, whole processes side by side: one way to
// decide whether a piece of start-up machinery (the slim bundle, the code cache, the checked
// templates, a V8 flag) still pays. Each build is a snapshot of a built package; every round
// runs each command once with each build, in an order that rotates, so a machine that slows
// down for a while slows all of them alike. Prints the median wall time, CPU time (user + system: on a
// busy machine, less disturbed than wall time) and peak memory (RSS) of each, and their
// ratios to the first build.
//
//   npm run build && node scripts/bench-startup.mjs --snapshot main   # copies this build
//   (change something, build again) && node scripts/bench-startup.mjs --snapshot other
//   node scripts/bench-startup.mjs main other [--runs 9] [--warmup 2]
//
// The bins are run as a user runs them, through their shebang (`#!/usr/bin/env node ...`),
// with this Node first on PATH. Never part of `npm test`: timings are reported, not asserted.
//
// The bin keeps V8's code cache in ~/.cache/quickscale, one file per bundle, written by the
// first run: two builds with the same bundle and other V8 flags reject and rewrite each
// other's cache on every run (give each its own bundle, or measure them in separate runs).
// The bench gives the bins a cache folder of its own, and makes each build's cache with an
// `init`, the command a user runs first (one made by `--version` holds little); the bin
// keeps three caches besides its own, so compare at most four builds at once.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";

const root = join(import.meta.dirname, "..");
const snapshots = join(root, ".cache", "bench-startup");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  if (index === -1) return fallback;
  const [value] = args.splice(index, 2).slice(1);
  return value;
};

const snapshotLabel = option("snapshot", undefined);
if (snapshotLabel !== undefined) {
  snapshot(snapshotLabel);
  process.exit(0);
}
const RUNS = Number(option("runs", 9));
const WARMUP = Number(option("warmup", 2));
const builds = args.map((label) => ({ label, dir: join(snapshots, label) }));
if (builds.length === 0 || builds.some((build) => !existsSync(join(build.dir, "bin", "quickscale.js")))) {
  console.error("Give the labels of snapshots made with --snapshot <label> (see the top of this file).");
  process.exit(1);
}

/** Copies what the published package holds of this build (and a link to its node_modules). */
function snapshot(label) {
  if (!existsSync(join(root, "dist", "quickscale.cjs"))) {
    console.error('Build first: "npm run build".');
    process.exit(1);
  }
  const dir = join(snapshots, label);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "dist"), { recursive: true });
  for (const entry of ["package.json", "collection.json", "bin", "schematics"]) {
    cpSync(join(root, entry), join(dir, entry), { recursive: true });
  }
  for (const entry of ["quickscale.cjs", "checked-templates.json", "src", "schematics"]) {
    if (existsSync(join(root, "dist", entry))) {
      cpSync(join(root, "dist", entry), join(dir, "dist", entry), { recursive: true });
    }
  }
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  console.log(`Snapshot of this build in ${dir}.`);
}

const env = {
  ...process.env,
  NO_COLOR: "1",
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH}`,
  GIT_AUTHOR_NAME: "bench",
  GIT_AUTHOR_EMAIL: "bench@example.com",
  GIT_COMMITTER_NAME: "bench",
  GIT_COMMITTER_EMAIL: "bench@example.com",
};

// GNU time prints CPU time in hundredths of a second, too coarse for a 100 ms run: a few lines
// of Python start each command and read its resource usage from wait4() in microseconds.
const MEASURE = `
import json, os, sys, time
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ,
  file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
_, status, usage = os.wait4(pid, 0)
print(json.dumps({"status": os.waitstatus_to_exitcode(status), "wallMs": (time.perf_counter() - start) * 1000,
  "cpuMs": (usage.ru_utime + usage.ru_stime) * 1000, "rssMiB": usage.ru_maxrss / 1024}))
`;

/** One whole process: wall and CPU time (ms), and peak RSS (MiB, as GNU time's %M). */
function measure(command, commandArgs, cwd) {
  const result = spawnSync("python3", ["-c", MEASURE, command, ...commandArgs], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
    env,
    encoding: "utf8",
  });
  const figures = JSON.parse(result.stdout || "{}");
  if (result.status !== 0 || figures.status !== 0) {
    throw new Error(`${command} ${commandArgs.join(" ")} failed:\n${result.stderr}`);
  }
  return figures;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const scratch = mkdtempSync(join(tmpdir(), "qs-bench-startup-"));
// A code-cache folder of the bench's own (XDG_CACHE_HOME), empty at the start, where each
// build's cache is made by an `init` (below), as a user's first command makes it: in the
// user's folder, a cache made earlier by `--version` (which holds little) would stay, and
// other builds run meanwhile could have pruned it.
env.XDG_CACHE_HOME = join(scratch, "cache");
mkdirSync(env.XDG_CACHE_HOME, { mode: 0o700 });
const bin = (build) => join(build.dir, "bin", "quickscale.js");
// The project `add auth` runs on: one made by the first build, copied afresh (untimed) each time.
const project = join(scratch, "project");
mkdirSync(project);
execFileSync(bin(builds[0]), ["init", "shop", "--skip-git"], { cwd: project, env });

const commands = [
  { name: "--version", run: (build, dir) => measure(bin(build), ["--version"], dir) },
  {
    name: "init --skip-git",
    run: (build, dir) => measure(bin(build), ["init", "myapp", "--skip-git"], dir),
  },
  { name: "init (with git)", run: (build, dir) => measure(bin(build), ["init", "myapp"], dir) },
  {
    name: "add auth",
    run: (build, dir) => {
      cpSync(join(project, "shop"), join(dir, "shop"), { recursive: true });
      return measure(bin(build), ["add", "auth", "--allow-dirty"], join(dir, "shop"));
    },
  },
];
const django = await djangoAdmin();
const references = django
  ? [
      {
        name: "django-admin startproject",
        run: (dir) => measure(django, ["startproject", "myapp", "."], dir),
      },
    ]
  : [];

/** Django's django-admin from the e2e venv when it was built (npm run build), for the 0.9x target. */
async function djangoAdmin() {
  const support = join(root, "dist", "test", "e2e", "support", "python-env.js");
  if (!existsSync(support)) return undefined;
  const { ensureVenv } = await import(support);
  return (await ensureVenv(["Django>=5.2,<6.0"])).bin("django-admin");
}

for (const build of builds) {
  const dir = join(scratch, `cache-${build.label}`);
  mkdirSync(dir);
  execFileSync(bin(build), ["init", "myapp", "--skip-git"], { cwd: dir, env, stdio: "ignore" });
}

const samples = new Map();
const record = (key, sample) => {
  if (!samples.has(key)) samples.set(key, { walls: [], cpus: [], rss: [] });
  samples.get(key).walls.push(sample.wallMs);
  samples.get(key).cpus.push(sample.cpuMs);
  samples.get(key).rss.push(sample.rssMiB);
};
let runIndex = 0;
// Each run's folder stays until the end: a project deleted right away leaves the file system
// slow to create files for a while, which the next run (another build's) would measure.
const inFreshDir = (use) => {
  const dir = join(scratch, `run-${runIndex++}`);
  mkdirSync(dir);
  return use(dir);
};
for (let round = 0; round < WARMUP + RUNS; round++) {
  const measured = round >= WARMUP;
  for (const command of commands) {
    // The order of the builds rotates each round: none always runs first or after another.
    for (let i = 0; i < builds.length; i++) {
      const build = builds[(i + round) % builds.length];
      const sample = inFreshDir((dir) => command.run(build, dir));
      if (measured) record(`${command.name}\0${build.label}`, sample);
    }
  }
  for (const reference of references) {
    const sample = inFreshDir(reference.run);
    if (measured) record(`${reference.name}\0`, sample);
  }
}
rmSync(scratch, { recursive: true, force: true });

// --- Report -----------------------------------------------------------------------------
const figures = (key) => {
  const sample = samples.get(key);
  return { wall: median(sample.walls), cpu: median(sample.cpus), rss: median(sample.rss) };
};
const pad = (text, width) => String(text).padEnd(width);
const num = (value, digits = 0) => value.toFixed(digits).padStart(7);
console.log(
  `${cpus().length} CPUs, Node ${process.version}; ${RUNS} rounds after ${WARMUP} warm-up rounds, whole processes, medians.\n`,
);
const width = Math.max(...builds.map((build) => build.label.length), 10);
for (const command of commands) {
  const base = figures(`${command.name}\0${builds[0].label}`);
  console.log(
    `${command.name}\n  ${pad("build", width)}  wall ms   CPU ms peak MiB    wall ratio CPU ratio memory ratio`,
  );
  for (const build of builds) {
    const f = figures(`${command.name}\0${build.label}`);
    console.log(
      `  ${pad(build.label, width)} ${num(f.wall)} ${num(f.cpu)} ${num(f.rss, 1)}   ${num(f.wall / base.wall, 2)}x  ${num(f.cpu / base.cpu, 2)}x    ${num(f.rss / base.rss, 2)}x`,
    );
  }
}
for (const reference of references) {
  const ref = figures(`${reference.name}\0`);
  console.log(
    `\n${reference.name}: ${ref.wall.toFixed(0)} ms, ${ref.rss.toFixed(1)} MiB; ratio of init to it:`,
  );
  for (const build of builds) {
    for (const name of ["init --skip-git", "init (with git)"]) {
      const f = figures(`${name}\0${build.label}`);
      console.log(
        `  ${pad(build.label, width)} ${pad(name, 16)} ${(f.wall / ref.wall).toFixed(2)}x wall, ${(f.cpu / ref.cpu).toFixed(2)}x CPU, ${(f.rss / ref.rss).toFixed(2)}x memory`,
      );
    }
  }
}
