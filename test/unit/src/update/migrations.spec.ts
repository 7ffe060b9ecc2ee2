import { Tree } from "@angular-devkit/schematics";
import { lastValueFrom, of } from "rxjs";
import { callRule } from "@angular-devkit/schematics";
import { Migration, MIGRATIONS, migrationsBetween } from "../../../../src/update/migrations";
import { coverageOutOfAddopts } from "../../../../src/update/migrations/coverage-out-of-addopts";

const rule = () => () => undefined;
const at = (version: string, name: string): Migration => ({ version, name, description: "", rule });

describe("migrationsBetween", () => {
  const all = [at("0.3.0", "c"), at("0.2.0", "a"), at("0.2.0", "b"), at("0.10.0", "d")];

  it("runs the migrations of the versions crossed, in version order, once", () => {
    expect(migrationsBetween("0.1.0", "0.3.0", all).map((m) => m.name)).toEqual(["a", "b", "c"]);
    expect(migrationsBetween("0.2.0", "0.10.0", all).map((m) => m.name)).toEqual(["c", "d"]);
    expect(migrationsBetween("0.3.0", "0.3.0", all)).toEqual([]);
  });

  it("ships 0.2.0's migration for 0.1.0 projects", () => {
    expect(migrationsBetween("0.1.0", "0.2.0").map((m) => m.name)).toContain("coverage-out-of-addopts");
    expect(MIGRATIONS.every((m) => /^\d+\.\d+\.\d+$/.test(m.version))).toBeTrue();
  });
});

describe("the coverage-out-of-addopts migration", () => {
  async function migrate(text: string, skip: string[] = []): Promise<string> {
    const tree = Tree.empty();
    tree.create("pyproject.toml", text);
    const out = await lastValueFrom(
      callRule(coverageOutOfAddopts.rule({ name: "myapp", skip: new Set(skip) }), of(tree), {} as never),
    );
    return out.readText("pyproject.toml");
  }

  const PYPROJECT = `[project]\nname = "myapp"\n\n[tool.pytest.ini_options]\n# mine\naddopts = ["--strict-markers", "--cov=myapp", "-q"]  # keep\nxfail_strict = true\n`;

  it("drops --cov from an addopts line the owner edited, keeping the rest as written", async () => {
    expect(await migrate(PYPROJECT)).toBe(PYPROJECT.replace(`"--cov=myapp", `, ""));
  });

  it("handles an array over several lines, with --cov last", async () => {
    const text = `[tool.pytest.ini_options]\naddopts = [\n    "--strict-markers",\n    "--cov=myapp",\n]\n`;
    expect(await migrate(text)).toBe(`[tool.pytest.ini_options]\naddopts = [\n    "--strict-markers",\n]\n`);
  });

  it("changes nothing the second time, nor a file with conflict markers", async () => {
    const once = await migrate(PYPROJECT);
    expect(await migrate(once)).toBe(once);
    expect(await migrate(PYPROJECT, ["pyproject.toml"])).toBe(PYPROJECT);
  });
});
