import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { enclosingRepository } from "../../../../src/cli/enclosing-repository";

/** A `.git` folder as git lays one out: HEAD, objects and refs. */
function fakeRepository(folder: string): void {
  mkdirSync(join(folder, ".git", "objects"), { recursive: true });
  mkdirSync(join(folder, ".git", "refs"));
  writeFileSync(join(folder, ".git", "HEAD"), "ref: refs/heads/main\n");
}

describe("enclosingRepository", () => {
  let root = "";
  let project = "";
  beforeEach(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), "enclosing-")));
    project = join(root, "outer", "deeper", "myapp");
    mkdirSync(project, { recursive: true });
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  /** Only the folders under `root`: the machine's temporary folder is never a repository here. */
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    GIT_CEILING_DIRECTORIES: root,
    ...extra,
  });

  it("finds none where no folder above has a .git", () => {
    expect(enclosingRepository(project, env())).toBeNull();
  });

  it("finds a repository two folders up, as git does", () => {
    fakeRepository(join(root, "outer"));
    expect(enclosingRepository(project, env())).toBe(join(root, "outer"));
    // The real git agrees.
    const git = spawnSync("git", ["rev-parse", "--show-toplevel"], {
      cwd: project,
      encoding: "utf8",
      env: { ...process.env, ...env() },
    });
    if (git.error === undefined) {
      expect(git.stdout.trim()).toBe(join(root, "outer"));
    }
  });

  it("finds a .git file (a linked work tree or a submodule)", () => {
    writeFileSync(join(root, "outer", ".git"), "gitdir: /elsewhere/.git/worktrees/outer\n");
    expect(enclosingRepository(project, env())).toBe(join(root, "outer"));
  });

  it("ignores a .git that is not a repository (an empty folder, a file of something else)", () => {
    mkdirSync(join(root, "outer", ".git"));
    writeFileSync(join(root, "outer", "deeper", ".git"), "not a gitdir line\n");
    expect(enclosingRepository(project, env())).toBeNull();
  });

  it("does not look in or above a ceiling folder", () => {
    fakeRepository(join(root, "outer"));
    const ceiling = join(root, "outer");
    expect(enclosingRepository(project, env({ GIT_CEILING_DIRECTORIES: ceiling }))).toBeNull();
    expect(
      enclosingRepository(project, env({ GIT_CEILING_DIRECTORIES: join(ceiling, "deeper") })),
    ).toBeNull();
    // A ceiling that is the folder itself does not hide the folder's own .git.
    fakeRepository(project);
    expect(enclosingRepository(project, env({ GIT_CEILING_DIRECTORIES: project }))).toBe(project);
  });

  it("follows the folder's physical path, as git's getcwd does", () => {
    fakeRepository(join(root, "outer"));
    const link = join(root, "link-to-myapp");
    symlinkSync(project, link);
    expect(enclosingRepository(link, env())).toBe(join(root, "outer"));
  });
});
