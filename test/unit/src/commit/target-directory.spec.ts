import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeStaleStaging } from "../../../../src/commit/new-project";
import { assertTargetOnDiskIsFree } from "../../../../src/commit/target-directory";

describe("assertTargetOnDiskIsFree", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "qs-target-"));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const check = (path: string): void => {
    assertTargetOnDiskIsFree(join(root, path), removeStaleStaging);
  };

  it("accepts a missing target, under missing or real folders", () => {
    mkdirSync(join(root, "real"));
    symlinkSync("real", join(root, "linked"));
    for (const path of ["app", "new/deeper/app", "real/app", "linked/app"]) {
      expect(() => {
        check(path);
      })
        .withContext(path)
        .not.toThrow();
    }
  });

  it("accepts an empty folder, and one a killed run's staging folder is all that is in", () => {
    mkdirSync(join(root, "app", ".quickscale-staging-999999999"), { recursive: true });
    check("app");
    expect(readdirSync(join(root, "app"))).toEqual([]);
  });

  it("refuses a file, a non-empty folder, and a file above the target", () => {
    writeFileSync(join(root, "file"), "x");
    mkdirSync(join(root, "full"));
    writeFileSync(join(root, "full", "keep"), "x");
    expect(() => {
      check("file");
    }).toThrowError(/"[^"]*\/file" is a file\. Choose another --directory\.$/);
    expect(() => {
      check("file/below/app");
    }).toThrowError(/"[^"]*\/file", a parent of "[^"]*\/app", is a file/);
    expect(() => {
      check("full");
    }).toThrowError(/already exists and is not empty/);
  });

  it("names a dangling link, as the target or above it", () => {
    symlinkSync("gone", join(root, "dangling"));
    expect(() => {
      check("dangling");
    }).toThrowError(
      /^Cannot create the project: "[^"]*\/dangling" is a symbolic link to "gone", which does not exist\. Remove the link or choose another --directory\.$/,
    );
    expect(() => {
      check("dangling/more/app");
    }).toThrowError(/"[^"]*\/dangling", a parent of "[^"]*\/app", is a symbolic link to "gone"/);
  });

  it("names a link loop", () => {
    symlinkSync("b", join(root, "a"));
    symlinkSync("a", join(root, "b"));
    expect(() => {
      check("a");
    }).toThrowError(/"[^"]*\/a" is a symbolic link that loops \(through "b"\)\. Remove the link/);
  });
});
