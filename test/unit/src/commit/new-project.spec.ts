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
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  commitNewProject,
  discardReservedStaging,
  ProjectFile,
  removeStaleStaging,
  reserveStaging,
  stagingName,
} from "../../../../src/commit/new-project";

const FILES: ProjectFile[] = [
  { path: "manage.py", content: Buffer.from("#!/usr/bin/env python\n") },
  { path: "shop/__init__.py", content: Buffer.from("") },
  { path: "shop/settings/base.py", content: Buffer.from("DEBUG = False\n") },
];

describe("commitNewProject", () => {
  let parent: string;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), "qs-commit-"));
  });
  afterEach(() => {
    rmSync(parent, { recursive: true, force: true });
  });

  it("writes every file, scripts executable", () => {
    const target = join(parent, "shop");
    commitNewProject(FILES, target);
    expect(readFileSync(join(target, "shop/settings/base.py"), "utf8")).toBe("DEBUG = False\n");
    expect(statSync(join(target, "manage.py")).mode & 0o777).toBe(0o755);
    expect(statSync(join(target, "shop/__init__.py")).mode & 0o777).toBe(0o644);
    expect(readdirSync(parent)).toEqual(["shop"]);
  });

  for (const at of [0, 1, 2]) {
    it(`leaves the disk as it was when write ${at} fails`, () => {
      const target = join(parent, "deep", "er", "shop");
      expect(() => {
        commitNewProject(FILES, target, (_path, index) => {
          if (index === at) throw new Error("disk full");
        });
      }).toThrowError("disk full");
      expect(readdirSync(parent)).toEqual([]);
    });
  }

  it("keeps parents that existed before a failure", () => {
    mkdirSync(join(parent, "kept"));
    expect(() => {
      commitNewProject(FILES, join(parent, "kept", "shop"), () => {
        throw new Error("boom");
      });
    }).toThrowError("boom");
    expect(readdirSync(parent)).toEqual(["kept"]);
    expect(readdirSync(join(parent, "kept"))).toEqual([]);
  });

  it("fails cleanly when the target was filled meanwhile", () => {
    const target = join(parent, "shop");
    expect(() => {
      commitNewProject(FILES, target, (_path, index) => {
        if (index === 1) {
          mkdirSync(target);
          writeFileSync(join(target, "other"), "x");
        }
      });
    }).toThrowError(/was created or filled by another process meanwhile; nothing was written/);
    expect(readdirSync(parent)).toEqual(["shop"]);
    expect(readdirSync(target)).toEqual(["other"]);
  });

  it("fills an existing empty folder in place, keeping the folder itself", () => {
    const target = join(parent, "here");
    mkdirSync(target);
    const inode = statSync(target).ino;
    commitNewProject(FILES, target);
    expect(statSync(target).ino).toBe(inode);
    expect(readdirSync(target).sort()).toEqual(["manage.py", "shop"]);
    expect(readdirSync(parent)).toEqual(["here"]);
  });

  it("leaves an existing empty folder empty when a write fails", () => {
    const target = join(parent, "here");
    mkdirSync(target);
    expect(() => {
      commitNewProject(FILES, target, (_path, index) => {
        if (index === 2) throw new Error("disk full");
      });
    }).toThrowError("disk full");
    expect(readdirSync(parent)).toEqual(["here"]);
    expect(readdirSync(target)).toEqual([]);
  });

  it("refuses, without looping, a parent the kernel will not create", () => {
    expect(() => {
      commitNewProject(FILES, "/proc/quickscale-test/shop");
    }).toThrowError(/ENOENT/);
  });

  it("removes staging folders of dead processes only", () => {
    const dead = join(parent, ".shop.quickscale-staging-999999999");
    const alive = join(parent, `.shop.quickscale-staging-${process.pid}`);
    mkdirSync(dead);
    mkdirSync(alive);
    removeStaleStaging(parent);
    expect(existsSync(dead)).toBeFalse();
    expect(existsSync(alive)).toBeTrue();
  });

  it("removes a dead process's staging folder inside an empty target, then fills it", () => {
    const target = join(parent, "here");
    const dead = join(target, ".quickscale-staging-999999999");
    mkdirSync(dead, { recursive: true });
    writeFileSync(join(dead, "manage.py"), "partial");
    commitNewProject(FILES, target);
    expect(readdirSync(target).sort()).toEqual(["manage.py", "shop"]);
    expect(readdirSync(parent)).toEqual(["here"]);
  });

  describe("with a staging folder reserved before the files are known (init's early git init)", () => {
    /** Reserves the staging folder of `target` and puts a repository's HEAD in it, as git init would. */
    const reserveWithRepository = (target: string): string => {
      const staging = reserveStaging(target);
      expect(staging).not.toBeNull();
      mkdirSync(join(staging ?? "", ".git"));
      writeFileSync(join(staging ?? "", ".git", "HEAD"), "ref: refs/heads/main\n");
      return staging ?? "";
    };

    it("commits the files together with what the folder already held", () => {
      const target = join(parent, "shop");
      const staging = reserveWithRepository(target);
      expect(staging).toBe(join(parent, stagingName("shop")));
      expect(commitNewProject(FILES, target, undefined, staging)).toBeTrue();
      expect(readdirSync(parent)).toEqual(["shop"]);
      expect(readdirSync(target).sort()).toEqual([".git", "manage.py", "shop"]);
      expect(readFileSync(join(target, ".git", "HEAD"), "utf8")).toBe("ref: refs/heads/main\n");
    });

    it("leaves the disk as it was, repository included, when a write fails", () => {
      const target = join(parent, "shop");
      const staging = reserveWithRepository(target);
      expect(() => {
        commitNewProject(
          FILES,
          target,
          (_path, index) => {
            if (index === 1) throw new Error("disk full");
          },
          staging,
        );
      }).toThrowError("disk full");
      expect(readdirSync(parent)).toEqual([]);
    });

    it("discards it when the target appeared meanwhile as an empty folder, and fills that folder", () => {
      const target = join(parent, "shop");
      reserveWithRepository(target);
      mkdirSync(target);
      expect(commitNewProject(FILES, target, undefined, join(parent, stagingName("shop")))).toBeFalse();
      expect(readdirSync(parent)).toEqual(["shop"]);
      expect(readdirSync(target).sort()).toEqual(["manage.py", "shop"]);
    });

    it("is discarded whole when the run stops before its commit", () => {
      const staging = reserveWithRepository(join(parent, "shop"));
      discardReservedStaging(staging);
      expect(readdirSync(parent)).toEqual([]);
    });

    it("reserves nothing when the target exists or its parent does not", () => {
      mkdirSync(join(parent, "here"));
      expect(reserveStaging(join(parent, "here"))).toBeNull();
      expect(reserveStaging(join(parent, "missing", "shop"))).toBeNull();
      expect(readdirSync(parent)).toEqual(["here"]);
    });
  });

  it("names staging folders within 255 bytes, cutting long names between characters", () => {
    for (const folder of ["a".repeat(250), "é".repeat(200), "€".repeat(90), "shop"]) {
      const name = stagingName(folder);
      expect(Buffer.byteLength(name)).withContext(folder).toBeLessThanOrEqual(255);
      expect(name.endsWith(`.quickscale-staging-${process.pid}`)).toBeTrue();
      expect(folder.startsWith(name.slice(1, name.indexOf(".quickscale-staging-")))).toBeTrue();
    }
    expect(stagingName("shop")).toBe(`.shop.quickscale-staging-${process.pid}`);
    expect(stagingName("")).toBe(`.quickscale-staging-${process.pid}`);
  });

  it("commits a project into a folder whose name takes 250 bytes", () => {
    const target = join(parent, "b".repeat(250));
    commitNewProject(FILES, target);
    expect(readdirSync(parent)).toEqual(["b".repeat(250)]);
  });
});
