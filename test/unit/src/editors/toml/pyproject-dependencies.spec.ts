import { parse } from "smol-toml";
import {
  addProjectDependency,
  requirementName,
} from "../../../../../src/editors/toml/pyproject-dependencies";

const PYPROJECT = `[project]
name = "shop"
dependencies = [
    "Django>=5.2,<6.0",
    "gunicorn>=27.0,<28.0",  # the server
    "whitenoise>=6.12,<7.0",
]

[dependency-groups]
dev = [
    "pytest>=9.2,<10.0",
]
`;

describe("addProjectDependency", () => {
  it("inserts the requirement on its own line, in alphabetical order, keeping the rest", () => {
    const result = addProjectDependency(PYPROJECT, "pyproject.toml", "django-allauth>=65.21,<66.0");
    expect(result).toBe(
      PYPROJECT.replace('    "gunicorn', '    "django-allauth>=65.21,<66.0",\n    "gunicorn'),
    );
    const parsed = parse(result) as { project: { dependencies: string[] } };
    expect(parsed.project.dependencies).toContain("django-allauth>=65.21,<66.0");
  });

  it("leaves a dependency of the same name as the user pinned it", () => {
    const pinned = PYPROJECT.replace('"gunicorn>=27.0,<28.0"', '"Gunicorn==27.0.1"');
    expect(addProjectDependency(pinned, "pyproject.toml", "gunicorn>=27")).toBe(pinned);
    const once = addProjectDependency(PYPROJECT, "pyproject.toml", "redis>=8");
    expect(addProjectDependency(once, "pyproject.toml", "redis>=8")).toBe(once);
  });

  it("refuses a layout it cannot edit safely, naming the line", () => {
    const inline = PYPROJECT.replace(/dependencies = \[[^\]]*\]/, 'dependencies = ["Django"]');
    expect(() => addProjectDependency(inline, "pyproject.toml", "redis")).toThrowError(
      /^pyproject\.toml:3: expected "dependencies = \[" followed by one requirement per line, found "dependencies = \[\\"Django\\"\]"\.$/,
    );
    expect(() => addProjectDependency("[tool.x]\n", "pyproject.toml", "redis")).toThrowError(/found none/);
  });

  it("normalizes names as PEP 503 does", () => {
    expect(requirementName("Django_Allauth[mfa]>=65")).toBe("django-allauth");
  });
});
