import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commitChanges, JOURNAL_DIR, recoverProject } from "../../../../src/commit/journal";
import { ProjectFile } from "../../../../src/commit/new-project";

const CHANGES: ProjectFile[] = [
  { path: "README.md", content: Buffer.from("new readme\n") },
  { path: "Dockerfile", content: Buffer.from("FROM python\n") },
  { path: ".github/workflows/ci.yml", content: Buffer.from("on: push\n") },
];

describe("commitChanges (existing projects)", () => {
  let root: string;
  const snapshot = () =>
    JSON.stringify(
      readdirSync(root, { recursive: true, encoding: "utf8" })
        .sort()
        .map((path) => {
          const full = join(root, path);
          return statSync(full).isFile() ? [path, readFileSync(full, "utf8"), statSync(full).mode] : [path];
        }),
    );

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "qs-journal-"));
    writeFileSync(join(root, "README.md"), "old readme\n", { mode: 0o600 });
    mkdirSync(join(root, ".github"));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("writes every change and removes its journal", () => {
    commitChanges(root, CHANGES);
    expect(readFileSync(join(root, "README.md"), "utf8")).toBe("new readme\n");
    expect(statSync(join(root, "README.md")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(root, ".github/workflows/ci.yml"), "utf8")).toBe("on: push\n");
    expect(existsSync(join(root, JOURNAL_DIR))).toBeFalse();
  });

  for (const at of [0, 1, 2]) {
    it(`restores the project exactly when write ${at} fails`, () => {
      const before = snapshot();
      expect(() => {
        commitChanges(root, CHANGES, (_path, index) => {
          if (index === at) throw new Error("disk full");
        });
      }).toThrowError("disk full");
      expect(snapshot()).toBe(before);
    });
  }

  it("rolls back a run killed (SIGKILL) mid-commit on the next recovery", () => {
    const before = snapshot();
    // A real process, killed by the committer's fault hook before its third write.
    const script = `
      const { commitChanges } = require(${JSON.stringify(require.resolve("../../../../src/commit/journal"))});
      const { faultHookFromEnv } = require(${JSON.stringify(require.resolve("../../../../src/cli/fault-hook"))});
      commitChanges(${JSON.stringify(root)}, ${JSON.stringify(CHANGES.map((f) => ({ path: f.path, text: f.content.toString() })))}
        .map((f) => ({ path: f.path, content: Buffer.from(f.text) })), faultHookFromEnv());`;
    const child = spawnSync(process.execPath, ["-e", script], {
      env: { ...process.env, QUICKSCALE_TEST_FAULT: "kill:2" },
    });
    expect(child.signal).toBe("SIGKILL");
    expect(readFileSync(join(root, "README.md"), "utf8")).toBe("new readme\n");
    expect(existsSync(join(root, JOURNAL_DIR, "journal.json"))).toBeTrue();
    expect(recoverProject(root)).toEqual(["README.md", "Dockerfile", ".github/workflows/ci.yml"]);
    expect(snapshot()).toBe(before);
    expect(recoverProject(root)).toBeNull();
  });

  it("discards an incomplete journal: no project file was written yet", () => {
    mkdirSync(join(root, JOURNAL_DIR));
    writeFileSync(join(root, JOURNAL_DIR, "0"), "backup");
    expect(recoverProject(root)).toEqual([]);
    expect(existsSync(join(root, JOURNAL_DIR))).toBeFalse();
  });

  it("refuses a corrupt journal, or one naming a path outside the project, restoring nothing", () => {
    mkdirSync(join(root, JOURNAL_DIR));
    writeFileSync(join(root, JOURNAL_DIR, "journal.json"), '{"entries": [');
    expect(() => recoverProject(root)).toThrowError(/journal\.json is corrupt .*git checkout/);
    writeFileSync(
      join(root, JOURNAL_DIR, "journal.json"),
      JSON.stringify({ entries: [{ path: "../outside.txt", backup: null, mode: null }], createdDirs: [] }),
    );
    writeFileSync(join(root, "..", `outside-${process.pid}.txt`), "keep");
    expect(() => recoverProject(root)).toThrowError(/"\.\.\/outside\.txt" is outside the project/);
    expect(readFileSync(join(root, "..", `outside-${process.pid}.txt`), "utf8")).toBe("keep");
    rmSync(join(root, "..", `outside-${process.pid}.txt`));
  });

  it("refuses to start while another journal exists", () => {
    mkdirSync(join(root, JOURNAL_DIR));
    expect(() => {
      commitChanges(root, CHANGES);
    }).toThrowError(/quickscale recover/);
  });
});
