import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statfsSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { join } from "node:path";
import { freshDirsPerSpec, projectState, removeDir, snapshot } from "./support/files";
import { generateProject } from "./support/generated-project";
import {
  baseEnv,
  BIN,
  describeRun,
  expectOneLineError,
  expectSuccess,
  GIT_IDENTITY,
  run,
  runBin,
  RunResult,
} from "./support/process";

const TIMEOUT_MS = 60_000;
const JOURNAL = ".quickscale-journal";
const LOCK = ".quickscale.lock";
const SECRET = "TOP-SECRET outside the project\n";

/**
 * Hostile or broken projects (docs/architecture.md, "The project folder is untrusted"; issue 9 sections 1 to 4): journals and locks
 * planted by someone else, symbolic links leading out of the project, another run at the
 * same time, files where folders are expected, a full disk, read-only files. Each ends in
 * a one-line refusal (or a clean run) with nothing outside the project created or changed.
 */
describe("a hostile project", () => {
  const freshDir = freshDirsPerSpec();
  let fixtures = "";
  /** A generated project (no git), copied for each spec. */
  let pristine = "";

  /** One spec's folders: `root/shop` (the project), `root/outside` (what must stay untouched). */
  interface Workspace {
    root: string;
    project: string;
    outside: string;
    /** The environment of the bin: its journal key kept in this spec's own state folder. */
    env: NodeJS.ProcessEnv;
  }

  const workspace = (): Workspace => {
    const root = freshDir("hostile");
    const project = join(root, "shop");
    const outside = join(root, "outside");
    cpSync(pristine, project, { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, "secret.txt"), SECRET);
    const state = join(freshDir("hostile-state"), "state");
    return { root, project, outside, env: { ...GIT_IDENTITY, XDG_STATE_HOME: state } };
  };
  const bin = (ws: Workspace, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> =>
    runBin(args, ws.project, { ...ws.env, ...env });
  const git = async (ws: Workspace, ...args: string[]): Promise<void> => {
    expectSuccess(
      await run("git", args, { cwd: ws.project, env: baseEnv(GIT_IDENTITY), timeoutMs: TIMEOUT_MS }),
    );
  };
  const commitAll = async (ws: Workspace): Promise<void> => {
    await git(ws, "init", "-q");
    await git(ws, "add", "-A");
    await git(ws, "commit", "-qm", "Generated");
  };
  /** Everything but the project (the outside folder and the spec's root). */
  const outsideState = (ws: Workspace): string[] =>
    snapshot(ws.root).filter((line) => !line.startsWith("shop/"));
  /** A journal in the format QuickScale used to write, unsigned: what an attacker commits. */
  const plantJournal = (ws: Workspace, entries: unknown[], backups: Record<string, string> = {}): void => {
    mkdirSync(join(ws.project, JOURNAL));
    for (const [name, content] of Object.entries(backups)) {
      writeFileSync(join(ws.project, JOURNAL, name), content);
    }
    writeFileSync(join(ws.project, JOURNAL, "journal.json"), JSON.stringify({ entries, createdDirs: [] }));
  };
  /** `recover` and `add docker` both refuse the planted journal; nothing changes anywhere. */
  const expectJournalRefused = async (ws: Workspace): Promise<void> => {
    const project = projectState(ws.project);
    const outside = outsideState(ws);
    for (const args of [["recover"], ["add", "docker", "--allow-dirty"]]) {
      const result = await bin(ws, args);
      expectOneLineError(result, {
        code: 1,
        message: /\.quickscale-journal\/journal\.json cannot be replayed/,
      });
      expect(result.stderr)
        .withContext("what to do")
        .toMatch(/inspect it.*then delete \.quickscale-journal/);
      expect(projectState(ws.project))
        .withContext(`the project after ${args.join(" ")}`)
        .toEqual(project);
      expect(outsideState(ws))
        .withContext(`outside the project after ${args.join(" ")}`)
        .toEqual(outside);
    }
  };

  beforeAll(async () => {
    ({ root: fixtures, dir: pristine } = await generateProject("hostile-fixtures", "shop"));
  }, TIMEOUT_MS);

  afterAll(() => {
    removeDir(fixtures);
  });

  describe("planted journals are never replayed", () => {
    it(
      "a backup ../../outside/secret.txt is not copied into the project",
      async () => {
        const ws = workspace();
        plantJournal(ws, [{ path: "stolen.txt", backup: "../../outside/secret.txt", mode: 0o644 }]);
        await expectJournalRefused(ws);
        expect(existsSync(join(ws.project, "stolen.txt"))).toBeFalse();
      },
      TIMEOUT_MS,
    );

    it(
      "a path .git/hooks/pre-commit (mode 4755) installs no hook",
      async () => {
        const ws = workspace();
        await commitAll(ws);
        plantJournal(ws, [{ path: ".git/hooks/pre-commit", backup: "0", mode: 0o4755 }], {
          "0": "#!/bin/sh\necho pwned\n",
        });
        await expectJournalRefused(ws);
        expect(existsSync(join(ws.project, ".git/hooks/pre-commit"))).toBeFalse();
      },
      TIMEOUT_MS,
    );

    it(
      "a mode 4755 on a project file sets no setuid bit",
      async () => {
        const ws = workspace();
        plantJournal(ws, [{ path: "manage.py", backup: "0", mode: 0o4755 }], {
          "0": "#!/bin/sh\necho pwned\n",
        });
        await expectJournalRefused(ws);
        expect(lstatSync(join(ws.project, "manage.py")).mode & 0o7777).toBe(0o755);
      },
      TIMEOUT_MS,
    );

    it(
      "a negative mode does not half-apply the journal",
      async () => {
        const ws = workspace();
        plantJournal(
          ws,
          [
            { path: "README.md", backup: null, mode: null },
            { path: "manage.py", backup: "0", mode: 0o755 },
            { path: "pyproject.toml", backup: "1", mode: -1 },
          ],
          { "0": "planted\n", "1": "planted\n" },
        );
        await expectJournalRefused(ws);
        expect(existsSync(join(ws.project, "README.md"))).toBeTrue();
      },
      TIMEOUT_MS,
    );

    it(
      "a path through a folder linked outside creates nothing outside",
      async () => {
        const ws = workspace();
        symlinkSync("../outside", join(ws.project, "linked"));
        plantJournal(ws, [{ path: "linked/planted.txt", backup: "0", mode: 0o644 }], { "0": "planted\n" });
        await expectJournalRefused(ws);
        expect(readdirSync(ws.outside)).toEqual(["secret.txt"]);
      },
      TIMEOUT_MS,
    );

    it(
      "a journal QuickScale wrote, then committed to git, is refused",
      async () => {
        const ws = workspace();
        rmSync(join(ws.project, "Dockerfile"));
        await commitAll(ws);
        const killed = await bin(ws, ["add", "docker"], { QUICKSCALE_TEST_FAULT: "kill:0" });
        expect(killed.signal).withContext(describeRun(killed)).toBe("SIGKILL");
        expect(existsSync(join(ws.project, JOURNAL, "journal.json"))).toBeTrue();
        await git(ws, "add", "-f", JOURNAL);
        await git(ws, "commit", "-qm", "A journal, committed");
        // The lock the killed run left is taken over (and released): the rest stays.
        const withoutLock = (): string[] => projectState(ws.project).filter((line) => !line.startsWith(LOCK));
        const before = withoutLock();

        const result = await bin(ws, ["recover"]);
        expectOneLineError(result, { code: 1, message: /cannot be replayed: it is tracked by git/ });
        expect(withoutLock()).toEqual(before);
      },
      TIMEOUT_MS,
    );
  });

  describe("the journal key", () => {
    it(
      "that cannot be kept makes add refuse in one line naming the folder, writing nothing",
      async () => {
        const ws = workspace();
        writeFileSync(join(ws.root, "afile"), "a file, not a folder\n");
        rmSync(join(ws.project, "Dockerfile"));
        const project = projectState(ws.project);
        const outside = outsideState(ws);

        const result = await bin(ws, ["add", "docker"], { XDG_STATE_HOME: join(ws.root, "afile", "state") });
        expectOneLineError(result, {
          code: 1,
          message: /Cannot keep QuickScale's journal key in .*\/afile\/state\/quickscale/,
        });
        expect(result.stderr).toMatch(/make that folder writable, or set XDG_STATE_HOME/);
        expect(projectState(ws.project)).toEqual(project);
        expect(outsideState(ws)).toEqual(outside);
      },
      TIMEOUT_MS,
    );

    it(
      "is never kept under a home folder that does not exist",
      async () => {
        const ws = workspace();
        rmSync(join(ws.project, "Dockerfile"));
        const missingHome = join(ws.root, "nohome", "x");
        const project = projectState(ws.project);

        const result = await runBin(["add", "docker"], ws.project, { ...GIT_IDENTITY, HOME: missingHome });
        expectOneLineError(result, { code: 1, message: /the home folder .*\/nohome\/x does not exist/ });
        // (The bin's code cache is another matter, issue 9 §6: only the key's folders are checked here.)
        expect(existsSync(join(missingHome, ".local"))).toBeFalse();
        expect(projectState(ws.project)).toEqual(project);
      },
      TIMEOUT_MS,
    );
  });

  describe("no write, read or diff through a link leading out", () => {
    it(
      "add docker --overwrite does not overwrite the outside file a Dockerfile link points to",
      async () => {
        const ws = workspace();
        writeFileSync(join(ws.outside, "Dockerfile"), "FROM outside\n");
        rmSync(join(ws.project, "Dockerfile"));
        symlinkSync("../outside/Dockerfile", join(ws.project, "Dockerfile"));
        const outside = outsideState(ws);
        const project = projectState(ws.project);

        const result = await bin(ws, ["add", "docker", "--overwrite"]);
        expectOneLineError(result, { code: 1, message: /"Dockerfile" leads outside the project/ });
        expect(outsideState(ws)).toEqual(outside);
        expect(projectState(ws.project)).toEqual(project);
      },
      TIMEOUT_MS,
    );

    it(
      "add auth does not append to the outside file a README.md link points to",
      async () => {
        const ws = workspace();
        cpSync(join(ws.project, "README.md"), join(ws.outside, "README.md"));
        rmSync(join(ws.project, "README.md"));
        symlinkSync("../outside/README.md", join(ws.project, "README.md"));
        const outside = outsideState(ws);
        const project = projectState(ws.project);

        const result = await bin(ws, ["add", "auth"]);
        expectOneLineError(result, { code: 1, message: /"README\.md" leads outside the project/ });
        expect(outsideState(ws)).toEqual(outside);
        expect(projectState(ws.project)).toEqual(project);
      },
      TIMEOUT_MS,
    );

    it(
      "add auth does not create the outside file a (dangling) users/views.py link points to",
      async () => {
        const ws = workspace();
        symlinkSync("../../../outside/views.py", join(ws.project, "shop/users/views.py"));
        const outside = outsideState(ws);
        const project = projectState(ws.project);

        const result = await bin(ws, ["add", "auth"]);
        expectOneLineError(result, { code: 1, message: /"shop\/users\/views\.py" is a symbolic link/ });
        expect(outsideState(ws)).toEqual(outside);
        expect(projectState(ws.project)).toEqual(project);
      },
      TIMEOUT_MS,
    );

    it(
      "a refusal (and a dry run) shows no diff of the outside file a Dockerfile link points to",
      async () => {
        const ws = workspace();
        rmSync(join(ws.project, "Dockerfile"));
        symlinkSync("../outside/secret.txt", join(ws.project, "Dockerfile"));
        const project = projectState(ws.project);

        for (const args of [
          ["add", "docker"],
          ["add", "docker", "--dry-run"],
        ]) {
          const result = await bin(ws, args);
          expectOneLineError(result, { code: 1, message: /"Dockerfile" leads outside the project/ });
          expect(result.stdout + result.stderr).not.toContain("TOP-SECRET");
        }
        expect(projectState(ws.project)).toEqual(project);
      },
      TIMEOUT_MS,
    );

    it(
      "a failing run keeps a dangling Dockerfile link as it was, and creates nothing outside",
      async () => {
        const ws = workspace();
        rmSync(join(ws.project, "Dockerfile"));
        symlinkSync("../outside/nowhere", join(ws.project, "Dockerfile"));
        // docker-compose.yml is written after the Dockerfile: its write fails.
        writeFileSync(join(ws.project, "docker-compose.yml"), "services: {}\n");
        const outside = outsideState(ws);
        const project = projectState(ws.project);

        const result = await bin(ws, ["add", "docker", "--overwrite"], {
          QUICKSCALE_TEST_FAULT: "fail-write:2",
        });
        expectOneLineError(result, { code: 1, message: /"Dockerfile"/ });
        expect(readlinkSync(join(ws.project, "Dockerfile"))).toBe("../outside/nowhere");
        expect(outsideState(ws)).toEqual(outside);
        expect(projectState(ws.project)).toEqual(project);
      },
      TIMEOUT_MS,
    );
  });

  describe("one run at a time", () => {
    it(
      "recover and add refuse while a live add holds the lock, which then completes",
      async () => {
        const ws = workspace();
        const reference = join(ws.root, "reference");
        cpSync(ws.project, reference, { recursive: true });
        expectSuccess(await runBin(["add", "auth"], reference, ws.env));
        const paused = join(ws.root, "paused");
        const live = bin(ws, ["add", "auth"], {
          QUICKSCALE_TEST_FAULT: "pause:3",
          QUICKSCALE_TEST_PAUSE: paused,
        });
        let waited = 0;
        while (!existsSync(paused) && waited < 400) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          waited++;
        }
        const heldOrDone = existsSync(paused);
        expect(heldOrDone).withContext("the live add paused before its fourth write").toBeTrue();

        const recover = await bin(ws, ["recover"]);
        const second = await bin(ws, ["add", "docker"]);
        rmSync(paused, { force: true });
        const first = await live;

        expectOneLineError(recover, {
          code: 1,
          message: /Another QuickScale run \(pid \d+ on [^)]+\) is changing this project/,
        });
        expectOneLineError(second, { code: 1, message: /Another QuickScale run/ });
        expect(recover.stderr).toMatch(/wait for it to finish/);
        expectSuccess(first);
        expect(projectState(ws.project))
          .withContext("as after a lone add auth")
          .toEqual(projectState(reference));
      },
      TIMEOUT_MS,
    );

    it(
      "a lock tracked by git is not trusted",
      async () => {
        const ws = workspace();
        writeFileSync(
          join(ws.project, LOCK),
          JSON.stringify({ quickscale: "lock", pid: 1, host: "elsewhere" }),
        );
        await commitAll(ws);
        await git(ws, "add", "-f", LOCK);
        await git(ws, "commit", "-qm", "A lock, committed");
        const before = projectState(ws.project);

        const result = await bin(ws, ["add", "docker"]);
        expectOneLineError(result, {
          code: 1,
          message: /\.quickscale\.lock is tracked by git.*git rm --cached/,
        });
        expect(projectState(ws.project)).toEqual(before);
      },
      TIMEOUT_MS,
    );

    it(
      "a lock with unparseable content is not trusted",
      async () => {
        const ws = workspace();
        writeFileSync(join(ws.project, LOCK), "garbage\n");
        rmSync(join(ws.project, "Dockerfile"));
        const before = projectState(ws.project);

        for (const args of [["add", "docker"], ["recover"]]) {
          const result = await bin(ws, args);
          expectOneLineError(result, {
            code: 1,
            message: /\.quickscale\.lock is not a lock QuickScale wrote/,
          });
          expect(result.stderr).toMatch(/delete it, then run again/);
          expect(projectState(ws.project)).toEqual(before);
        }
      },
      TIMEOUT_MS,
    );

    it(
      "a lock whose holder died is taken over",
      async () => {
        const ws = workspace();
        const gone = await deadPid();
        writeFileSync(
          join(ws.project, LOCK),
          JSON.stringify({ quickscale: "lock", pid: gone, host: hostname(), boot: null, start: null }),
        );
        rmSync(join(ws.project, "Dockerfile"));

        expectSuccess(await bin(ws, ["add", "docker"]));
        expect(existsSync(join(ws.project, "Dockerfile"))).toBeTrue();
        expect(readdirSync(ws.project).filter((name) => name.startsWith(".quickscale."))).toEqual([
          ".quickscale.json",
        ]);
      },
      TIMEOUT_MS,
    );
  });

  describe("wedged projects", () => {
    it(
      "a file where a folder is expected (templates) is a one-line error before any write",
      async () => {
        const ws = workspace();
        rmSync(join(ws.project, "templates"), { recursive: true });
        writeFileSync(join(ws.project, "templates"), "not a folder\n");
        const before = projectState(ws.project);

        const result = await bin(ws, ["add", "auth"]);
        expectOneLineError(result, {
          code: 1,
          message: /"templates" is a file where QuickScale needs a folder/,
        });
        expect(result.stderr).not.toMatch(/ENOTDIR/);
        expect(projectState(ws.project)).toEqual(before);
        expectSuccess(await bin(ws, ["recover"]));
      },
      TIMEOUT_MS,
    );

    it(
      "a full disk (ENOSPC) while backing up leaves no journal and says the cause",
      async () => {
        const ws = workspace();
        const before = projectState(ws.project);

        const result = await bin(ws, ["add", "auth"], { QUICKSCALE_TEST_FAULT: "fail-backup:2" });
        expectOneLineError(result, {
          code: 1,
          message: /Cannot back up .*ENOSPC: no space left on device.*Nothing was changed/,
        });
        expect(projectState(ws.project)).toEqual(before);
      },
      TIMEOUT_MS,
    );

    it(
      "a really full disk (a small tmpfs), whichever backup or write it stops, leaves the project as it was",
      async () => {
        if (process.getuid?.() !== 0) {
          pending("Needs root, to mount a small tmpfs.");
          return;
        }
        const ws = workspace();
        const disk = join(ws.root, "disk");
        mkdirSync(disk);
        const mounted = await run("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", disk], {
          cwd: ws.root,
          timeoutMs: TIMEOUT_MS,
        });
        if (mounted.code !== 0) {
          pending(`Cannot mount a tmpfs here: ${mounted.stderr.trim()}`);
          return;
        }
        try {
          const project = join(disk, "shop");
          const filler = join(disk, "filler");
          const stopped = new Set<string>();
          // Less free space than add auth needs, then a little more each time, until it succeeds.
          for (let keepKb = 0; ; keepKb += 8) {
            expect(keepKb).withContext("add auth never succeeded").toBeLessThan(1024);
            rmSync(filler, { force: true });
            rmSync(project, { recursive: true, force: true });
            cpSync(pristine, project, { recursive: true });
            const before = projectState(project);
            const { bavail, bsize } = statfsSync(disk);
            writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - keepKb * 1024)));

            const result = await runBin(["add", "auth"], project, ws.env);
            if (result.code === 0 || keepKb >= 1024) {
              break;
            }
            expectOneLineError(result, {
              code: 1,
              message: /ENOSPC: no space left on device.*Nothing was changed/,
            });
            expect(projectState(project)).withContext(`${keepKb} KiB free`).toEqual(before);
            stopped.add(/Cannot back up/.test(result.stderr) ? "backup" : "write");
          }
          expect([...stopped].sort())
            .withContext("the phases a full disk stopped")
            .toEqual(["backup", "write"]);
        } finally {
          await run("umount", [disk], { cwd: ws.root, timeoutMs: TIMEOUT_MS });
        }
      },
      4 * TIMEOUT_MS,
    );

    it(
      "a kill while backing up is recovered to the project as it was",
      async () => {
        const ws = workspace();
        const before = projectState(ws.project);

        const killed = await bin(ws, ["add", "auth"], { QUICKSCALE_TEST_FAULT: "kill-backup:2" });
        expect(killed.signal).withContext(describeRun(killed)).toBe("SIGKILL");
        expectSuccess(await bin(ws, ["recover"]));
        expect(projectState(ws.project)).toEqual(before);
      },
      TIMEOUT_MS,
    );

    it(
      "a kill while the journal is being removed leaves the project complete, and no journal",
      async () => {
        const ws = workspace();
        const reference = join(ws.root, "reference");
        cpSync(ws.project, reference, { recursive: true });
        expectSuccess(await runBin(["add", "auth"], reference, ws.env));

        const killed = await bin(ws, ["add", "auth"], { QUICKSCALE_TEST_FAULT: "kill-discard:0" });
        expect(killed.signal).withContext(describeRun(killed)).toBe("SIGKILL");
        const recovered = await bin(ws, ["recover"]);
        expectSuccess(recovered);
        expect(recovered.stdout).toBe("Nothing to recover.\n");
        expect(projectState(ws.project)).toEqual(projectState(reference));
      },
      TIMEOUT_MS,
    );

    it(
      "a write failure says its cause (not the rollback's) and leaves no journal",
      async () => {
        const ws = workspace();
        const before = projectState(ws.project);

        const result = await bin(ws, ["add", "auth"], { QUICKSCALE_TEST_FAULT: "fail-write:6" });
        expectOneLineError(result, {
          code: 1,
          message: /^error: Cannot write "shop\/urls\.py": Injected write failure/,
        });
        expect(projectState(ws.project)).toEqual(before);
      },
      TIMEOUT_MS,
    );

    it(
      "a read-only urls.py (as a user other than root) is a one-line error before any write",
      async () => {
        if (process.getuid?.() !== 0) {
          pending("Needs root, to run the bin as another user (root may write read-only files).");
          return;
        }
        const ws = workspace();
        const state = ws.env["XDG_STATE_HOME"] ?? "";
        mkdirSync(state, { recursive: true });
        for (const dir of [ws.root, join(state, "..")]) {
          chmodSync(dir, 0o755);
        }
        chownTree(ws.project, NOBODY);
        chownSync(state, NOBODY, NOBODY);
        chmodSync(join(ws.project, "shop/urls.py"), 0o444);
        const before = projectState(ws.project);

        const result = await run(
          "setpriv",
          [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", process.execPath, BIN, "add", "auth"],
          // No coverage from this run: the other user cannot write the coverage folder (and an
          // empty value keeps Node from handing the parent's down).
          { cwd: ws.project, env: baseEnv({ ...ws.env, NODE_V8_COVERAGE: "" }), timeoutMs: TIMEOUT_MS },
        );
        expectOneLineError(result, { code: 1, message: /"shop\/urls\.py" is read-only: make it writable/ });
        expect(projectState(ws.project)).toEqual(before);
      },
      TIMEOUT_MS,
    );
  });
});

const NOBODY = 65534;

function chownTree(path: string, id: number): void {
  chownSync(path, id, id);
  if (lstatSync(path).isDirectory()) {
    for (const name of readdirSync(path)) {
      chownTree(join(path, name), id);
    }
  }
}

/** The pid of a process that has just ended. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", "0"]);
    child.on("error", reject);
    child.on("close", () => {
      resolve(child.pid ?? 0);
    });
  });
}
