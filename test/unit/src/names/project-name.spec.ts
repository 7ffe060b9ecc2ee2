import { AUTH_IMPORT_NAMES } from "../../../../schematics/auth/dependencies";
import {
  assertValidProjectName,
  MAX_PROJECT_NAME_LENGTH,
  projectNameProblem,
  suggestProjectName,
} from "../../../../src/names/project-name";

describe("project names", () => {
  it("accepts lower-case identifiers", () => {
    for (const name of ["myapp", "shop2", "my_app", "a", "x".repeat(MAX_PROJECT_NAME_LENGTH), "match"]) {
      expect(projectNameProblem(name)).withContext(name).toBeNull();
    }
  });

  const refused: [string, string][] = [
    ["", "empty"],
    ["my-app", "not a Python package name"],
    ["MyApp", "not a Python package name"],
    ["my.app", "not a Python package name"],
    ["1app", "not a Python package name"],
    ["_app", "not a Python package name"],
    ["app_", "not a Python package name"],
    ["café", "not a Python package name"],
    ["../app", "not a Python package name"],
    ["/tmp/app", "not a Python package name"],
    ["class", "keyword"],
    ["json", "standard library"],
    ["test", "standard library"],
    ["django", "depends on"],
    ["environ", "depends on"],
    ["factory", "depends on"],
    ["tests", "own folders"],
    ["allauth", 'that "quickscale add auth" installs'],
    ["qrcode", 'that "quickscale add auth" installs'],
    ["pygments", "depends on"],
    ["static", "own folders"],
    ["teams", "own folders"],
    ["csp", "depends on"],
    ["x".repeat(MAX_PROJECT_NAME_LENGTH + 1), "limit is 58"],
  ];
  for (const [name, reason] of refused) {
    it(`refuses ${JSON.stringify(name.slice(0, 20))} (${reason})`, () => {
      expect(projectNameProblem(name)).toContain(reason);
      expect(() => {
        assertValidProjectName(name);
      }).toThrowError(/^Invalid project name: .*\. Try "[a-z][a-z0-9_]*"\.$/);
    });
  }

  it("suggests a name that is itself valid", () => {
    for (const [name] of refused) {
      const suggestion = suggestProjectName(name);
      expect(projectNameProblem(suggestion)).withContext(`${name} -> ${suggestion}`).toBeNull();
    }
    expect(suggestProjectName("My-App")).toBe("my_app");
    expect(suggestProjectName("django")).toBe("django_project");
    expect(suggestProjectName("café")).toBe("cafe");
  });

  it("refuses the import name of every package a module installs", () => {
    expect(AUTH_IMPORT_NAMES).toContain("allauth");
    for (const name of AUTH_IMPORT_NAMES) {
      expect(projectNameProblem(name)).withContext(name).toContain(`"${name}" would shadow`);
    }
  });
});
