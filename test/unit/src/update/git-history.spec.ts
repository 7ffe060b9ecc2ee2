import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contentHash } from "../../../../src/rules/manifest";
import { findRecordedContents, hasGitHistory, recordPristine } from "../../../../src/update/git-history";
import { keepDevelopmentKey } from "../../../../src/update/release-render";

describe("the project's git history", () => {
  let root: string;
  const git = (...args: string[]) => {
    const result = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], {
      cwd: root,
      encoding: "utf8",
    });
    expect(result.status).withContext(result.stderr).toBe(0);
    return result.stdout;
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "h-update-history-"));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("finds what QuickScale wrote by its hash, in an earlier commit, though the file changed since", () => {
    mkdirSync(join(root, "app"));
    writeFileSync(join(root, "app/x.py"), "first\n");
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "one");
    writeFileSync(join(root, "app/x.py"), "second\n");
    git("commit", "-qam", "two");
    const wanted = new Set([contentHash("first\n"), contentHash("never written\n")]);
    const found = findRecordedContents(root, ["app/x.py"], wanted);
    expect([...found.keys()]).toEqual([contentHash("first\n")]);
    expect(found.get(contentHash("first\n"))?.toString()).toBe("first\n");
  });

  it("has no history without a repository or a commit, and records no pristine copy then", () => {
    expect(hasGitHistory(root)).toBeFalse();
    expect(findRecordedContents(root, ["x"], new Set(["sha256-0"])).size).toBe(0);
    git("init", "-q");
    expect(hasGitHistory(root)).toBeFalse();
    expect(recordPristine(root, new Map([["x", Buffer.from("x")]]), "m")).toBeFalse();
  });

  it("keeps the release's files on a ref of its own, where the next update finds them, the work tree untouched", () => {
    writeFileSync(join(root, "x.py"), "mine\n");
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "one");
    expect(
      recordPristine(root, new Map([["x.py", Buffer.from("release\n")]]), "QuickScale 0.2.0"),
    ).toBeTrue();
    expect(git("status", "--porcelain")).toBe("");
    expect(git("log", "--format=%s", "-1", "HEAD")).toBe("one\n");
    const found = findRecordedContents(root, ["x.py"], new Set([contentHash("release\n")]));
    expect(found.get(contentHash("release\n"))?.toString()).toBe("release\n");
  });
});

describe("keepDevelopmentKey", () => {
  const key = (c: string) => c.repeat(50);
  const settings = (k: string) =>
    Buffer.from(`SECRET_KEY = "django-insecure-${k}"  # noqa: S105\nDEBUG = True\n`);

  it("puts the project's development key in the release's file", () => {
    const theirs = Buffer.from(settings(key("a")).toString().replace("DEBUG = True", "DEBUG = False"));
    expect(keepDevelopmentKey(theirs, settings(key("b"))).toString()).toBe(
      settings(key("b")).toString().replace("DEBUG = True", "DEBUG = False"),
    );
  });

  it("keeps the release's key when the project has none", () => {
    expect(keepDevelopmentKey(settings(key("a")), null).toString()).toBe(settings(key("a")).toString());
    expect(keepDevelopmentKey(settings(key("a")), Buffer.from("x = 1\n")).toString()).toBe(
      settings(key("a")).toString(),
    );
  });
});
