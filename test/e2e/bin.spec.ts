import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freshDirsPerSpec, listFiles, snapshot } from "./support/files";
import {
  baseEnv,
  BIN,
  describeRun,
  expectSuccess,
  GIT_IDENTITY,
  REPO_ROOT,
  run,
  runBin,
  RunResult,
} from "./support/process";

const TIMEOUT_MS = 60_000;
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string })
  .version;

/** The lines a stream got, without the final newline's empty line. */
function lines(text: string): string[] {
  return text.split("\n").filter((line, index, all) => !(line === "" && index === all.length - 1));
}

describe("the quickscale bin", () => {
  const freshDir = freshDirsPerSpec();

  describe("help and version", () => {
    it(
      "prints its usage with --help and exits 0",
      async () => {
        const result = await runBin(["--help"], freshDir("help"));
        expectSuccess(result);
        expect(result.stdout).toContain("Usage: quickscale");
        expect(result.stdout).toContain("init <name>");
        expect(result.stderr).toBe("");
      },
      TIMEOUT_MS,
    );

    it(
      "prints the package.json version with --version",
      async () => {
        const result = await runBin(["--version"], freshDir("version"));
        expectSuccess(result);
        expect(result.stdout).toBe(`${VERSION}\n`);
      },
      TIMEOUT_MS,
    );

    it(
      "prints the options of init with init --help",
      async () => {
        const cwd = freshDir("init-help");
        const result = await runBin(["init", "--help"], cwd);
        expectSuccess(result);
        expect(result.stdout).toContain("Usage: quickscale init <name>");
        for (const flag of ["--directory", "--skip-git", "--dry-run", "--help"]) {
          expect(result.stdout).withContext(flag).toContain(flag);
        }
        expect(readdirSync(cwd)).toEqual([]);
      },
      TIMEOUT_MS,
    );
  });

  describe("--dry-run", () => {
    it(
      "lists every file a real run creates and writes nothing",
      async () => {
        const dry = freshDir("dry");
        const real = freshDir("real");
        const dryRun = await runBin(["init", "myapp", "--dry-run"], dry);
        expectSuccess(dryRun);
        expect(readdirSync(dry)).withContext("files written by a dry run").toEqual([]);

        const realRun = await runBin(["init", "myapp", "--skip-git"], real);
        expectSuccess(realRun);
        const written = listFiles(join(real, "myapp")).map((file) => `myapp/${file}`);

        const created = lines(dryRun.stdout)
          .map((line) => /^CREATE (\S+) \(\d+ bytes\)$/.exec(line)?.[1])
          .filter((path): path is string => path !== undefined);
        expect(created.length).withContext(dryRun.stdout).toBe(written.length);
        expect([...created].sort()).toEqual(written);
        expect(dryRun.stdout).toContain(`${written.length} files`);
      },
      TIMEOUT_MS,
    );

    it(
      "writes for real with --dry-run=false",
      async () => {
        const cwd = freshDir("dry-false");
        const result = await runBin(["init", "myapp", "--dry-run=false", "--skip-git"], cwd);
        expectSuccess(result);
        expect(existsSync(join(cwd, "myapp", "manage.py"))).toBeTrue();
        expect(existsSync(join(cwd, "myapp", ".quickscale.json"))).toBeTrue();
      },
      TIMEOUT_MS,
    );
  });

  describe("git", () => {
    it(
      "says so when git has no identity and the first commit cannot be made",
      async () => {
        const cwd = freshDir("git-anonymous");
        const home = freshDir("git-home");
        const result = await runBin(["init", "myapp"], cwd, {
          HOME: home,
          GIT_CONFIG_NOSYSTEM: "1",
          // Never guess an identity from the host name.
          GIT_CONFIG_COUNT: "1",
          GIT_CONFIG_KEY_0: "user.useConfigOnly",
          GIT_CONFIG_VALUE_0: "true",
        });
        expectSuccess(result);
        expect(result.stdout).toContain(
          "a git repository without a commit (set git's user.name and user.email",
        );
      },
      TIMEOUT_MS,
    );

    it(
      "makes a repository with one commit holding every file",
      async () => {
        const cwd = freshDir("git");
        // A fresh machine may have no git identity: give the commit one explicitly.
        const result = await runBin(["init", "myapp"], cwd, GIT_IDENTITY);
        expectSuccess(result);
        expect(result.stdout).toContain("a git repository with a first commit");
        const project = join(cwd, "myapp");
        const git = (args: string[]): Promise<RunResult> =>
          run("git", args, { cwd: project, env: baseEnv() });

        const log = await git(["log", "--oneline"]);
        expectSuccess(log);
        expect(lines(log.stdout).length).withContext(describeRun(log)).toBe(1);

        const status = await git(["status", "--porcelain", "--untracked-files=all", "--ignored"]);
        expectSuccess(status);
        expect(status.stdout).withContext("files left out of the first commit").toBe("");

        const tracked = await git(["ls-files"]);
        expect(lines(tracked.stdout).sort()).toEqual(listFiles(project, (path) => path === ".git"));
      },
      TIMEOUT_MS,
    );

    it(
      "makes no repository with --skip-git",
      async () => {
        const cwd = freshDir("skip-git");
        expectSuccess(await runBin(["init", "myapp", "--skip-git"], cwd));
        expect(existsSync(join(cwd, "myapp", ".git"))).toBeFalse();
      },
      TIMEOUT_MS,
    );
  });

  it(
    "asks for a missing name on a terminal",
    async () => {
      const cwd = freshDir("prompt");
      // script(1) gives the bin a real pseudo-terminal; the answer is typed on its stdin.
      const result = await run(
        "script",
        ["-qec", `${process.execPath} ${BIN} init --skip-git`, "/dev/null"],
        {
          cwd,
          env: baseEnv(),
          input: "shop\n",
          timeoutMs: TIMEOUT_MS,
        },
      );
      expectSuccess(result);
      expect(result.stdout).toContain("What name would you like to use for the project?");
      expect(existsSync(join(cwd, "shop", "manage.py"))).toBeTrue();
    },
    TIMEOUT_MS,
  );

  it(
    "accepts a camelCase flag as its kebab-case form and an existing empty folder as the target",
    async () => {
      const cwd = freshDir("camel");
      mkdirSync(join(cwd, "here"));
      expectSuccess(await runBin(["init", "myapp", "--skipGit", "--directory", "here"], cwd));
      expect(existsSync(join(cwd, "here", "manage.py"))).toBeTrue();
      expect(existsSync(join(cwd, "here", ".git"))).toBeFalse();
    },
    TIMEOUT_MS,
  );

  describe("bad input", () => {
    /** Runs the bin and expects a failure with one line on stderr and `cwd` unchanged. */
    async function expectRefused(cwd: string, args: string[], message: RegExp): Promise<void> {
      const before = snapshot(cwd);
      const result = await runBin(args, cwd);
      expect(result.code).withContext(describeRun(result)).not.toBe(0);
      expect(result.signal).toBeNull();
      expect(lines(result.stderr).length).withContext(`stderr: ${result.stderr}`).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(snapshot(cwd)).withContext("the folder after the refused run").toEqual(before);
    }

    it(
      "refuses an invalid project name",
      async () => {
        const cwd = freshDir("bad-name");
        await expectRefused(cwd, ["init", "Bad-Name"], /Bad-Name/);
        await expectRefused(cwd, ["init", "class"], /class/);
        await expectRefused(cwd, ["init", "django"], /django/);
      },
      TIMEOUT_MS,
    );

    it(
      "refuses a missing name when no one can be asked (no TTY)",
      async () => {
        const cwd = freshDir("no-name");
        await expectRefused(cwd, ["init"], /Missing project name: quickscale init <name>\./);
        await expectRefused(cwd, ["init", "a", "b"], /Too many arguments/);
        await expectRefused(cwd, ["init", "myapp", "--skip-git=maybe"], /true or false/);
        await expectRefused(cwd, ["init", "myapp", "--directory"], /needs a value/);
        await expectRefused(cwd, ["deploy"], /Unknown command "deploy"/);
      },
      TIMEOUT_MS,
    );

    it(
      "refuses an existing non-empty folder",
      async () => {
        const cwd = freshDir("non-empty");
        mkdirSync(join(cwd, "myapp"));
        writeFileSync(join(cwd, "myapp", "keep.txt"), "mine\n");
        await expectRefused(cwd, ["init", "myapp"], /not empty/);
        await expectRefused(cwd, ["init", "other", "--directory", "myapp"], /not empty/);
      },
      TIMEOUT_MS,
    );

    it(
      "refuses a file as the target",
      async () => {
        const cwd = freshDir("file-target");
        writeFileSync(join(cwd, "myapp"), "a file\n");
        await expectRefused(cwd, ["init", "myapp"], /is a file/);
        await expectRefused(cwd, ["init", "myapp", "--directory", "myapp/inner"], /is a file/);
      },
      TIMEOUT_MS,
    );

    it(
      "refuses an unknown option",
      async () => {
        const cwd = freshDir("unknown-option");
        await expectRefused(cwd, ["init", "myapp", "--frobnicate"], /--frobnicate/);
        await expectRefused(cwd, ["init", "myapp", "--dry-run=maybe"], /dry-run/);
        await expectRefused(cwd, ["init", "myapp", "extra"], /extra/);
      },
      TIMEOUT_MS,
    );
  });

  describe("the atomic commit", () => {
    it(
      "leaves the parent folder exactly as it was when a write fails",
      async () => {
        const cwd = freshDir("fail-write");
        writeFileSync(join(cwd, "unrelated.txt"), "untouched\n");
        const before = snapshot(cwd);
        const result = await runBin(["init", "myapp", "--skip-git"], cwd, {
          QUICKSCALE_TEST_FAULT: "fail-write:10",
        });
        expect(result.code).withContext(describeRun(result)).not.toBe(0);
        expect(lines(result.stderr).length).withContext(result.stderr).toBe(1);
        expect(result.stderr).toContain("Injected write failure");
        expect(snapshot(cwd)).toEqual(before);
      },
      TIMEOUT_MS,
    );

    it(
      "with git, leaves the parent folder as it was when a write fails: the repository begun in the staging folder goes too",
      async () => {
        const cwd = freshDir("fail-write-git");
        writeFileSync(join(cwd, "unrelated.txt"), "untouched\n");
        const before = snapshot(cwd);
        const result = await runBin(["init", "myapp"], cwd, {
          ...GIT_IDENTITY,
          QUICKSCALE_TEST_FAULT: "fail-write:10",
        });
        expect(result.code).withContext(describeRun(result)).not.toBe(0);
        expect(result.stderr).toContain("Injected write failure");
        expect(snapshot(cwd)).toEqual(before);
      },
      TIMEOUT_MS,
    );

    it(
      "with git, a run killed mid-commit leaves only its staging folder, which the next run removes",
      async () => {
        const cwd = freshDir("kill-git");
        const killed = await runBin(["init", "myapp"], cwd, {
          ...GIT_IDENTITY,
          QUICKSCALE_TEST_FAULT: "kill:10",
        });
        expect(killed.signal).withContext(describeRun(killed)).toBe("SIGKILL");
        expect(readdirSync(cwd))
          .withContext("what the killed run left")
          .toEqual([jasmine.stringMatching(/^\.myapp\.quickscale-staging-\d+$/)]);

        const next = await runBin(["init", "myapp"], cwd, GIT_IDENTITY);
        expectSuccess(next);
        expect(next.stdout).toContain("a git repository with a first commit");
        expect(readdirSync(cwd)).withContext("the stale staging folder is removed").toEqual(["myapp"]);
      },
      TIMEOUT_MS,
    );

    it(
      "also removes the parent folders it created when a write fails",
      async () => {
        const cwd = freshDir("fail-write-deep");
        const result = await runBin(["init", "myapp", "--skip-git", "--directory", "new/deeper/myapp"], cwd, {
          QUICKSCALE_TEST_FAULT: "fail-write:10",
        });
        expect(result.code).withContext(describeRun(result)).not.toBe(0);
        expect(readdirSync(cwd)).toEqual([]);
      },
      TIMEOUT_MS,
    );

    it(
      "cleans up after a run killed mid-commit on the next run",
      async () => {
        const cwd = freshDir("kill");
        const killed = await runBin(["init", "myapp", "--skip-git"], cwd, {
          QUICKSCALE_TEST_FAULT: "kill:10",
        });
        expect(killed.signal).withContext(describeRun(killed)).toBe("SIGKILL");
        const left = readdirSync(cwd);
        expect(left)
          .withContext("what the killed run left")
          .toEqual([jasmine.stringMatching(/^\.myapp\.quickscale-staging-\d+$/)]);
        expect(existsSync(join(cwd, "myapp"))).toBeFalse();

        const next = await runBin(["init", "myapp", "--skip-git"], cwd);
        expectSuccess(next);
        expect(readdirSync(cwd)).withContext("the stale staging folder is removed").toEqual(["myapp"]);
        expect(existsSync(join(cwd, "myapp", "manage.py"))).toBeTrue();
      },
      TIMEOUT_MS,
    );
  });
});
