import { SchematicTestRunner, UnitTestTree } from "@angular-devkit/schematics/testing";
import { Tree } from "@angular-devkit/schematics";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { parse as parseYaml } from "yaml";
import { contentHash, Manifest } from "../../../src/rules/manifest";
import { Schema } from "../../../schematics/init/schema";
import { PROJECT_CONCERNS } from "../../../schematics/init";
import { PACKAGE_ROOT, QUICKSCALE_VERSION } from "../../../src/base/version";

const runner = new SchematicTestRunner("quickscale", join(PACKAGE_ROOT, "collection.json"));

function init(options: Schema, tree: Tree = Tree.empty()): Promise<UnitTestTree> {
  return runner.runSchematic("init", { skipGit: true, ...options }, tree);
}

function manifestOf(tree: UnitTestTree, dir = "shop"): Manifest {
  return JSON.parse(tree.readText(`${dir}/.quickscale.json`)) as Manifest;
}

describe("init", () => {
  it("keeps a name YAML would read as another type a string in the YAML files", async () => {
    // "null" and "true" are valid project names, and YAML keywords.
    for (const name of ["null", "true"]) {
      const generated = await init({ name });
      const compose = parseYaml(generated.readText(`${name}/docker-compose.yml`)) as {
        services: { db: { environment: Record<string, unknown> } };
      };
      expect(compose.services.db.environment["POSTGRES_DB"]).toBe(name);
      const ci = parseYaml(generated.readText(`${name}/.github/workflows/ci.yml`)) as {
        jobs: { test: { services: { postgres: { env: Record<string, unknown> } } } };
      };
      expect(ci.jobs.test.services.postgres.env["POSTGRES_DB"]).toBe(name);
    }
  });

  let tree: UnitTestTree;
  beforeAll(async () => {
    tree = await init({ name: "shop" });
  });

  it("writes the project tree of DESIGN section 3 into ./<name>", () => {
    for (const path of [
      "manage.py",
      "shop/__init__.py",
      "shop/urls.py",
      "shop/views.py",
      "shop/wsgi.py",
      "shop/asgi.py",
      "shop/settings/__init__.py",
      "shop/settings/base.py",
      "shop/settings/local.py",
      "shop/settings/production.py",
      "shop/settings/test.py",
      "shop/users/models.py",
      "shop/users/migrations/0001_initial.py",
      "templates/base.html",
      "templates/index.html",
      "tests/conftest.py",
      "pyproject.toml",
      ".env.example",
      ".gitignore",
      ".editorconfig",
      "README.md",
      ".quickscale.json",
      ".pre-commit-config.yaml",
      "Dockerfile",
      ".dockerignore",
      "docker-compose.yml",
      ".github/workflows/ci.yml",
      ".github/workflows/deploy.yml",
      ".github/dependabot.yml",
    ]) {
      expect(tree.files).withContext(path).toContain(`/shop/${path}`);
    }
    expect(tree.files.every((path) => path.startsWith("/shop/"))).toBeTrue();
  });

  it("renders every template: no suffix, no marker, dunder names intact", () => {
    expect(tree.files.filter((path) => path.endsWith(".template") || path.includes("__name__"))).toEqual([]);
    for (const path of tree.files) {
      expect(tree.readText(path)).withContext(path).not.toMatch(/<%|%>/);
    }
    expect(tree.readText("/shop/templates/index.html")).toContain("Welcome to shop");
  });

  it("gives local settings a fresh insecure-labelled development key per project", async () => {
    const keyOf = (t: UnitTestTree) =>
      /"(django-insecure-[^"]{50})"/.exec(t.readText("/shop/shop/settings/local.py"))?.[1];
    const first = keyOf(tree);
    const second = keyOf(await init({ name: "shop" }));
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(first).not.toBe(second);
    for (const path of tree.files.filter((file) => !file.endsWith("/local.py"))) {
      expect(tree.readText(path))
        .withContext(path)
        .not.toMatch(/django-insecure-[^"\s]{50}/);
    }
  });

  it("builds pyproject.toml from the core table and each concern's tool tables", () => {
    const pyproject = parseToml(tree.readText("/shop/pyproject.toml")) as {
      project: { name: string; dependencies: string[] };
      tool: Record<string, unknown>;
    };
    expect(pyproject.project.name).toBe("shop");
    expect(pyproject.project.dependencies).toContain("Django>=5.2,<6.0");
    expect(Object.keys(pyproject.tool)).toEqual(jasmine.arrayContaining(["pytest", "coverage", "ruff"]));
  });

  it("records a deterministic manifest with a hash of every file it wrote", async () => {
    const manifest = manifestOf(tree);
    expect(manifest.quickscale).toBe(QUICKSCALE_VERSION);
    expect(manifest.options).toEqual({ name: "shop" });
    expect(Object.keys(manifest.concerns)).toEqual([...PROJECT_CONCERNS].sort());
    const written = tree.files
      .filter((path) => path !== "/shop/.quickscale.json")
      .map((path) => path.slice(6));
    expect(Object.keys(manifest.files).sort()).toEqual(written.sort());
    for (const [path, hash] of Object.entries(manifest.files)) {
      expect(hash)
        .withContext(path)
        .toBe(contentHash(tree.readContent(`/shop/${path}`)));
    }
    const again = manifestOf(await init({ name: "shop" }));
    const withoutKey = (m: Manifest) => ({ ...m, files: { ...m.files, "shop/settings/local.py": "" } });
    expect(withoutKey(again)).toEqual(withoutKey(manifest));
    expect(tree.readText("/shop/.quickscale.json")).not.toMatch(/20\d\d-\d\d-\d\d/);
  });

  it("writes into --directory", async () => {
    const other = await init({ name: "shop", directory: "clients/acme" });
    expect(other.files).toContain("/clients/acme/manage.py");
    expect(other.files.every((path) => path.startsWith("/clients/acme/"))).toBeTrue();
  });

  it("schedules git init with a first commit unless --skip-git", async () => {
    expect(runner.tasks).toEqual([]);
    await runner.runSchematic("init", { name: "shop" }, Tree.empty());
    expect(runner.tasks.map((task) => task.name)).toEqual(["repo-init"]);
    expect(runner.tasks[0]?.options).toEqual(
      jasmine.objectContaining({
        workingDirectory: "shop",
        commit: true,
        message: "Initial commit from QuickScale",
      }),
    );
  });

  describe("refuses, writing nothing,", () => {
    it("an invalid name, with a suggestion", async () => {
      await expectAsync(init({ name: "My-Shop" })).toBeRejectedWithError(
        /Invalid project name: .* Try "my_shop"\./,
      );
    });

    it("a non-empty existing directory", async () => {
      const existing = Tree.empty();
      existing.create("shop/notes.txt", "mine");
      await expectAsync(init({ name: "shop" }, existing)).toBeRejectedWithError(
        /"shop" already exists and is not empty/,
      );
    });

    it("a target that is a file, or under a file", async () => {
      const existing = Tree.empty();
      existing.create("shop", "a file");
      await expectAsync(init({ name: "shop" }, existing)).toBeRejectedWithError(/"shop" is a file/);
      await expectAsync(init({ name: "shop", directory: "shop/inner" }, existing)).toBeRejectedWithError(
        /"shop", a parent of "shop\/inner", is a file/,
      );
    });

    it("a directory outside the tree or the tree root itself", async () => {
      await expectAsync(init({ name: "shop", directory: "../shop" })).toBeRejectedWithError(
        /outside the current folder/,
      );
      await expectAsync(init({ name: "shop", directory: "." })).toBeRejectedWithError(
        /is the current folder/,
      );
    });
  });
});
