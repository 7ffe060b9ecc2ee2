// Times whole processes side by side, in one run on one machine, in three suites each run
// in turns on its own. A new project: `quickscale init` (our bin), with `--skip-git` and on
// its default path with git (a repository and first commit), `schematics quickscale:init`
// (the stock CLI on the packed package), Django's own `django-admin startproject` and
// `node -e 0`, the floor of any Node.js program. Add: `quickscale add auth` on a small
// project, on one with 20,000 more files and on one whose settings have 5,000 comment lines
// more, `quickscale add teams` and `quickscale add billing` on the small project with auth,
// and `add auth` on its default path with git (the check for uncommitted changes) on a small
// project and on one with 100,000 more files, all committed. Update: `quickscale update` of
// a 0.1.0 project, small and with 20,000 more files. Prints the median, min and max of wall
// time and peak memory (RSS) of each, and the ratios; then the generated project at run
// time, served by gunicorn, against a bare startproject view (bench-serving.mjs;
// --serving-rounds 0 skips it).
//
//   npm run bench [-- --runs 15] [-- --warmup 3] [-- --serving-rounds 5] [-- --only init,update]
//
// --only keeps the commands whose names contain one of the comma-separated words (the
// ratios between those still print); --serving-rounds 0 skips the run-time part.
//
// Never part of `npm test`: timings are reported, not asserted.
import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir, cpus } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const RUNS = option("runs", 10);
const ONLY = args.includes("--only") ? String(args[args.indexOf("--only") + 1]).split(",") : undefined;
/** Whether --only keeps the command named `name`. */
const wanted = (name) => ONLY === undefined || ONLY.some((word) => name.includes(word));
const WARMUP = option("warmup", 2);
const TIME = "/usr/bin/time";

if (!existsSync(TIME)) {
  console.error("bench needs GNU time at /usr/bin/time (Debian: apt-get install time).");
  process.exit(1);
}
if (!existsSync(join(root, "dist", "src", "cli", "main.js"))) {
  console.error('Build first: "npm run build".');
  process.exit(1);
}

const { ensureVenv } = await import(join(root, "dist", "test", "e2e", "support", "python-env.js"));

/**
 * One whole-process measurement: wall time (ms, from our clock) and peak RSS (MiB, from GNU
 * time). GNU time's file is kept outside `cwd`: in a project it would be an untracked file.
 */
function measure(command, commandArgs, cwd, env = {}) {
  const rssFile = join(scratch, ".rss");
  const start = process.hrtime.bigint();
  const result = spawnSync(TIME, ["-f", "%M", "-o", rssFile, command, ...commandArgs], {
    cwd,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${command} ${commandArgs.join(" ")} failed:\n${result.stderr}`);
  }
  const rssMiB = Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()) / 1024;
  rmSync(rssFile);
  return { wallMs, rssMiB };
}

function countFiles(dir) {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === ".git" || entry.name === ".rss") continue;
    count += entry.isDirectory() ? countFiles(join(dir, entry.name)) : 1;
  }
  return count;
}

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
};

// --- What is measured -------------------------------------------------------------------
const scratch = mkdtempSync(join(tmpdir(), "qs-bench-"));
// The bins' V8 code cache in a folder of the bench's own, empty at the start: the first run,
// a warm-up `quickscale init`, makes it as a user's first command would (a cache made by
// `--version` in the user's folder would hold little).
process.env.XDG_CACHE_HOME = join(scratch, "code-cache");
mkdirSync(process.env.XDG_CACHE_HOME, { mode: 0o700 });
const django = await ensureVenv(["Django>=5.2,<6.0"]);
// Packed and installed only when its row is measured (npm pack and install take a while).
let consumer;
const stockCli = () => (consumer ??= prepareStockCli());

/**
 * A generated project to apply a module to: copied afresh (untimed) before each run. It may
 * have `extraFiles` more files, and `commentLines` more comment lines in its base settings,
 * in paragraphs above its settings, as real settings files explain theirs.
 */
function projectTemplate(label, extraFiles, commentLines = 0) {
  const dir = join(scratch, `template-${label}`);
  mkdirSync(dir);
  execFileSync(process.execPath, [join(root, "bin", "quickscale.js"), "init", "shop", "--skip-git"], {
    cwd: dir,
  });
  for (let i = 0; i < extraFiles; i++) {
    const folder = join(dir, "shop", "assets", String(Math.floor(i / 500)));
    if (i % 500 === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `file-${i}.txt`), `asset ${i}\n`);
  }
  if (commentLines > 0) {
    const settings = join(dir, "shop", "shop", "settings", "base.py");
    const text = readFileSync(settings, "utf8");
    const settingLines = text.match(/^[A-Z][A-Z0-9_]* = /gm) ?? [];
    const perSetting = Math.ceil(commentLines / settingLines.length);
    let written = 0;
    const paragraph = () => {
      const count = Math.min(perSetting, commentLines - written);
      const lines = Array.from(
        { length: count },
        (_, i) => `# ${written + i}: a line of explanation, as long as those a settings file has.\n`,
      );
      written += count;
      return lines.join("");
    };
    writeFileSync(settings, text.replace(/^(?=[A-Z][A-Z0-9_]* = )/gm, paragraph));
  }
  return join(dir, "shop");
}
/** A git identity for the commits the default path makes: the machine may have none. */
const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: "QuickScale Bench",
  GIT_AUTHOR_EMAIL: "bench@quickscale.invalid",
  GIT_COMMITTER_NAME: "QuickScale Bench",
  GIT_COMMITTER_EMAIL: "bench@quickscale.invalid",
};
const git = (dir, gitArgs) =>
  execFileSync("git", gitArgs, {
    cwd: dir,
    // No automatic gc or maintenance, which git may leave running in the background.
    env: {
      ...process.env,
      ...GIT_IDENTITY,
      GIT_CONFIG_COUNT: "2",
      GIT_CONFIG_KEY_0: "maintenance.auto",
      GIT_CONFIG_VALUE_0: "false",
      GIT_CONFIG_KEY_1: "gc.auto",
      GIT_CONFIG_VALUE_1: "0",
    },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });

/**
 * A project template as above, in a git repository with every file committed, as a user's
 * project is before `quickscale add`. It is used in place, each run undone by git (untimed):
 * a copy would give every file a new inode and time, and git would re-read all of them.
 */
function committedProject(label, extraFiles) {
  const dir = projectTemplate(label, extraFiles);
  git(dir, ["init", "-q"]);
  git(dir, ["add", "--all"]);
  git(dir, ["commit", "-q", "-m", "The project"]);
  // Past git's racily-clean second, then one status to refresh the index, as a user's is.
  execFileSync("sleep", ["1.1"]);
  git(dir, ["status", "--porcelain"]);
  return dir;
}
const addAuthCommitted = (template) => () => {
  const project = template();
  const measured = measure(process.execPath, [join(root, "bin", "quickscale.js"), "add", "auth"], project);
  git(project, ["checkout", "-q", "--", "."]);
  git(project, ["clean", "-fdq"]);
  if (git(project, ["status", "--porcelain"]) !== "") {
    throw new Error(`git could not undo add auth in ${project}`);
  }
  return measured;
};
/** The first commit's files, in the repository `quickscale init` made: the default path ran. */
const committedFiles = (dir) =>
  git(dir, ["ls-files"])
    .split("\n")
    .filter((line) => line !== "").length;

/**
 * `make()`, called the first time its value is wanted: a project only the commands kept by
 * --only need is made only then (the one with 100,000 files takes a while).
 */
const lazy = (make) => {
  let value;
  return () => (value ??= make());
};
const smallProject = lazy(() => projectTemplate("small", 0));
const largeProject = lazy(() => projectTemplate("large", 20_000));
const commentedProject = lazy(() => projectTemplate("commented", 0, 5_000));
const smallCommitted = lazy(() => committedProject("small-git", 0));
const largeCommitted = lazy(() => committedProject("large-git", 100_000));
const addModule = (module) => (template) => (dir) => {
  cpSync(template(), join(dir, "shop"), { recursive: true });
  return measure(
    process.execPath,
    [join(root, "bin", "quickscale.js"), "add", module, "--allow-dirty"],
    join(dir, "shop"),
  );
};
const addAuth = addModule("auth");
// The small project with auth added (untimed), which `add teams` needs first.
const authProject = lazy(() => {
  const project = join(scratch, "template-auth", "shop");
  cpSync(smallProject(), project, { recursive: true });
  execFileSync(process.execPath, [join(root, "bin", "quickscale.js"), "add", "auth", "--allow-dirty"], {
    cwd: project,
  });
  return project;
});

/**
 * A real 0.1.0 project (made by the 0.1.0 release, built once from this repository's
 * history, see test/e2e/support/release-0.1.0.ts) with `extraFiles` more files, an owner's
 * edit the update merges, all committed: what `quickscale update` starts from.
 */
const { ensureRelease010 } = await import(join(root, "dist", "test", "e2e", "support", "release-0.1.0.js"));
// Built only when an update row is measured (it builds a release from history).
const release010 =
  wanted("update a 0.1.0 project") || wanted("update 0.1.0 (20,000 more)") ? await ensureRelease010() : "";
function project010(label, extraFiles) {
  const dir = join(scratch, `template-010-${label}`);
  mkdirSync(dir);
  execFileSync(process.execPath, [release010, "init", "shop", "--skip-git"], { cwd: dir });
  const project = join(dir, "shop");
  for (let i = 0; i < extraFiles; i++) {
    const folder = join(project, "shop", "assets", String(Math.floor(i / 500)));
    if (i % 500 === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `file-${i}.txt`), `asset ${i}\n`);
  }
  // The bench's git (no background gc, which would pack the objects while the template is
  // copied), as the 0.1.0 project's owner would have committed it.
  git(project, ["init", "-q"]);
  git(project, ["add", "-A"]);
  git(project, ["commit", "-qm", "QuickScale 0.1.0"]);
  const settings = join(project, "shop", "settings", "base.py");
  writeFileSync(settings, `${readFileSync(settings, "utf8")}\nOWNER_SETTING = 1\n`);
  git(project, ["commit", "-qam", "the owner's setting"]);
  // The bench's own record of peak memory, written into the project: not the owner's change.
  writeFileSync(join(project, ".git", "info", "exclude"), ".rss\n");
  return project;
}
const small010 = lazy(() => project010("small", 0));
const large010 = lazy(() => project010("large", 20_000));
const update010 = (template) => (dir) => {
  cpSync(template(), join(dir, "shop"), { recursive: true });
  // A copy's files have new inodes and times: git would rehash all of them once, as after any
  // copy of a repository. An owner's project has an index that matches its files: refresh
  // it, untimed, so the run measures the update and not this one-time cost of the copy.
  execFileSync("git", ["update-index", "-q", "--refresh"], { cwd: join(dir, "shop"), stdio: "ignore" });
  return measure(process.execPath, [join(root, "bin", "quickscale.js"), "update"], join(dir, "shop"));
};

const allCases = [
  {
    name: "node -e 0",
    suite: "new",
    run: (dir) => measure(process.execPath, ["-e", "0"], dir),
    files: () => 0,
  },
  {
    name: "django-admin startproject",
    suite: "new",
    run: (dir) => measure(django.bin("django-admin"), ["startproject", "myapp", "."], dir),
    files: (dir) => countFiles(dir),
  },
  {
    name: "quickscale init",
    suite: "new",
    run: (dir) =>
      measure(process.execPath, [join(root, "bin", "quickscale.js"), "init", "myapp", "--skip-git"], dir),
    files: (dir) => countFiles(join(dir, "myapp")),
  },
  {
    name: "quickscale init (git)",
    suite: "new",
    run: (dir) =>
      measure(process.execPath, [join(root, "bin", "quickscale.js"), "init", "myapp"], dir, GIT_IDENTITY),
    files: (dir) => committedFiles(join(dir, "myapp")),
  },
  {
    name: "schematics quickscale:init",
    suite: "new",
    run: (dir) =>
      measure(
        process.execPath,
        [join(stockCli(), "node_modules", ".bin", "schematics"), "quickscale:init", "myapp", "--skip-git"],
        dir,
      ),
    files: (dir) => countFiles(join(dir, "myapp")),
  },
  {
    name: "add auth (small project)",
    suite: "add",
    run: addAuth(smallProject),
    files: () => countFiles(smallProject()),
  },
  {
    name: "add billing (after auth)",
    suite: "add",
    run: addModule("billing")(authProject),
    files: () => countFiles(authProject()),
  },
  {
    name: "add auth (20,000 more files)",
    suite: "add",
    run: addAuth(largeProject),
    files: () => countFiles(largeProject()),
  },
  {
    name: "add auth (5,000 comment lines)",
    suite: "add",
    run: addAuth(commentedProject),
    files: () => countFiles(commentedProject()),
  },
  {
    name: "update a 0.1.0 project",
    suite: "update",
    run: update010(small010),
    files: () => countFiles(small010()),
  },
  {
    name: "update 0.1.0 (20,000 more)",
    suite: "update",
    run: update010(large010),
    files: () => countFiles(large010()),
  },
  {
    name: "add teams (after auth)",
    suite: "add",
    run: addModule("teams")(authProject),
    files: () => countFiles(authProject()),
  },
  {
    name: "add auth (git)",
    suite: "add",
    run: addAuthCommitted(smallCommitted),
    files: () => committedFiles(smallCommitted()),
  },
  {
    name: "add auth (git, 100,000 more)",
    suite: "add",
    run: addAuthCommitted(largeCommitted),
    files: () => committedFiles(largeCommitted()),
  },
];

const cases = allCases.filter((benchCase) => wanted(benchCase.name));

/** The packed package and the stock CLI installed side by side, cached under .cache/bench. */
function prepareStockCli() {
  const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  const dir = join(root, ".cache", "bench", "consumer");
  mkdirSync(dir, { recursive: true });
  const tarball = join(dir, `quickscale-${version}.tgz`);
  rmSync(tarball, { force: true });
  execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: root, stdio: "ignore" });
  if (!existsSync(join(dir, "package.json"))) {
    execFileSync("npm", ["init", "-y"], { cwd: dir, stdio: "ignore" });
  }
  execFileSync(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      tarball,
      "@angular-devkit/schematics-cli@21.2.30",
    ],
    { cwd: dir, stdio: "ignore" },
  );
  return dir;
}

// --- Run ---------------------------------------------------------------------------------
// Suite by suite (a new project; add; update), and within a suite round by round, every
// command once per round: a machine that slows down for a while slows all of them alike, so
// the ratios within a suite hold even when the absolute figures drift. A suite is not
// interleaved with another's file-system work: the add and update suites copy projects of
// 20,000 and 100,000 files every round, after which creating a file took up to 30 times as
// long for tens of seconds on our machine, which measured that work, not `init`'s.
// Every run's folder stays until the bench ends, for the same reason: deleting projects left
// the file system slow to create files for the next ten seconds or more.
const samples = cases.map(() => ({ walls: [], rss: [], files: 0 }));
// The stock CLI's install (npm pack, npm install: thousands of files) before the rounds.
if (cases.some((benchCase) => benchCase.name === "schematics quickscale:init")) stockCli();
for (const suite of ["new", "add", "update"]) {
  const inSuite = cases
    .map((benchCase, index) => ({ benchCase, index }))
    .filter(({ benchCase }) => benchCase.suite === suite);
  for (let round = 0; round < WARMUP + RUNS; round++) {
    for (const { benchCase, index } of inSuite) {
      const dir = join(scratch, `${index}-${round}`);
      mkdirSync(dir);
      const { wallMs, rssMiB } = benchCase.run(dir);
      if (round >= WARMUP) {
        samples[index].walls.push(wallMs);
        samples[index].rss.push(rssMiB);
      }
      samples[index].files = benchCase.files(dir);
    }
  }
}
const results = cases.map((benchCase, index) => ({
  name: benchCase.name,
  files: samples[index].files,
  wall: stats(samples[index].walls),
  rss: stats(samples[index].rss),
}));

// --- Where quickscale init's time goes (the bin's own QUICKSCALE_PROFILE phases) ----------
const profiles = [];
for (let i = 0; i < WARMUP + RUNS; i++) {
  const dir = mkdtempSync(join(scratch, "profile-"));
  const result = spawnSync(
    process.execPath,
    [join(root, "bin", "quickscale.js"), "init", "myapp", "--skip-git"],
    {
      cwd: dir,
      env: { ...process.env, QUICKSCALE_PROFILE: "1", NO_COLOR: "1" },
      encoding: "utf8",
    },
  );
  if (i >= WARMUP) profiles.push(JSON.parse(result.stderr.trim().split("\n").pop()));
}
// The runs' folders, the profile runs' and the code cache, kept until now.
rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
const phase = (name) => stats(profiles.map((profile) => profile[name] ?? 0)).median;

// --- Report -----------------------------------------------------------------------------
const pad = (text, width) => String(text).padEnd(width);
const num = (value, digits = 0) => value.toFixed(digits).padStart(6);
console.log(
  `${cpus().length} CPUs, Node ${process.version}; ${RUNS} runs after ${WARMUP} warm-up runs, whole processes.\n`,
);
console.log(`${pad("command", 30)} files   wall ms: median    min    max   peak MiB: median    min    max`);
for (const r of results) {
  console.log(
    `${pad(r.name, 30)} ${String(r.files).padStart(5)}            ${num(r.wall.median)} ${num(r.wall.min)} ${num(r.wall.max)}              ${num(r.rss.median, 1)} ${num(r.rss.min, 1)} ${num(r.rss.max, 1)}`,
  );
}
const by = Object.fromEntries(results.map((r) => [r.name, r]));
const ratio = (a, b) =>
  `${(by[a].wall.median / by[b].wall.median).toFixed(2)}x time, ${(by[a].rss.median / by[b].rss.median).toFixed(2)}x memory`;
console.log("\nquickscale init, median ms by phase (from the bin's QUICKSCALE_PROFILE=1):");
const rulesOnly = phase("engine and rules") - phase("validation");
for (const [name, ms] of [
  ["node start", phase("node start")],
  ["loading the bin (bundle)", phase("loading the bin")],
  ["loading the engine (devkit)", phase("loading the engine")],
  ["engine and rules", rulesOnly],
  ["tree validation", phase("validation")],
  ["commit (staging + rename)", phase("commit")],
  ["total in process", phase("total")],
]) {
  console.log(`  ${pad(name, 30)} ${num(ms, 1)}`);
}
console.log("\nratios of medians:");
for (const [a, b] of [
  ["quickscale init", "django-admin startproject"],
  ["quickscale init (git)", "django-admin startproject"],
  ["quickscale init (git)", "quickscale init"],
  ["quickscale init", "node -e 0"],
  ["schematics quickscale:init", "quickscale init"],
  ["django-admin startproject", "node -e 0"],
  ["add billing (after auth)", "add auth (small project)"],
  ["add auth (20,000 more files)", "add auth (small project)"],
  ["add auth (5,000 comment lines)", "add auth (small project)"],
  ["update a 0.1.0 project", "quickscale init"],
  ["update 0.1.0 (20,000 more)", "update a 0.1.0 project"],
  ["add teams (after auth)", "add auth (small project)"],
  ["add auth (git)", "add auth (small project)"],
  ["add auth (git, 100,000 more)", "add auth (git)"],
]) {
  if (by[a] !== undefined && by[b] !== undefined) {
    console.log(`  ${pad(a, 30)} / ${pad(b, 26)} ${ratio(a, b)}`);
  }
}

// --- The generated project at run time (scripts/bench-serving.mjs) ----------------------
if (option("serving-rounds", 5) === 0) {
  process.exit(0);
}
const { benchServing, servingReport } = await import("./bench-serving.mjs");
console.log(
  "\nthe generated project served by gunicorn with the image's settings (gunicorn.conf.py, production settings, PostgreSQL, Redis),\nagainst a bare startproject view served the same way; load from a second process on 127.0.0.1:",
);
console.log(servingReport(await benchServing({ rounds: option("serving-rounds", 5) })));
