import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commitChanges, JOURNAL_DIR, recoverProject } from "../../../../src/commit/journal";
import { sha256 } from "../../../../src/commit/journal-format";
import { JournalKey, sign } from "../../../../src/commit/journal-key";
import { ProjectFile } from "../../../../src/commit/new-project";
import { projectRealPath } from "../../../../src/commit/project-paths";

const CHANGES: ProjectFile[] = [
  { path: "README.md", content: Buffer.from("new readme\n") },
  { path: "Dockerfile", content: Buffer.from("FROM python\n") },
  { path: ".github/workflows/ci.yml", content: Buffer.from("on: push\n") },
];

describe("commitChanges (existing projects)", () => {
  let base: string;
  let root: string;
  let outside: string;
  const key: JournalKey = { secret: randomBytes(32) };
  /** Everything under `dir`: folders, links, files with content and mode. */
  const snapshot = (dir = root): string[] =>
    readdirSync(dir, { recursive: true, encoding: "utf8" })
      .sort()
      .map((path) => {
        const full = join(dir, path);
        const stat = lstatSync(full);
        return stat.isSymbolicLink()
          ? `${path} -> ${readlinkSync(full)}`
          : stat.isFile()
            ? `${path} ${readFileSync(full, "utf8")} ${stat.mode.toString(8)}`
            : `${path}/`;
      });
  /** A journal signed with the user's key, as QuickScale would write it, with `entries`. */
  const plantSigned = (
    entries: unknown[],
    backups: Record<string, string> = {},
    createdDirs: string[] = [],
  ) => {
    mkdirSync(join(root, JOURNAL_DIR));
    for (const [name, content] of Object.entries(backups)) {
      writeFileSync(join(root, JOURNAL_DIR, name), content);
    }
    const body = JSON.stringify({ version: 2, project: projectRealPath(root), entries, createdDirs });
    writeFileSync(
      join(root, JOURNAL_DIR, "journal.json"),
      JSON.stringify({ quickscale: "journal", body, signature: sign(key, body) }),
    );
  };
  const backupEntry = (path: string, content: string, mode = 0o644) => ({
    path,
    backup: "0",
    mode,
    sha256: sha256(Buffer.from(content)),
  });

  /** Commits CHANGES in a real process, killed (SIGKILL) by the fault hook before write `at`. */
  const killMidCommit = (at: number): void => {
    const script = `
      const { commitChanges } = require(${JSON.stringify(require.resolve("../../../../src/commit/journal"))});
      const { commitFaultsFromEnv } = require(${JSON.stringify(require.resolve("../../../../src/cli/fault-hook"))});
      commitChanges(${JSON.stringify(root)}, ${JSON.stringify(CHANGES.map((f) => ({ path: f.path, text: f.content.toString() })))}
        .map((f) => ({ path: f.path, content: Buffer.from(f.text) })),
        { secret: Buffer.from(${JSON.stringify(key.secret.toString("hex"))}, "hex") }, commitFaultsFromEnv());`;
    const child = spawnSync(process.execPath, ["-e", script], {
      env: { ...process.env, QUICKSCALE_TEST_FAULT: `kill:${at}` },
    });
    expect(child.signal).toBe("SIGKILL");
  };

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), "qs-journal-"));
    root = join(base, "project");
    outside = join(base, "outside");
    mkdirSync(root);
    mkdirSync(outside);
    writeFileSync(join(outside, "secret.txt"), "outside secret\n");
    writeFileSync(join(root, "README.md"), "old readme\n", { mode: 0o600 });
    chmodSync(join(root, "README.md"), 0o600);
    mkdirSync(join(root, ".github"));
  });
  afterEach(() => {
    rmSync(base, { recursive: true, force: true });
  });

  it("writes every change and removes its journal", () => {
    commitChanges(root, CHANGES, key);
    expect(readFileSync(join(root, "README.md"), "utf8")).toBe("new readme\n");
    expect(lstatSync(join(root, "README.md")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(root, ".github/workflows/ci.yml"), "utf8")).toBe("on: push\n");
    expect(readdirSync(root).filter((name) => name.startsWith(JOURNAL_DIR))).toEqual([]);
  });

  for (const at of [0, 1, 2]) {
    it(`restores the project exactly when write ${at} fails, and says the cause`, () => {
      const before = snapshot();
      expect(() => {
        commitChanges(root, CHANGES, key, {
          beforeWrite: (_path, index) => {
            if (index === at) throw new Error("disk full");
          },
        });
      }).toThrowError(/^Cannot write "[^"]+": disk full\. Nothing was changed/);
      expect(snapshot()).toEqual(before);
    });

    it(`leaves no journal when backup ${at} fails (ENOSPC), and says the cause`, () => {
      const before = snapshot();
      expect(() => {
        commitChanges(root, CHANGES, key, {
          beforeBackup: (_path, index) => {
            if (index === at)
              throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
          },
        });
      }).toThrowError(/Cannot back up .*ENOSPC: no space left on device\. Nothing was changed/);
      expect(snapshot()).toEqual(before);
    });
  }

  it("rolls back a run killed (SIGKILL) mid-commit on the next recovery", () => {
    const before = snapshot();
    killMidCommit(2);
    expect(readFileSync(join(root, "README.md"), "utf8")).toBe("new readme\n");
    expect(existsSync(join(root, JOURNAL_DIR, "journal.json"))).toBeTrue();
    expect(recoverProject(root, key)).toEqual(["README.md", "Dockerfile", ".github/workflows/ci.yml"]);
    expect(snapshot()).toEqual(before);
    expect(recoverProject(root, key)).toBeNull();
  });

  it("completes a rollback that was itself killed after moving a backup back", () => {
    const before = snapshot();
    killMidCommit(2);
    // What the killed rollback had done: README.md's backup is back in place, with its mode.
    chmodSync(join(root, JOURNAL_DIR, "0"), 0o600);
    renameSync(join(root, JOURNAL_DIR, "0"), join(root, "README.md"));
    expect(recoverProject(root, key)).toEqual(["README.md", "Dockerfile", ".github/workflows/ci.yml"]);
    expect(snapshot()).toEqual(before);
  });

  it("discards an incomplete journal: no project file was written yet", () => {
    mkdirSync(join(root, JOURNAL_DIR));
    writeFileSync(join(root, JOURNAL_DIR, "0"), "backup");
    expect(recoverProject(root, key)).toEqual([]);
    expect(readdirSync(root).filter((name) => name.startsWith(JOURNAL_DIR))).toEqual([]);
  });

  it("removes the leftovers of a journal folder renamed away by a killed run", () => {
    mkdirSync(join(root, `${JOURNAL_DIR}.old-123-abcd1234`));
    writeFileSync(join(root, `${JOURNAL_DIR}.old-123-abcd1234`, "0"), "backup");
    expect(recoverProject(root, key)).toBeNull();
    expect(readdirSync(root).filter((name) => name.startsWith(JOURNAL_DIR))).toEqual([]);
  });

  it("leaves a folder named like a discarded journal that holds what QuickScale never writes", () => {
    const planted = join(root, `${JOURNAL_DIR}.old-123-abcd1234`);
    mkdirSync(planted);
    writeFileSync(join(planted, "notes.txt"), "the user's notes");
    const before = snapshot();
    expect(recoverProject(root, key)).toBeNull();
    expect(snapshot()).toEqual(before);
  });

  it("refuses, and leaves as it is, a journal folder without a journal that holds foreign files", () => {
    mkdirSync(join(root, JOURNAL_DIR));
    writeFileSync(join(root, JOURNAL_DIR, "0"), "backup");
    writeFileSync(join(root, JOURNAL_DIR, "notes.txt"), "the user's notes");
    const before = snapshot();
    expect(() => recoverProject(root, key)).toThrowError(
      /holds "notes\.txt", which QuickScale does not write/,
    );
    expect(snapshot()).toEqual(before);
  });

  it("refuses a corrupt journal, restoring nothing and leaving it as it is", () => {
    mkdirSync(join(root, JOURNAL_DIR));
    writeFileSync(join(root, JOURNAL_DIR, "journal.json"), '{"entries": [');
    const before = snapshot();
    expect(() => recoverProject(root, key)).toThrowError(/journal\.json cannot be replayed: .*git checkout/);
    expect(snapshot()).toEqual(before);
  });

  it("advises an undo of the files QuickScale touched only, never one that discards the user's other work", () => {
    // `add` refuses only when a file it writes is dirty: the user may have unrelated
    // uncommitted work elsewhere, which `git checkout -- .` and `git clean -fd` would destroy.
    mkdirSync(join(root, JOURNAL_DIR));
    writeFileSync(join(root, JOURNAL_DIR, "journal.json"), '{"entries": [');
    let message = "";
    try {
      recoverProject(root, key);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/cannot be replayed/);
    expect(message).not.toMatch(/git checkout -- \.(?!\w)|git clean|git reset --hard/);
    expect(message).toMatch(/git checkout -- <file>/);
  });

  it("refuses a journal it did not sign (planted), even with a harmless content", () => {
    mkdirSync(join(root, JOURNAL_DIR));
    const body = JSON.stringify({ version: 2, project: projectRealPath(root), entries: [], createdDirs: [] });
    writeFileSync(
      join(root, JOURNAL_DIR, "journal.json"),
      JSON.stringify({ quickscale: "journal", body, signature: sign({ secret: randomBytes(32) }, body) }),
    );
    const before = snapshot();
    expect(() => recoverProject(root, key)).toThrowError(
      /QuickScale did not write it here for this user \(its signature is not from this user.s journal key\)/,
    );
    expect(snapshot()).toEqual(before);
  });

  it("refuses a signed journal written for another project (a copy, or a moved project)", () => {
    mkdirSync(join(root, JOURNAL_DIR));
    const body = JSON.stringify({ version: 2, project: outside, entries: [], createdDirs: [] });
    writeFileSync(
      join(root, JOURNAL_DIR, "journal.json"),
      JSON.stringify({ quickscale: "journal", body, signature: sign(key, body) }),
    );
    expect(() => recoverProject(root, key)).toThrowError(
      /written for the project at .*outside, not this one/,
    );
  });

  // Signed entries that are unsound all the same: the whole journal is refused before any restore.
  const UNSOUND: { name: string; plant: () => void; message: RegExp }[] = [
    {
      name: "a backup outside the journal folder",
      plant: () => {
        plantSigned([
          { ...backupEntry("README.md", "outside secret\n"), backup: "../../outside/secret.txt" },
        ]);
      },
      message: /backup of "README\.md" is not a plain name/,
    },
    {
      name: "a path under .git/",
      plant: () => {
        plantSigned([backupEntry(".git/hooks/pre-commit", "#!/bin/sh\n")], { "0": "#!/bin/sh\n" });
      },
      message: /"\.git\/hooks\/pre-commit" is under \.git\//,
    },
    {
      name: "a setuid mode (4755)",
      plant: () => {
        plantSigned([backupEntry("README.md", "x\n", 0o4755)], { "0": "x\n" });
      },
      message: /mode of "README\.md" is not within 0o777/,
    },
    {
      name: "a negative mode",
      plant: () => {
        plantSigned([backupEntry("manage.py", "x\n"), backupEntry("README.md", "x\n", -1)], { "0": "x\n" });
      },
      message: /"README\.md" is not within 0o777|mode of "README\.md"/,
    },
    {
      name: "a path through a folder linked outside",
      plant: () => {
        symlinkSync(outside, join(root, "linked"));
        plantSigned([{ path: "linked/new.txt", backup: null, mode: null, sha256: null }]);
      },
      message: /"linked\/new\.txt" leads outside the project/,
    },
    {
      name: "a path outside (..)",
      plant: () => {
        plantSigned([{ path: "../outside/secret.txt", backup: null, mode: null, sha256: null }]);
      },
      message: /"\.\.\/outside\/secret\.txt" is not a plain path/,
    },
    {
      name: "a backup that is a symbolic link",
      plant: () => {
        plantSigned([backupEntry("README.md", "outside secret\n")]);
        symlinkSync(join(outside, "secret.txt"), join(root, JOURNAL_DIR, "0"));
      },
      message: /backup of "README\.md" is missing or not a regular file/,
    },
    {
      name: "a backup whose content differs from its hash",
      plant: () => {
        plantSigned([backupEntry("README.md", "recorded\n")], { "0": "swapped\n" });
      },
      message: /does not match its recorded hash/,
    },
    {
      name: "the same path twice",
      plant: () => {
        plantSigned([
          { path: "x.txt", backup: null, mode: null, sha256: null },
          { path: "x.txt", backup: null, mode: null, sha256: null },
        ]);
      },
      message: /"x\.txt" appears twice/,
    },
  ];
  for (const unsound of UNSOUND) {
    it(`refuses a signed journal with ${unsound.name}, restoring nothing`, () => {
      unsound.plant();
      const before = snapshot();
      const outsideBefore = snapshot(outside);
      expect(() => recoverProject(root, key)).toThrowError(unsound.message);
      expect(snapshot()).toEqual(before);
      expect(snapshot(outside)).toEqual(outsideBefore);
    });
  }

  it("refuses to start while another journal exists", () => {
    mkdirSync(join(root, JOURNAL_DIR));
    expect(() => {
      commitChanges(root, CHANGES, key);
    }).toThrowError(/quickscale recover/);
  });

  describe("refuses before any write", () => {
    const refused = (files: ProjectFile[], message: RegExp): void => {
      const before = snapshot();
      const outsideBefore = snapshot(outside);
      expect(() => {
        commitChanges(root, files, key);
      }).toThrowError(message);
      expect(snapshot()).toEqual(before);
      expect(snapshot(outside)).toEqual(outsideBefore);
    };

    it("a target that is a symbolic link (to a file outside)", () => {
      symlinkSync(join(outside, "secret.txt"), join(root, "Dockerfile"));
      refused(CHANGES, /"Dockerfile" is a symbolic link; QuickScale does not write through links/);
    });

    it("a target that is a dangling symbolic link (kept as it is)", () => {
      symlinkSync(join(outside, "nowhere.txt"), join(root, "Dockerfile"));
      refused(CHANGES, /"Dockerfile" is a symbolic link/);
    });

    it("a target in a folder linked outside the project", () => {
      symlinkSync(outside, join(root, "users"));
      refused(
        [...CHANGES, { path: "users/views.py", content: Buffer.from("x = 1\n") }],
        /"users\/views\.py" leads outside/,
      );
    });

    it("a target in a folder linked into .git/", () => {
      mkdirSync(join(root, ".git", "hooks"), { recursive: true });
      symlinkSync(join(root, ".git", "hooks"), join(root, "hooks"));
      refused(
        [{ path: "hooks/pre-commit", content: Buffer.from("#!/bin/sh\n") }],
        /"hooks\/pre-commit" leads outside the project or into \.git/,
      );
    });

    it("a target under .git/", () => {
      refused([{ path: ".git/hooks/pre-commit", content: Buffer.from("#!/bin/sh\n") }], /is under \.git\//);
    });

    it("a file where a folder is expected (templates is a file)", () => {
      writeFileSync(join(root, "templates"), "not a folder\n");
      refused(
        [...CHANGES, { path: "templates/account/login.html", content: Buffer.from("x") }],
        /"templates" is a file where QuickScale needs a folder/,
      );
    });
  });
});
