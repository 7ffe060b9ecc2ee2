import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { dockerignoreMatcher } from "./support/dockerfile";
import { freshDirsPerSpec, listFiles, removeDir, sha256, snapshot, tempDir } from "./support/files";
import { generateProject } from "./support/generated-project";
import {
  baseEnv,
  describeRun,
  expectOneLineError,
  expectSuccess,
  GIT_IDENTITY,
  run,
  runBin,
  RunResult,
} from "./support/process";
import { localSecretKey, manifestProblems, mapLimit, treeDifferences } from "./support/project-trees";
import { ensureProjectEnv } from "./support/python-env";

const RUN_TIMEOUT_MS = 60_000;
/** A first run may build the cached venv of the generated project (pip downloads). */
const VENV_TIMEOUT_MS = 20 * 60_000;
/** The name of the projects compared below (the fixtures of `add` are called "shop"). */
const NAME = "myapp";
const STAGING = /\.quickscale-staging-\d+/;
/** Django's `get_random_secret_key()` alphabet, 50 of them, labelled insecure. */
const DEVELOPMENT_KEY = /^django-insecure-[a-z0-9!@#$%^&*(\-_=+)]{50}$/;

function git(args: readonly string[], cwd: string): Promise<RunResult> {
  return run("git", args, { cwd, env: baseEnv(GIT_IDENTITY), timeoutMs: RUN_TIMEOUT_MS });
}

/** A snapshot without git's own folder, whose index `git status` refreshes. */
function diskState(root: string): string[] {
  return snapshot(root).filter((line) => !/(^|\/)\.git\//.test(line));
}

/** The paths under `root` named like a staging folder. */
function stagingLeftovers(root: string): string[] {
  return snapshot(root).filter((line) => STAGING.test(line));
}

/**
 * QuickScale's reliability: bad input is refused with one line and nothing written; a
 * write failure or a SIGKILL in the middle of a commit leaves no partial project; runs
 * at the same time do not trip over each other; and the only key a project carries is
 * its own development key, which production refuses.
 */
describe("reliability", () => {
  const freshDir = freshDirsPerSpec();

  describe("bad input", () => {
    /**
     * Each case runs in `work`, a fresh folder inside `root`; `root` also holds `elsewhere`
     * for paths that point outside the working folder. The whole of `root` (the working
     * folder and its parent) is compared before and after.
     */
    interface Workspace {
      root: string;
      work: string;
      /** A generated project copied to `work/shop`, when the case asked for one. */
      project: string;
    }

    interface BadInput {
      name: string;
      args: (ws: Workspace) => string[];
      /** Prepares the disk before the snapshot. */
      setup?: (ws: Workspace) => Promise<void> | void;
      /** Where the bin runs (default: `work`). */
      cwd?: (ws: Workspace) => string;
      /** Copy the pristine project to `work/shop` first. */
      needsProject?: boolean;
      /** What went wrong, as the message says it. */
      message: RegExp;
      /** What to do about it, as the message says it. */
      advice: RegExp;
      /** 2 for a usage mistake, 1 for the rest; unset where either is defensible. */
      exit?: 1 | 2;
    }

    const NOT_A_PACKAGE = /is not a Python package name/;
    const fileAt = (path: string, content = "mine\n"): void => {
      writeFileSync(path, content);
    };
    const dirWithFile = (path: string): void => {
      mkdirSync(path, { recursive: true });
      fileAt(join(path, "keep.txt"));
    };
    const editManifest = (ws: Workspace, edit: (text: string) => string): void => {
      const path = join(ws.project, ".quickscale.json");
      writeFileSync(path, edit(readFileSync(path, "utf8")));
    };

    const CASES: BadInput[] = [
      // Project names.
      {
        name: 'empty name (init "")',
        args: () => ["init", ""],
        message: /the project name is empty/,
        advice: /Try "myproject"/,
      },
      {
        name: "hyphenated name (my-app)",
        args: () => ["init", "my-app"],
        message: NOT_A_PACKAGE,
        advice: /Try "my_app"/,
      },
      {
        name: "upper-case name (MyApp)",
        args: () => ["init", "MyApp"],
        message: NOT_A_PACKAGE,
        advice: /Try "myapp"/,
      },
      {
        name: "dotted name (my.app)",
        args: () => ["init", "my.app"],
        message: NOT_A_PACKAGE,
        advice: /Try "my_app"/,
      },
      {
        name: "Python keyword (class)",
        args: () => ["init", "class"],
        message: /"class" is a Python keyword/,
        advice: /Try "class_project"/,
      },
      {
        name: "Python keyword (async)",
        args: () => ["init", "async"],
        message: /"async" is a Python keyword/,
        advice: /Try "async_project"/,
      },
      {
        name: "standard library module (json)",
        args: () => ["init", "json"],
        message: /"json" would shadow the Python standard library/,
        advice: /Try "json_project"/,
      },
      {
        name: "standard library module (test)",
        args: () => ["init", "test"],
        message: /"test" would shadow the Python standard library/,
        advice: /Try "test_project"/,
      },
      {
        name: "the django package (django)",
        args: () => ["init", "django"],
        message: /"django" would shadow the "django" package/,
        advice: /Try "django_project"/,
      },
      {
        name: "another dependency's import name (environ)",
        args: () => ["init", "environ"],
        message: /"environ" would shadow/,
        advice: /Try "environ_project"/,
      },
      {
        name: "one of the project's own folders (tests)",
        args: () => ["init", "tests"],
        message: /"tests" is the name of one of the project's own folders/,
        advice: /Try "tests_project"/,
      },
      {
        name: "leading digit (1app)",
        args: () => ["init", "1app"],
        message: NOT_A_PACKAGE,
        advice: /Try "app"/,
      },
      {
        name: "non-ASCII name (café)",
        args: () => ["init", "café"],
        message: NOT_A_PACKAGE,
        advice: /Try "cafe"/,
      },
      {
        name: "200 characters",
        args: () => ["init", "a".repeat(200)],
        message: /is 200 characters long; the limit is 58/,
        advice: new RegExp(`Try "a{58}"`),
      },
      {
        name: "59 characters, one past the limit",
        args: () => ["init", `app_${"x".repeat(55)}`],
        message: /is 59 characters long; the limit is 58/,
        advice: /Try "app_x{54}"/,
      },
      {
        name: "trailing underscore (myapp_)",
        args: () => ["init", "myapp_"],
        message: NOT_A_PACKAGE,
        advice: /Try "myapp"/,
      },
      {
        name: "a space inside (my app)",
        args: () => ["init", "my app"],
        message: NOT_A_PACKAGE,
        advice: /Try "my_app"/,
      },
      {
        name: "a newline inside the name, still reported on one line",
        args: () => ["init", "my\napp"],
        message: NOT_A_PACKAGE,
        advice: /Try "my_app"/,
      },
      {
        name: '".." as the name',
        args: () => ["init", ".."],
        message: NOT_A_PACKAGE,
        advice: /Try "myproject"/,
      },
      {
        name: "an absolute path as the name",
        args: (ws) => ["init", join(ws.root, "elsewhere", "myapp")],
        setup: (ws) => {
          mkdirSync(join(ws.root, "elsewhere"));
        },
        message: NOT_A_PACKAGE,
        advice: /Try "[a-z][a-z0-9_]*"/,
      },
      {
        name: '"/" as the name',
        args: () => ["init", "/"],
        message: NOT_A_PACKAGE,
        advice: /Try "myproject"/,
      },
      // Targets.
      {
        name: "a --directory that is a file",
        args: () => ["init", NAME, "--directory", "afile"],
        setup: (ws) => {
          fileAt(join(ws.work, "afile"));
        },
        message: /"[^"]*\/work\/afile" is a file/,
        advice: /Choose another --directory/,
        exit: 1,
      },
      {
        name: "a default target (./<name>) that is a file",
        args: () => ["init", NAME],
        setup: (ws) => {
          fileAt(join(ws.work, NAME));
        },
        message: /"[^"]*\/work\/myapp" is a file/,
        advice: /Choose another --directory/,
        exit: 1,
      },
      {
        name: "a non-empty directory",
        args: () => ["init", NAME],
        setup: (ws) => {
          dirWithFile(join(ws.work, NAME));
        },
        message: /already exists and is not empty/,
        advice: /Choose another --directory or remove it/,
        exit: 1,
      },
      {
        name: "a non-empty directory elsewhere (absolute --directory)",
        args: (ws) => ["init", NAME, "--directory", join(ws.root, "elsewhere")],
        setup: (ws) => {
          dirWithFile(join(ws.root, "elsewhere"));
        },
        message: /elsewhere" already exists and is not empty/,
        advice: /Choose another --directory or remove it/,
        exit: 1,
      },
      {
        name: "the working folder itself when it is not empty (--directory .)",
        args: () => ["init", NAME, "--directory", "."],
        setup: (ws) => {
          fileAt(join(ws.work, "keep.txt"));
        },
        message: /work" already exists and is not empty/,
        advice: /Choose another --directory or remove it/,
        exit: 1,
      },
      {
        name: "the parent folder (--directory ..)",
        args: () => ["init", NAME, "--directory", ".."],
        message: /already exists and is not empty/,
        advice: /Choose another --directory or remove it/,
        exit: 1,
      },
      {
        name: "a parent path that is a file",
        args: () => ["init", NAME, "--directory", "afile/inner/myapp"],
        setup: (ws) => {
          fileAt(join(ws.work, "afile"));
        },
        message: /"[^"]*\/work\/afile", a parent of "[^"]*", is a file/,
        advice: /Choose another --directory/,
        exit: 1,
      },
      {
        name: "a parent path that is a file, elsewhere (absolute --directory)",
        args: (ws) => ["init", NAME, "--directory", join(ws.root, "afile", "myapp")],
        setup: (ws) => {
          fileAt(join(ws.root, "afile"));
        },
        message: /afile", a parent of "[^"]*", is a file/,
        advice: /Choose another --directory/,
        exit: 1,
      },
      {
        name: "a --directory where no folder can be created (/proc)",
        args: () => ["init", NAME, "--directory", "/proc/quickscale-nowhere/myapp"],
        message: /\/proc\/quickscale-nowhere/,
        advice: /Choose another --directory/,
        exit: 1,
      },
      // Options and commands.
      {
        name: "unknown option (--frobnicate)",
        args: () => ["init", NAME, "--frobnicate"],
        message: /Unknown option "--frobnicate"/,
        advice: /Run "quickscale init --help"/,
        exit: 2,
      },
      {
        name: "unknown short option (-x)",
        args: () => ["init", NAME, "-x"],
        message: /Unknown option "-x"/,
        advice: /Run "quickscale init --help"/,
        exit: 2,
      },
      {
        name: "wrong option type (--skip-git=maybe)",
        args: () => ["init", NAME, "--skip-git=maybe"],
        message: /"--skip-git" takes true or false, not "maybe"/,
        advice: /Run "quickscale init --help"/,
        exit: 2,
      },
      {
        name: "wrong option type (--dry-run=maybe)",
        args: () => ["init", NAME, "--dry-run=maybe"],
        message: /"--dry-run" takes true or false, not "maybe"/,
        advice: /Run "quickscale init --help"/,
        exit: 2,
      },
      {
        name: "--directory without a value",
        args: () => ["init", NAME, "--directory"],
        message: /"--directory" needs a value/,
        advice: /--directory <path>/,
        exit: 2,
      },
      {
        name: "--directory with an empty value (--directory=)",
        args: () => ["init", NAME, "--directory="],
        message: /"--directory" needs a value/,
        advice: /--directory <path>/,
        exit: 2,
      },
      {
        name: "missing name with no terminal to ask (init)",
        args: () => ["init", "--skip-git"],
        message: /Missing project name/,
        advice: /quickscale init <name>/,
        exit: 2,
      },
      {
        name: "too many names (init a b)",
        args: () => ["init", "a", "b"],
        message: /Too many arguments: a b/,
        advice: /Give one project name/,
        exit: 2,
      },
      {
        name: "unknown command (deploy)",
        args: () => ["deploy"],
        message: /Unknown command "deploy"/,
        advice: /Run "quickscale --help"/,
        exit: 2,
      },
      {
        name: "unknown option before any command (--bogus)",
        args: () => ["--bogus"],
        message: /Unknown option "--bogus"/,
        advice: /Run "quickscale --help"/,
        exit: 2,
      },
      // Modules and projects.
      {
        name: "add docker in an empty folder",
        args: () => ["add", "docker"],
        message: /Not a QuickScale project: there is no \.quickscale\.json here/,
        advice: /inside a project made by "quickscale init"/,
        exit: 1,
      },
      {
        name: "add docker in a subfolder of a project",
        args: () => ["add", "docker"],
        needsProject: true,
        cwd: (ws) => join(ws.project, "shop"),
        message: /Not a QuickScale project/,
        advice: /inside a project made by "quickscale init"/,
        exit: 1,
      },
      {
        name: "add with an unknown concern (blog)",
        args: () => ["add", "blog"],
        needsProject: true,
        cwd: (ws) => ws.project,
        message: /Unknown module "blog"/,
        advice: /quickscale add <auth\|billing\|ci\|docker\|quality\|teams>/,
        exit: 2,
      },
      {
        name: "add without a concern",
        args: () => ["add"],
        needsProject: true,
        cwd: (ws) => ws.project,
        message: /Missing module/,
        advice: /quickscale add <auth\|billing\|ci\|docker\|quality\|teams>/,
        exit: 2,
      },
      {
        name: "add with two concerns (add docker ci)",
        args: () => ["add", "docker", "ci"],
        needsProject: true,
        cwd: (ws) => ws.project,
        message: /Unknown module "docker ci"/,
        advice: /quickscale add <auth\|billing\|ci\|docker\|quality\|teams>/,
        exit: 2,
      },
      {
        name: "add with a wrong option type (--overwrite=maybe)",
        args: () => ["add", "docker", "--overwrite=maybe"],
        needsProject: true,
        cwd: (ws) => ws.project,
        message: /"--overwrite" takes true or false, not "maybe"/,
        advice: /Run "quickscale add --help"/,
        exit: 2,
      },
      {
        name: "add with an option of init (--directory)",
        args: () => ["add", "docker", "--directory", "x"],
        needsProject: true,
        cwd: (ws) => ws.project,
        message: /Unknown option "--directory"/,
        advice: /Run "quickscale add --help"/,
        exit: 2,
      },
      {
        name: "add on a corrupt .quickscale.json",
        args: () => ["add", "docker"],
        needsProject: true,
        setup: (ws) => {
          editManifest(ws, (text) => text.slice(0, 40));
        },
        cwd: (ws) => ws.project,
        message: /\.quickscale\.json is corrupt/,
        advice: /restore it from version control/,
        exit: 1,
      },
      {
        name: "add on a .quickscale.json without its fields ({})",
        args: () => ["add", "docker"],
        needsProject: true,
        setup: (ws) => {
          editManifest(ws, () => "{}\n");
        },
        cwd: (ws) => ws.project,
        message: /\.quickscale\.json is corrupt/,
        advice: /restore it from version control/,
        exit: 1,
      },
      {
        name: 'add on a project from a newer QuickScale ("quickscale": "99.0.0")',
        args: () => ["add", "docker"],
        needsProject: true,
        setup: (ws) => {
          editManifest(ws, (text) => text.replace(/"quickscale": "[^"]+"/, '"quickscale": "99.0.0"'));
        },
        cwd: (ws) => ws.project,
        message: /made by QuickScale 99\.0\.0, newer than this QuickScale/,
        advice: /upgrade QuickScale/,
        exit: 1,
      },
      {
        name: "add on a git working tree with uncommitted changes in a file it writes",
        args: () => ["add", "docker"],
        needsProject: true,
        setup: async (ws) => {
          for (const args of [
            ["init", "-q"],
            ["add", "-A"],
            ["commit", "-qm", "Generated"],
          ]) {
            expectSuccess(await git(args, ws.project));
          }
          // Uncommitted: the deletion of a file add docker would restore. (A change only in
          // files it does not write is left to the user: add.spec.ts.)
          rmSync(join(ws.project, "Dockerfile"));
        },
        cwd: (ws) => ws.project,
        message: /uncommitted changes/,
        advice: /--allow-dirty/,
        exit: 1,
      },
      {
        name: "recover with an unknown option (--force)",
        args: () => ["recover", "--force"],
        needsProject: true,
        cwd: (ws) => ws.project,
        message: /Unknown option "--force"/,
        advice: /Run "quickscale( recover)? --help"/,
        exit: 2,
      },
      {
        name: "recover on a corrupt journal",
        args: () => ["recover"],
        needsProject: true,
        setup: (ws) => {
          mkdirSync(join(ws.project, ".quickscale-journal"));
          fileAt(join(ws.project, ".quickscale-journal", "journal.json"), '{"entries": [');
        },
        cwd: (ws) => ws.project,
        message: /\.quickscale-journal/,
        advice: /remove|delete|restore/i,
        exit: 1,
      },
    ];

    let fixtures = "";
    /** A pristine generated project, copied for the cases that need one. */
    let pristine = "";

    beforeAll(async () => {
      ({ root: fixtures, dir: pristine } = await generateProject("bad-input-fixtures", "shop"));
    }, RUN_TIMEOUT_MS);

    afterAll(() => {
      removeDir(fixtures);
    });

    for (const c of CASES) {
      it(
        c.name,
        async () => {
          const root = freshDir("bad-input");
          const work = join(root, "work");
          mkdirSync(work);
          const ws: Workspace = { root, work, project: join(work, "shop") };
          if (c.needsProject === true) {
            expect(existsSync(pristine)).withContext("the fixture project (see beforeAll)").toBeTrue();
            cpSync(pristine, ws.project, { recursive: true });
          }
          await c.setup?.(ws);
          const before = diskState(root);

          const result = await runBin(c.args(ws), c.cwd?.(ws) ?? work, GIT_IDENTITY);

          expectOneLineError(result);
          if (c.exit !== undefined) {
            expect(result.code).withContext(describeRun(result)).toBe(c.exit);
          }
          expect(result.stdout).withContext("stdout").toBe("");
          expect(result.stderr).withContext("what went wrong").toMatch(c.message);
          expect(result.stderr).withContext("what to do").toMatch(c.advice);
          expect(diskState(root))
            .withContext("the working folder and its parent after the run")
            .toEqual(before);
        },
        RUN_TIMEOUT_MS,
      );
    }
  });

  describe("faults", () => {
    type Fault = "fail-write" | "kill";
    type Position = "first" | "middle" | "last";
    const FAULTS: Fault[] = ["fail-write", "kill"];
    const POSITIONS: Position[] = ["first", "middle", "last"];
    const writeIndex = (position: Position, writes: number): number =>
      position === "first" ? 0 : position === "middle" ? Math.floor(writes / 2) : writes - 1;

    let fixtures = "";
    /** A project generated without faults: what every recovered `init` must match. */
    let reference = "";
    let initWrites = 0;
    /** A generated project on which `add docker` has creations and updates to make. */
    let stale = "";
    let addWrites = 0;
    /** The stale project after an `add docker` without faults. */
    let added: string[] = [];

    /**
     * Deletes two docker files and replaces docker-compose.yml with an "older" version whose
     * hash the manifest records, so that `add docker` creates, updates and rewrites the manifest.
     */
    const makeStale = (project: string): void => {
      for (const file of ["Dockerfile", ".dockerignore"]) {
        rmSync(join(project, file));
      }
      const older = "services: {}\n";
      writeFileSync(join(project, "docker-compose.yml"), older);
      const manifestPath = join(project, ".quickscale.json");
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { files: Record<string, string> };
      manifest.files["docker-compose.yml"] = sha256(older);
      writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    };

    beforeAll(async () => {
      fixtures = tempDir("fault-fixtures");
      const made = await runBin(["init", NAME, "--skip-git", "--directory", "reference"], fixtures);
      const madeStale = await runBin(["init", "shop", "--skip-git", "--directory", "stale"], fixtures);
      for (const result of [made, madeStale]) {
        if (result.code !== 0) {
          throw new Error(`Generating a fixture project failed:\n${describeRun(result)}`);
        }
      }
      reference = join(fixtures, "reference");
      initWrites = listFiles(reference).length;
      stale = join(fixtures, "stale");
      makeStale(stale);
      const dry = await runBin(["add", "docker", "--dry-run"], stale);
      const count = /Dry run: (\d+) files would change/.exec(dry.stdout)?.[1];
      if (dry.code !== 0 || count === undefined) {
        throw new Error(`A dry run of add docker on the stale project failed:\n${describeRun(dry)}`);
      }
      addWrites = Number(count);
      const applied = join(fixtures, "applied");
      cpSync(stale, applied, { recursive: true });
      const clean = await runBin(["add", "docker"], applied);
      if (clean.code !== 0) {
        throw new Error(`add docker without faults failed:\n${describeRun(clean)}`);
      }
      added = snapshot(applied);
    }, RUN_TIMEOUT_MS);

    afterAll(() => {
      removeDir(fixtures);
    });

    it("have enough writes for first, middle and last to differ", () => {
      expect(initWrites).toBeGreaterThanOrEqual(3);
      expect(addWrites).toBeGreaterThanOrEqual(3);
    });

    /** Where a new project goes: beside the working folder, deeper, or into the (empty) working folder. */
    interface Layout {
      label: string;
      /** The working folder, relative to the temp root (created empty). */
      cwd: string;
      args: string[];
      /** The target, relative to the temp root. */
      target: string;
    }
    const SIBLING: Layout = { label: "./myapp", cwd: ".", args: [], target: NAME };
    const NESTED: Layout = {
      label: "new nested folders (--directory new/deeper/myapp)",
      cwd: ".",
      args: ["--directory", "new/deeper/myapp"],
      target: "new/deeper/myapp",
    };
    const CURRENT: Layout = {
      label: "the empty working folder (--directory .)",
      cwd: "here",
      args: ["--directory", "."],
      target: "here",
    };
    const INIT_CASES: { fault: Fault; position: Position; layout: Layout }[] = [
      ...FAULTS.flatMap((fault) => POSITIONS.map((position) => ({ fault, position, layout: SIBLING }))),
      ...FAULTS.flatMap((fault) =>
        [NESTED, CURRENT].map((layout) => ({ fault, position: "middle" as const, layout })),
      ),
    ];

    for (const { fault, position, layout } of INIT_CASES) {
      it(
        `init: ${fault} at the ${position} write into ${layout.label} leaves no partial project`,
        async () => {
          const root = freshDir("fault-init");
          writeFileSync(join(root, "unrelated.txt"), "untouched\n");
          const cwd = join(root, layout.cwd);
          mkdirSync(cwd, { recursive: true });
          const target = join(root, layout.target);
          const args = ["init", NAME, "--skip-git", ...layout.args];
          const before = snapshot(root);
          const at = writeIndex(position, initWrites);

          const faulty = await runBin(args, cwd, { QUICKSCALE_TEST_FAULT: `${fault}:${at}` });
          if (fault === "fail-write") {
            expectOneLineError(faulty);
            expect(faulty.stderr).toContain("Injected write failure");
            expect(snapshot(root)).withContext("the disk after the failed write").toEqual(before);
          } else {
            expect(faulty.signal).withContext(describeRun(faulty)).toBe("SIGKILL");
            const left = existsSync(target) ? readdirSync(target) : [];
            expect(left).withContext("a partial project in the target").toEqual([]);
          }

          const next = await runBin(args, cwd);
          expectSuccess(next);
          expect(stagingLeftovers(root)).withContext("staging folders after the next run").toEqual([]);
          expect(treeDifferences(reference, target, NAME))
            .withContext("the project of the next run against one made without faults")
            .toEqual([]);
          // Apart from the new project (and the folders above it), the disk is as it was.
          const targetLines = (line: string): boolean =>
            line.startsWith(`${layout.target}/`) || `${layout.target}/`.startsWith(line);
          expect(snapshot(root).filter((line) => !targetLines(line))).toEqual(
            before.filter((line) => !targetLines(line)),
          );
        },
        RUN_TIMEOUT_MS,
      );
    }

    for (const fault of FAULTS) {
      for (const position of POSITIONS) {
        it(
          `add: ${fault} at the ${position} write changes nothing once recovered`,
          async () => {
            const project = join(freshDir("fault-add"), "shop");
            cpSync(stale, project, { recursive: true });
            const before = snapshot(project);
            const env = { QUICKSCALE_TEST_FAULT: `${fault}:${writeIndex(position, addWrites)}` };

            const faulty = await runBin(["add", "docker"], project, env);
            if (fault === "fail-write") {
              expectOneLineError(faulty);
              expect(faulty.stderr).toContain("Injected write failure");
              expect(snapshot(project)).withContext("the project after the failed write").toEqual(before);
            } else {
              expect(faulty.signal).withContext(describeRun(faulty)).toBe("SIGKILL");
              expect(existsSync(join(project, ".quickscale-journal")))
                .withContext("the journal")
                .toBeTrue();

              const recovered = await runBin(["recover"], project);
              expectSuccess(recovered);
              expect(recovered.stdout).toMatch(
                /^Rolled back an interrupted QuickScale run \(\d+ files restored\)/,
              );
              expect(snapshot(project)).withContext("the project after quickscale recover").toEqual(before);

              // Killed again: this time the next add recovers by itself, then applies.
              const again = await runBin(["add", "docker"], project, env);
              expect(again.signal).withContext(describeRun(again)).toBe("SIGKILL");
            }

            const next = await runBin(["add", "docker"], project);
            expectSuccess(next);
            if (fault === "kill") {
              expect(next.stdout).toContain("Rolled back an interrupted QuickScale run");
            }
            expect(snapshot(project))
              .withContext("the project after the next add, against an add without faults")
              .toEqual(added);
          },
          RUN_TIMEOUT_MS,
        );
      }
    }
  });

  describe("concurrency", () => {
    const PROCESSES = 20;
    const RACES = 5;

    it(
      `${PROCESSES} init processes at once into distinct folders all succeed with identical trees apart from secrets`,
      async () => {
        const root = freshDir("concurrent");
        const folders = Array.from(
          { length: PROCESSES },
          (_item, index) => `p${String(index).padStart(2, "0")}`,
        );
        const results = await Promise.all(
          folders.map((folder) => runBin(["init", NAME, "--skip-git", "--directory", folder], root)),
        );
        results.forEach(expectSuccess);
        expect(readdirSync(root).sort()).withContext("nothing but the projects").toEqual(folders);

        const [first = "", ...others] = folders.map((folder) => join(root, folder));
        for (const project of [first, ...others]) {
          expect(manifestProblems(project)).withContext(relative(root, project)).toEqual([]);
        }
        for (const project of others) {
          expect(treeDifferences(first, project, NAME))
            .withContext(`${relative(root, first)} against ${relative(root, project)}`)
            .toEqual([]);
        }
        const keys = new Set(folders.map((folder) => localSecretKey(join(root, folder), NAME)));
        expect(keys.size).withContext("distinct development keys").toBe(PROCESSES);
      },
      3 * RUN_TIMEOUT_MS,
    );

    for (let round = 1; round <= RACES; round++) {
      // Odd rounds race for a folder beside the working folder, even ones for new nested folders.
      const target = round % 2 === 1 ? "race" : "new/deeper/race";
      it(
        `two processes racing for the same folder (${target}): one succeeds, the other fails cleanly (round ${round} of ${RACES})`,
        async () => {
          const root = freshDir("race");
          const args = ["init", NAME, "--skip-git", "--directory", target];
          const results = await Promise.all([runBin(args, root), runBin(args, root)]);
          const winners = results.filter((result) => result.code === 0);
          const losers = results.filter((result) => result.code !== 0);
          expect(winners.length)
            .withContext(results.map((result) => describeRun(result, 2_000)).join("\n"))
            .toBe(1);
          for (const loser of losers) {
            expectOneLineError(loser);
          }
          expect(stagingLeftovers(root)).withContext("staging folders").toEqual([]);
          const project = join(root, target);
          expect(existsSync(join(project, "manage.py")))
            .withContext("the winner's project")
            .toBeTrue();
          expect(manifestProblems(project)).withContext("the winner's project, complete").toEqual([]);
        },
        RUN_TIMEOUT_MS,
      );
    }
  });

  describe("secrets", () => {
    const PROJECTS = 100;
    const PARALLEL = 8;

    it(
      `${PROJECTS} generated projects have ${PROJECTS} distinct development keys`,
      async () => {
        const root = freshDir("keys");
        // The first failure stops the remaining runs (and is the one reported).
        let failure: RunResult | undefined;
        const keys = await mapLimit(
          Array.from({ length: PROJECTS }, (_item, index) => `k${index}`),
          PARALLEL,
          async (folder) => {
            if (failure !== undefined) {
              return "";
            }
            const result = await runBin(["init", NAME, "--skip-git", "--directory", folder], root);
            if (result.code !== 0) {
              failure ??= result;
              return "";
            }
            const key = localSecretKey(join(root, folder), NAME);
            removeDir(join(root, folder));
            return key;
          },
        );
        if (failure !== undefined) {
          fail(`A generation failed:\n${describeRun(failure, 4_000)}`);
          return;
        }
        for (const key of keys) {
          expect(key).toMatch(DEVELOPMENT_KEY);
        }
        expect(new Set(keys).size).withContext("distinct keys").toBe(PROJECTS);
      },
      5 * RUN_TIMEOUT_MS,
    );

    describe("in a project's git repository", () => {
      const PROJECT = "shop";
      let root = "";
      let project = "";
      let key = "";

      beforeAll(async () => {
        root = tempDir("secrets");
        project = join(root, PROJECT);
        const made = await runBin(["init", PROJECT, "--skip-git"], root);
        if (made.code !== 0) {
          throw new Error(`Generating the project failed:\n${describeRun(made)}`);
        }
        for (const args of [
          ["-c", "init.defaultBranch=main", "init", "-q"],
          ["add", "-A"],
        ]) {
          const result = await git(args, project);
          if (result.code !== 0) {
            throw new Error(describeRun(result));
          }
        }
        key = localSecretKey(project, PROJECT);
      }, RUN_TIMEOUT_MS);

      afterAll(() => {
        removeDir(root);
      });

      it(
        "holds one secret-key-like value in its tracked files: the local development key",
        async () => {
          expect(key).toMatch(DEVELOPMENT_KEY);
          const listed = await git(["ls-files", "-z"], project);
          expectSuccess(listed);
          const tracked = listed.stdout.split("\0").filter((path) => path !== "");
          expect(tracked.length).withContext("tracked files").toBeGreaterThan(30);
          const found = new Set<string>();
          for (const path of tracked) {
            for (const value of secretLikeValues(path, readFileSync(join(project, path), "utf8"))) {
              found.add(`${path}: ${value}`);
            }
          }
          expect([...found]).toEqual([`${PROJECT}/settings/local.py: ${key}`]);
        },
        RUN_TIMEOUT_MS,
      );

      it(
        "refuses the development key in production, accepts a real one, and tests with the local key",
        async () => {
          const py = await ensureProjectEnv(project);
          const python = (settings: string, code: string, extra: NodeJS.ProcessEnv): Promise<RunResult> =>
            py.run("python", ["-c", code], {
              cwd: project,
              env: { DJANGO_SETTINGS_MODULE: `${PROJECT}.settings.${settings}`, ...extra },
              timeoutMs: RUN_TIMEOUT_MS,
            });
          const production = {
            ALLOWED_HOSTS: "example.com",
            DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${PROJECT}`,
            REDIS_URL: "redis://127.0.0.1:6379/0",
          };
          const setup = "import django; django.setup()";

          const refused = await python("production", setup, { ...production, SECRET_KEY: key });
          expect(refused.code).withContext(describeRun(refused)).not.toBe(0);
          expect(refused.stderr).withContext(describeRun(refused)).toContain("ImproperlyConfigured");
          expect(refused.stderr).withContext(describeRun(refused)).toContain("SECRET_KEY");

          const real = randomBytes(48).toString("base64url");
          expectSuccess(await python("production", setup, { ...production, SECRET_KEY: real }));

          const test = await python(
            "test",
            "from django.conf import settings; print(settings.SECRET_KEY)",
            {},
          );
          expectSuccess(test);
          expect(test.stdout.trim()).withContext("the test settings' key").toBe(key);

          for (const args of [
            ["check", "--no-cache", "."],
            ["format", "--check", "--no-cache", "."],
          ]) {
            expectSuccess(await py.run("ruff", args, { cwd: project }));
          }
        },
        VENV_TIMEOUT_MS,
      );

      it(
        "keeps any .env out of git and out of the Docker build context, but not .env.example",
        async () => {
          const envFiles = [".env", ".env.local", ".env.production"];
          for (const file of envFiles) {
            writeFileSync(join(project, file), `SECRET_KEY=${randomBytes(48).toString("base64url")}\n`);
          }
          try {
            await expectEnvFilesIgnored(envFiles);
          } finally {
            envFiles.forEach((file) => {
              rmSync(join(project, file), { force: true });
            });
          }
        },
        RUN_TIMEOUT_MS,
      );

      async function expectEnvFilesIgnored(envFiles: readonly string[]): Promise<void> {
        for (const file of envFiles) {
          const ignored = await git(["check-ignore", "-q", file], project);
          expect(ignored.code).withContext(`git check-ignore ${file}`).toBe(0);
        }
        const example = await git(["check-ignore", "-q", ".env.example"], project);
        expect(example.code).withContext("git check-ignore .env.example (1: not ignored)").toBe(1);
        const tracked = await git(["ls-files", "--error-unmatch", ".env.example"], project);
        expect(tracked.code).withContext(describeRun(tracked)).toBe(0);
        const status = await git(["status", "--porcelain", "--untracked-files=all"], project);
        const untracked = status.stdout.split("\n").filter((line) => line.startsWith("??"));
        expect(untracked).withContext("files git would offer to add").toEqual([]);

        const excluded = dockerignoreMatcher(readFileSync(join(project, ".dockerignore"), "utf8"));
        for (const file of envFiles) {
          expect(excluded(file)).withContext(`.dockerignore excludes ${file}`).toBeTrue();
        }
        expect(excluded("manage.py")).withContext(".dockerignore keeps the code").toBeFalse();
      }
    });
  });
});

/**
 * The secret-key-like values in a file: a quoted `SECRET_KEY = "…"` / `SECRET_KEY: "…"`
 * assignment (values computed at run time, starting with `$`, are not stored secrets),
 * an unquoted `SECRET_KEY=…` line outside Python (dotenv, shell), and any
 * `django-insecure-…` string of 50 characters or more.
 */
function secretLikeValues(path: string, text: string): string[] {
  const values: string[] = [];
  for (const match of text.matchAll(/\bSECRET_KEY["']?[ \t]*[=:][ \t]*(["'])(.*?)\1/g)) {
    values.push(match[2] ?? "");
  }
  if (!path.endsWith(".py")) {
    for (const match of text.matchAll(/^[ \t]*(?:export[ \t]+)?SECRET_KEY[ \t]*=[ \t]*([^\s"'#]\S*)/gm)) {
      values.push(match[1] ?? "");
    }
  }
  for (const match of text.matchAll(/django-insecure-[^\s"'`]*/g)) {
    if (match[0].length >= 50) {
      values.push(match[0]);
    }
  }
  return values.filter((value) => value !== "" && !value.startsWith("$"));
}
