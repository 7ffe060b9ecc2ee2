import { spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { freshDirsPerSpec, removeDir, snapshot } from "./support/files";
import { generateProject } from "./support/generated-project";
import {
  baseEnv,
  BIN,
  describeRun,
  expectOneLineError,
  expectSuccess,
  GIT_IDENTITY,
  REPO_ROOT,
  run,
  runBin,
  RunResult,
} from "./support/process";
import { mapLimit } from "./support/project-trees";
import { ensureProjectEnv } from "./support/python-env";

const TIMEOUT_MS = 60_000;
/** A first run may build the cached venv of the generated project (pip downloads). */
const VENV_TIMEOUT_MS = 20 * 60_000;
const NAME = "myapp";
/** How every ANSI colour sequence starts (`ESC [ n m`). */
const ESCAPE = "\u001b[";

/** No stack trace and no Node-internal error dump, on either stream. */
function expectNoStackTrace(result: RunResult): void {
  for (const text of [result.stdout, result.stderr]) {
    expect(text)
      .withContext(describeRun(result))
      .not.toMatch(/\n\s+at /);
    expect(text).withContext(describeRun(result)).not.toContain("node:internal");
  }
}

/**
 * The `cd` line of the next steps, run by a POSIX shell in `cwd`: the folder it lands in.
 * The hint may span lines (a quoted newline), so everything between "  cd " and the next
 * step is the argument text.
 */
function landsIn(stdout: string, cwd: string): string {
  const hint = /\n {2}cd ([\s\S]*?)\n {2}uv sync/.exec(stdout)?.[1];
  expect(hint).withContext(`a cd hint in:\n${stdout}`).toBeDefined();
  const shell = spawnSync("sh", ["-c", `cd ${hint ?? "''"} && pwd -P`], { cwd, encoding: "utf8" });
  expect(shell.status).withContext(`sh: ${shell.stderr}`).toBe(0);
  return shell.stdout.replace(/\n$/, "");
}

/** Runs the bin on a pseudo-terminal (script(1)), with exactly `env` as its environment. */
function runOnTerminal(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  const quoted = [process.execPath, BIN, ...args].map((arg) => `'${arg}'`).join(" ");
  return run("script", ["-qec", quoted, "/dev/null"], { cwd, env, timeoutMs: TIMEOUT_MS });
}

/** baseEnv without its NO_COLOR, plus `extra`. */
function colourEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = baseEnv(extra);
  if (extra["NO_COLOR"] === undefined) {
    delete env["NO_COLOR"];
  }
  return env;
}

/**
 * Edge cases of `quickscale init` (the bin): git missing, mount points and long names as
 * targets, symbolic links that lead nowhere, paths a shell must quote, terminals that want
 * no colour, and names that a module's dependency would later shadow.
 */
describe("quickscale init, edge cases", () => {
  const freshDir = freshDirsPerSpec();

  describe("without git on PATH", () => {
    it(
      "writes the project without a repository, notes it in one line and exits 0",
      async () => {
        const cwd = freshDir("no-git");
        // Only an empty folder on PATH: the bin itself runs through process.execPath.
        const emptyPath = freshDir("empty-path");
        const result = await runBin(["init", NAME], cwd, { PATH: emptyPath });
        expectNoStackTrace(result);
        expectSuccess(result);
        expect(result.stderr).toBe("");
        expect(result.stdout).toMatch(/no git repository: git was not found/);
        expect(result.stdout.split("\n").filter((line) => /git/.test(line)).length)
          .withContext(result.stdout)
          .toBe(1);
        expect(existsSync(join(cwd, NAME, "manage.py"))).toBeTrue();
        expect(existsSync(join(cwd, NAME, ".git"))).toBeFalse();
      },
      TIMEOUT_MS,
    );

    it(
      "under the stock schematics CLI too: the project is written, with a note and no stack trace",
      async () => {
        const cwd = freshDir("no-git-stock");
        const cli = join(
          REPO_ROOT,
          "node_modules",
          "@angular-devkit",
          "schematics-cli",
          "bin",
          "schematics.js",
        );
        const collection = join(REPO_ROOT, "collection.json");
        const result = await run(process.execPath, [cli, `${collection}:init`, NAME, "--no-dry-run"], {
          cwd,
          env: baseEnv({ PATH: freshDir("empty-path") }),
          timeoutMs: TIMEOUT_MS,
        });
        expectNoStackTrace(result);
        expectSuccess(result);
        expect(result.stdout + result.stderr).toContain("git was not found on PATH");
        expect(existsSync(join(cwd, NAME, "manage.py"))).toBeTrue();
        expect(existsSync(join(cwd, NAME, ".git"))).toBeFalse();
      },
      TIMEOUT_MS,
    );

    it(
      "with git, makes the repository and first commit with three git processes: init, add, commit",
      async () => {
        const cwd = freshDir("git-count");
        // Git's own trace names every git process, those git starts itself (maintenance) too.
        const trace = join(freshDir("git-trace"), "trace.log");
        const result = await runBin(["init", NAME], cwd, { ...GIT_IDENTITY, GIT_TRACE: trace });
        expectSuccess(result);
        expect(result.stdout).toContain("a git repository with a first commit");
        const commands = readFileSync(trace, "utf8")
          .split("\n")
          .map((line) => / trace: (?:built-in|exec): git (?:-c \S+ )*(\S+)/.exec(line)?.[1])
          .filter((command) => command !== undefined);
        expect(commands).toEqual(["init", "add", "commit"]);
      },
      TIMEOUT_MS,
    );

    it(
      "makes no repository inside another one, and says so",
      async () => {
        const outer = freshDir("outer-repo");
        expect(spawnSync("git", ["init", "--quiet"], { cwd: outer }).status).toBe(0);
        const result = await runBin(["init", NAME], outer, GIT_IDENTITY);
        expectSuccess(result);
        expect(result.stdout).toContain("(no git repository: the folder is inside another git repository)");
        expect(existsSync(join(outer, NAME, ".git"))).toBeFalse();
      },
      TIMEOUT_MS,
    );

    it(
      "makes the project's own repository when GIT_DIR and GIT_WORK_TREE name another",
      async () => {
        const cwd = freshDir("git-dir-env");
        const other = freshDir("other-repo");
        expect(spawnSync("git", ["init", "--quiet"], { cwd: other }).status).toBe(0);
        const before = snapshot(other);
        const result = await runBin(["init", NAME], cwd, {
          ...GIT_IDENTITY,
          GIT_DIR: join(other, ".git"),
          GIT_WORK_TREE: other,
        });
        expectSuccess(result);
        expect(result.stdout).toContain("a git repository with a first commit");
        expect(snapshot(other)).toEqual(before);
        const log = spawnSync("git", ["log", "--format=%s"], { cwd: join(cwd, NAME), encoding: "utf8" });
        expect(log.stdout).toBe("Initial commit from QuickScale\n");
      },
      TIMEOUT_MS,
    );

    it(
      "still makes the first branch main unless init.defaultBranch is configured",
      async () => {
        const cwd = freshDir("branch");
        const home = freshDir("branch-home");
        const plain = await runBin(["init", "first", "--directory", "first"], cwd, {
          ...GIT_IDENTITY,
          HOME: home,
          GIT_CONFIG_NOSYSTEM: "1",
        });
        expectSuccess(plain);
        writeFileSync(join(home, ".gitconfig"), "[init]\n\tdefaultBranch = trunk\n");
        const configured = await runBin(["init", "second", "--directory", "second"], cwd, {
          ...GIT_IDENTITY,
          HOME: home,
          GIT_CONFIG_NOSYSTEM: "1",
        });
        expectSuccess(configured);
        const branch = (dir: string): string =>
          spawnSync("git", ["symbolic-ref", "--short", "HEAD"], {
            cwd: join(cwd, dir),
            encoding: "utf8",
          }).stdout.trim();
        // A configured master is a choice too, not git's unconfigured default.
        writeFileSync(join(home, ".gitconfig"), "[init]\n\tdefaultBranch = master\n");
        const master = await runBin(["init", "third", "--directory", "third"], cwd, {
          ...GIT_IDENTITY,
          HOME: home,
          GIT_CONFIG_NOSYSTEM: "1",
        });
        expectSuccess(master);
        expect(branch("first")).toBe("main");
        expect(branch("second")).toBe("trunk");
        expect(branch("third")).toBe("master");
      },
      TIMEOUT_MS,
    );
  });

  /**
   * A tmpfs is another file system (its own device number); a bind mount of a folder of the
   * same file system has the same device number, yet a rename out of it fails with EXDEV too.
   */
  const MOUNTS: { kind: string; args: (mountPoint: string, source: string) => string[] }[] = [
    { kind: "a tmpfs", args: (mountPoint) => ["-t", "tmpfs", "tmpfs", mountPoint] },
    { kind: "a bind mount", args: (mountPoint, source) => ["--bind", source, mountPoint] },
  ];
  for (const { kind, args: mountArgs } of MOUNTS) {
    describe(`on a mount point (${kind})`, () => {
      let mountPoint = "";
      let mounted = false;

      beforeEach(() => {
        const root = freshDir("mount");
        mountPoint = join(root, "mp");
        const source = join(root, "source");
        mkdirSync(mountPoint);
        mkdirSync(source);
        const mount = spawnSync("mount", mountArgs(mountPoint, source), { encoding: "utf8" });
        mounted = mount.status === 0;
        if (!mounted) {
          pending(`mount was refused (${mount.stderr.trim() || String(mount.error)}): it needs root`);
        }
      });
      afterEach(() => {
        if (mounted) {
          const umount = spawnSync("umount", [mountPoint], { encoding: "utf8" });
          expect(umount.status).withContext(`umount: ${umount.stderr}`).toBe(0);
        }
      });

      it(
        "creates the project in the empty mount point named by --directory",
        async () => {
          const result = await runBin(
            ["init", NAME, "--skip-git", "--directory", mountPoint],
            freshDir("cwd"),
          );
          expectNoStackTrace(result);
          expectSuccess(result);
          expect(existsSync(join(mountPoint, "manage.py"))).toBeTrue();
          expect(readdirSync(mountPoint).filter((entry) => entry.includes("staging"))).toEqual([]);
        },
        TIMEOUT_MS,
      );

      it(
        "creates the project in the mount point as the current folder (--directory .)",
        async () => {
          const result = await runBin(["init", NAME, "--directory", "."], mountPoint, GIT_IDENTITY);
          expectNoStackTrace(result);
          expectSuccess(result);
          expect(result.stdout).toContain("a git repository with a first commit");
          expect(existsSync(join(mountPoint, NAME, "settings", "base.py"))).toBeTrue();
          expect(readdirSync(mountPoint).filter((entry) => entry.includes("staging"))).toEqual([]);
        },
        TIMEOUT_MS,
      );

      it(
        "removes the staging folder a killed run left inside the mount point on the next run",
        async () => {
          const args = ["init", NAME, "--skip-git", "--directory", mountPoint];
          const cwd = freshDir("cwd");
          const killed = await runBin(args, cwd, { QUICKSCALE_TEST_FAULT: "kill:10" });
          expect(killed.signal).withContext(describeRun(killed)).toBe("SIGKILL");
          expect(existsSync(join(mountPoint, "manage.py")))
            .withContext("a partial project")
            .toBeFalse();

          const next = await runBin(args, cwd);
          expectSuccess(next);
          expect(existsSync(join(mountPoint, "manage.py"))).toBeTrue();
          expect(readdirSync(mountPoint).filter((entry) => entry.includes("staging"))).toEqual([]);
        },
        TIMEOUT_MS,
      );
    });
  }

  it(
    "accepts a 250-character folder name",
    async () => {
      const cwd = freshDir("long");
      const folder = "a".repeat(250);
      const result = await runBin(["init", NAME, "--skip-git", "--directory", folder], cwd);
      expectNoStackTrace(result);
      expectSuccess(result);
      expect(readdirSync(cwd)).toEqual([folder]);
      expect(existsSync(join(cwd, folder, "manage.py"))).toBeTrue();
    },
    TIMEOUT_MS,
  );

  describe("a symbolic link that leads nowhere", () => {
    const cases: { name: string; make: (cwd: string) => string[]; message: RegExp; advice: RegExp }[] = [
      {
        name: "a dangling link as the target",
        make: (cwd) => {
          symlinkSync("nowhere", join(cwd, "link"));
          return ["--directory", "link"];
        },
        message: /"[^"]*\/link" is a symbolic link to "nowhere", which does not exist/,
        advice: /remove the link or choose another --directory/i,
      },
      {
        name: "a link loop as the target",
        make: (cwd) => {
          symlinkSync("loop", join(cwd, "loop"));
          return ["--directory", "loop"];
        },
        message: /"[^"]*\/loop" is a symbolic link that loops/,
        advice: /remove the link or choose another --directory/i,
      },
      {
        name: "a dangling link as a parent of the target",
        make: (cwd) => {
          symlinkSync("nowhere", join(cwd, "link"));
          return ["--directory", "link/myapp"];
        },
        message: /"[^"]*\/link", a parent of "[^"]*", is a symbolic link to "nowhere", which does not exist/,
        advice: /remove the link or choose another --directory/i,
      },
    ];
    for (const c of cases) {
      it(
        `is named as the cause: ${c.name}`,
        async () => {
          const cwd = freshDir("link");
          const args = ["init", NAME, "--skip-git", ...c.make(cwd)];
          const before = snapshot(cwd);
          const result = await runBin(args, cwd);
          expectOneLineError(result, { quietStdout: true });
          expect(result.stderr).not.toContain("another process");
          expect(result.stderr).toMatch(c.message);
          expect(result.stderr).toMatch(c.advice);
          expect(snapshot(cwd)).toEqual(before);
        },
        TIMEOUT_MS,
      );
    }
  });

  describe("the next steps' cd hint", () => {
    for (const folder of ["my project", "it's here", "new\nline", "-dash", "$HOME`x`"]) {
      it(
        `takes a POSIX shell to the project: ${JSON.stringify(folder)}`,
        async () => {
          const cwd = freshDir("cd-hint");
          const result = await runBin(["init", NAME, "--skip-git", `--directory=${folder}`], cwd);
          expectSuccess(result);
          expect(landsIn(result.stdout, cwd)).toBe(join(cwd, folder));
        },
        TIMEOUT_MS,
      );
    }

    it(
      "stays a plain path when nothing needs quoting",
      async () => {
        const cwd = freshDir("cd-plain");
        const result = await runBin(["init", NAME, "--skip-git"], cwd);
        expectSuccess(result);
        expect(result.stdout).toContain(`\n  cd ${NAME}\n`);
      },
      TIMEOUT_MS,
    );
  });

  describe("colour on a terminal", () => {
    const args = ["init", "--help"];

    it(
      "is on for an ordinary terminal (the control case)",
      async () => {
        const cwd = freshDir("colour");
        const result = await runOnTerminal(["init", NAME, "--skip-git"], cwd, colourEnv({ TERM: "xterm" }));
        expectSuccess(result);
        expect(result.stdout).toContain(ESCAPE);
      },
      TIMEOUT_MS,
    );

    for (const [label, env] of [
      ["TERM=dumb", { TERM: "dumb" }],
      ["NO_COLOR=1", { TERM: "xterm", NO_COLOR: "1" }],
    ] as const) {
      it(
        `is off with ${label}, on stdout and stderr`,
        async () => {
          const cwd = freshDir("no-colour");
          const made = await runOnTerminal(["init", NAME, "--skip-git"], cwd, colourEnv(env));
          expectSuccess(made);
          expect(made.stdout).not.toContain(ESCAPE);
          // script(1) puts both streams on the terminal: an error's "error:" is there too.
          const refused = await runOnTerminal(["init", "Bad-Name"], cwd, colourEnv(env));
          expect(refused.stdout).toContain("error:");
          expect(refused.stdout).not.toContain(ESCAPE);
          const help = await runOnTerminal(args, cwd, colourEnv(env));
          expect(help.stdout).not.toContain(ESCAPE);
        },
        TIMEOUT_MS,
      );
    }
  });

  describe("names a module's dependency uses", () => {
    for (const name of ["allauth", "qrcode", "fido2", "cryptography"]) {
      it(
        `refuses ${name}, which add auth would shadow`,
        async () => {
          const cwd = freshDir("reserved");
          const result = await runBin(["init", name, "--skip-git"], cwd);
          expectOneLineError(result, { quietStdout: true });
          expect(result.stderr).toContain(`"${name}" would shadow`);
          expect(result.stderr).toContain(`Try "${name}_project"`);
          expect(readdirSync(cwd)).toEqual([]);
        },
        TIMEOUT_MS,
      );
    }
  });

  it(
    "refuses the name of every top-level package installed for a project with every module",
    async () => {
      const root = freshDir("venv-names");
      const project = join(root, "shop");
      expectSuccess(await runBin(["init", "shop", "--skip-git"], root));
      // No git repository (--skip-git): --allow-dirty lets the module run without one.
      expectSuccess(await runBin(["add", "auth", "--mfa", "--allow-dirty"], project));
      const py = await ensureProjectEnv(project);
      const listed = await py.run(
        "python",
        [
          "-c",
          'import pkgutil, sysconfig; paths = sysconfig.get_paths(); print("\\n".join(sorted({m.name for m in pkgutil.iter_modules([paths["purelib"], paths["platlib"]])})))',
        ],
        { cwd: root },
      );
      expectSuccess(listed);
      // Names that are not lower-case identifiers are refused by the name rule itself.
      const names = listed.stdout.split("\n").filter((name) => /^[a-z][a-z0-9_]*$/.test(name));
      expect(names).toContain("allauth");
      expect(names).toContain("django");
      const accepted = (
        await mapLimit(names, 2, async (name) => ({
          name,
          result: await runBin(["init", name, "--dry-run"], root),
        }))
      ).filter(({ result }) => result.code === 0 || !result.stderr.includes("would shadow"));
      expect(accepted.map(({ name }) => name))
        .withContext("names a project may take although its virtualenv installs a package of that name")
        .toEqual([]);
    },
    VENV_TIMEOUT_MS,
  );
});

/** `add` on a project whose manifest someone edited: refused in one line, nothing changed. */
describe("quickscale add, on a manifest it must not trust", () => {
  const freshDir = freshDirsPerSpec();
  let fixtures = "";
  let pristine = "";

  beforeAll(async () => {
    ({ root: fixtures, dir: pristine } = await generateProject("manifest-fixtures", "shop"));
  }, TIMEOUT_MS);

  afterAll(() => {
    removeDir(fixtures);
  });

  const cases: { name: string; edit: (manifest: Record<string, unknown>) => void; message: RegExp }[] = [
    {
      name: "a project named django",
      edit: (manifest) => {
        manifest["options"] = { name: "django" };
      },
      message: /\.quickscale\.json names the project "django", which .*would shadow the "django" package/,
    },
    {
      name: "a project name that is a path",
      edit: (manifest) => {
        manifest["options"] = { name: "../../elsewhere" };
      },
      message:
        /\.quickscale\.json names the project "\.\.\/\.\.\/elsewhere", which .*is not a Python package name/,
    },
    {
      name: 'a version that is not one ("quickscale": "banana")',
      edit: (manifest) => {
        manifest["quickscale"] = "banana";
      },
      message: /\.quickscale\.json records QuickScale version "banana", which is not a version/,
    },
    {
      name: 'a version with a leading zero ("quickscale": "01.0.0")',
      edit: (manifest) => {
        manifest["quickscale"] = "01.0.0";
      },
      message: /\.quickscale\.json records QuickScale version "01\.0\.0", which is not a version/,
    },
  ];

  for (const c of cases) {
    it(
      `refuses ${c.name}`,
      async () => {
        const project = join(freshDir("manifest"), "shop");
        cpSync(pristine, project, { recursive: true });
        const path = join(project, ".quickscale.json");
        const manifest = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
        c.edit(manifest);
        writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
        const before = snapshot(project);

        const result = await runBin(["add", "docker", "--allow-dirty"], project);
        expectOneLineError(result, { quietStdout: true });
        expect(result.stderr).toMatch(c.message);
        expect(result.stderr).toContain("restore it from version control");
        expect(snapshot(project)).toEqual(before);
      },
      TIMEOUT_MS,
    );
  }
});

describe("quickscale init interrupted before its commit", () => {
  const freshDir = freshDirsPerSpec();

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(
      `removes its staging folder on ${signal}, says nothing was written and exits as the signal asks`,
      async () => {
        const parent = freshDir("interrupted");
        // A git whose `init` takes 30 s: the run waits for it, past the rules, when the signal comes.
        const slowGit = freshDir("slow-git");
        const realGit = spawnSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).stdout.trim();
        writeFileSync(
          join(slowGit, "git"),
          `#!/bin/sh\nif [ "$1" = init ]; then exec sleep 30; fi\nexec ${realGit} "$@"\n`,
          { mode: 0o755 },
        );
        const child = spawn(process.execPath, [BIN, "init", NAME], {
          cwd: parent,
          env: baseEnv({ ...GIT_IDENTITY, PATH: `${slowGit}:${process.env["PATH"] ?? ""}` }),
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        const exit = new Promise<number | null>((resolve) => child.on("close", resolve));
        const staged = (): boolean =>
          readdirSync(parent).some((entry) => entry.includes("quickscale-staging"));
        for (let waited = 0; !staged() && waited < 20_000; waited += 20) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(staged()).withContext("the staging folder was reserved").toBeTrue();

        child.kill(signal);
        const code = await exit;

        expect(code)
          .withContext(stderr)
          .toBe(signal === "SIGINT" ? 130 : 143);
        expect(stderr).toContain(`Interrupted (${signal}): nothing was written.`);
        expect(readdirSync(parent)).toEqual([]);
      },
      TIMEOUT_MS,
    );
  }
});
