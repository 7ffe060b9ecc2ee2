import { appendTomlTables } from "../../../../../src/editors/toml/pyproject-tables";

const BASE = '[project]\nname = "shop"  # keep this comment\n';
const RUFF = '[tool.ruff]\nline-length = 88\n\n[tool.ruff.lint]\nselect = ["E"]\n';

describe("appendTomlTables", () => {
  it("appends tables and keeps every existing byte", () => {
    const result = appendTomlTables(BASE, RUFF, "pyproject.toml");
    expect(result.startsWith(BASE)).toBeTrue();
    expect(result).toBe(`${BASE}\n${RUFF}`);
  });

  it("is idempotent", () => {
    const once = appendTomlTables(BASE, RUFF, "pyproject.toml");
    expect(appendTomlTables(once, RUFF, "pyproject.toml")).toBe(once);
  });

  it("refuses a table the user changed", () => {
    const changed = `${BASE}\n[tool.ruff]\nline-length = 120\n`;
    expect(() => appendTomlTables(changed, RUFF, "pyproject.toml")).toThrowError(
      /pyproject\.toml: \[tool\.ruff\] already exists with other values/,
    );
  });

  it("refuses a partial set of its tables", () => {
    const partial = `${BASE}\n[tool.ruff]\nline-length = 88\n\n[tool.ruff.lint]\nselect = ["E"]\n`;
    const more = `${RUFF}\n[tool.coverage.run]\nbranch = true\n`;
    expect(() => appendTomlTables(partial, more, "pyproject.toml")).toThrowError(/some of the tables/);
  });
});
