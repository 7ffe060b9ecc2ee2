import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { relockRefusal } from "../../../../src/cli/python-lock";

const PYPROJECT = '[project]\nname = "shop"\nversion = "0.1.0"\ndependencies = ["Django>=5.2,<6.0"]\n';

describe("relockRefusal", () => {
  let root = "";
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "relock-"));
    writeFileSync(join(root, "pyproject.toml"), PYPROJECT);
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("lets uv relock a plain uv.lock beside static metadata", () => {
    writeFileSync(join(root, "uv.lock"), "version = 1\n");
    expect(relockRefusal(root)).toBeNull();
  });

  it("leaves a project without uv.lock alone", () => {
    expect(relockRefusal(root)).toBe("no lock");
  });

  it("refuses a uv.lock that is a link (uv would write through it)", () => {
    const outside = mkdtempSync(join(tmpdir(), "relock-outside-"));
    writeFileSync(join(outside, "uv.lock"), "version = 1\n");
    symlinkSync(join(outside, "uv.lock"), join(root, "uv.lock"));
    expect(relockRefusal(root)).toMatch(/not a plain file/);
    rmSync(outside, { recursive: true, force: true });
  });

  it("refuses dynamic metadata and [tool.uv] settings", () => {
    writeFileSync(join(root, "uv.lock"), "version = 1\n");
    writeFileSync(join(root, "pyproject.toml"), `${PYPROJECT}dynamic = ["readme"]\n`);
    expect(relockRefusal(root)).toMatch(/dynamic metadata/);
    writeFileSync(
      join(root, "pyproject.toml"),
      `${PYPROJECT}\n[tool.uv]\nindex-url = "https://example.invalid"\n`,
    );
    expect(relockRefusal(root)).toMatch(/\[tool\.uv\]/);
  });
});
