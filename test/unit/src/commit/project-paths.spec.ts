import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  assertWritableTarget,
  isInsideProject,
  pathShapeProblem,
  realLocation,
} from "../../../../src/commit/project-paths";

describe("project paths", () => {
  let base: string;
  let root: string;

  beforeEach(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), "qs-paths-")));
    root = join(base, "project");
    mkdirSync(join(root, "app"), { recursive: true });
    mkdirSync(join(base, "outside"));
  });
  afterEach(() => {
    rmSync(base, { recursive: true, force: true });
  });

  it("accepts plain relative paths only, never under .git/", () => {
    expect(pathShapeProblem("app/views.py")).toBeNull();
    for (const bad of ["", "/etc/passwd", "../x", "app/../x", "app//x", "./x", ".git/config", "app/.GIT/x"]) {
      expect(pathShapeProblem(bad)).withContext(bad).not.toBeNull();
    }
  });

  it("places a path by its real location, through links and missing folders", () => {
    symlinkSync(join(base, "outside"), join(root, "linked"));
    symlinkSync(join(base, "outside", "nowhere"), join(root, "dangling"));
    expect(realLocation(join(root, "app", "new", "file.py"), "x")).toBe(join(root, "app", "new", "file.py"));
    expect(realLocation(join(root, "linked", "new.py"), "x")).toBe(join(base, "outside", "new.py"));
    expect(realLocation(join(root, "dangling"), "x")).toBeNull();
    expect(() => realLocation(join(root, "dangling", "x.py"), "dangling/x.py")).toThrowError(
      /"dangling\/x\.py" goes through a symbolic link that leads nowhere/,
    );
    expect(isInsideProject(root, join(root, "app"))).toBeTrue();
    expect(isInsideProject(root, root)).toBeFalse();
    expect(isInsideProject(root, join(root, ".git", "hooks"))).toBeFalse();
    expect(isInsideProject(root, join(base, "outside"))).toBeFalse();
    expect(isInsideProject(root, `${root}-sibling`)).toBeFalse();
  });

  it("says what a target is, or why it cannot be written", () => {
    writeFileSync(join(root, "app", "views.py"), "x = 1\n");
    writeFileSync(join(root, "templates"), "a file\n");
    symlinkSync("app/views.py", join(root, "inner-link.py"));
    expect(assertWritableTarget(root, root, "app/views.py")).toBe("file");
    expect(assertWritableTarget(root, root, "app/new/deeper.py")).toBe("absent");
    expect(() => assertWritableTarget(root, root, "templates/base.html")).toThrowError(
      /"templates" is a file where QuickScale needs a folder/,
    );
    expect(() => assertWritableTarget(root, root, "inner-link.py")).toThrowError(/is a symbolic link/);
    expect(() => assertWritableTarget(root, root, "app")).toThrowError(
      /is a folder where QuickScale writes a file/,
    );
  });
});
