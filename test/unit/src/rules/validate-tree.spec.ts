import { normalize, virtualFs } from "@angular-devkit/core";
import { HostTree } from "@angular-devkit/schematics";
import {
  contentProblem,
  touchedContents,
  touchedPaths,
  validatePaths,
  validateTree,
} from "../../../../src/rules/validate-tree";
import { lastValueFrom, of } from "rxjs";
import { callRule, SchematicContext } from "@angular-devkit/schematics";

async function validate(files: Record<string, string>, root = "app"): Promise<void> {
  const tree = new HostTree();
  for (const [path, content] of Object.entries(files)) {
    tree.create(path, content);
  }
  await lastValueFrom(callRule(validateTree(root), of(tree), {} as SchematicContext));
}

describe("validateTree", () => {
  it("accepts valid files of every checked kind", async () => {
    await expectAsync(
      validate({
        "app/a.py": "import os\n\n\ndef f():\n    return os.sep\n",
        "app/b.json": '{"a": 1}',
        "app/c.toml": '[tool.x]\na = "b"\n',
        "app/d.yaml": "a: [1, 2]\n---\nb: 2\n",
        "app/e.html": "{% block content %}{% endblock %}",
      }),
    ).toBeResolved();
  });

  const broken: [string, string, RegExp][] = [
    ["app/settings.py", "def f(:\n    pass\n", /Invalid file "\/app\/settings\.py": line 1: syntax error/],
    ["app/x.json", "{nope}", /Invalid file "\/app\/x\.json": /],
    ["app/pyproject.toml", "[tool\n", /Invalid file "\/app\/pyproject\.toml": /],
    ["app/ci.yml", "a: [1\n", /Invalid file "\/app\/ci\.yml": /],
    [
      "app/index.html",
      "Hello <%= name %>",
      /Invalid file "\/app\/index\.html": line 1: unrendered template marker "<%="/,
    ],
    ["elsewhere/a.txt", "x", /Invalid file "\/elsewhere\/a\.txt": it is outside the target "\/app\/"/],
  ];
  for (const [path, content, message] of broken) {
    it(`names ${path} when it is invalid`, async () => {
      await expectAsync(validate({ "app/ok.py": "x = 1\n", [path]: content })).toBeRejectedWithError(message);
    });
  }

  it("checks only paths with validatePaths: the contents are the concerns' to check", async () => {
    const tree = new HostTree();
    tree.create("app/unparsed.py", "def f(:\n");
    await expectAsync(
      lastValueFrom(callRule(validatePaths("app"), of(tree), {} as SchematicContext)),
    ).toBeResolved();
    tree.create("elsewhere/a.txt", "x");
    await expectAsync(
      lastValueFrom(callRule(validatePaths("app"), of(tree), {} as SchematicContext)),
    ).toBeRejectedWithError(/Invalid file "\/elsewhere\/a\.txt": it is outside the target "\/app\/"/);
  });

  it("checks only what the run created or changed", () => {
    const tree = new HostTree();
    tree.create("a.py", "x = 1\n");
    expect(touchedPaths(tree)).toEqual(["/a.py"]);
  });

  it("gives the content of exactly the touched paths, in their order, as the tree reads it", () => {
    const disk = new virtualFs.SimpleMemoryHost();
    const files = {
      "kept.txt": "untouched\n",
      "old.txt": "renamed\n",
      "over.txt": "before\n",
      "gone.txt": "x\n",
    };
    for (const [path, content] of Object.entries(files)) {
      disk.write(normalize(`/${path}`), virtualFs.stringToFileBuffer(content)).subscribe();
    }
    const tree = new HostTree(disk);
    tree.create("b.py", "x = 1\n");
    tree.create("deleted-later.py", "y = 2\n");
    tree.delete("deleted-later.py");
    tree.overwrite("over.txt", "after\n");
    tree.rename("old.txt", "new.txt");
    tree.create("moved-then-changed.txt", "first\n");
    tree.rename("moved-then-changed.txt", "changed.txt");
    tree.overwrite("changed.txt", "second\n");
    tree.delete("gone.txt");
    const contents = touchedContents(tree);
    expect([...contents.keys()]).toEqual(touchedPaths(tree));
    expect([...contents.keys()]).toEqual(["/b.py", "/changed.txt", "/new.txt", "/over.txt"]);
    for (const [path, content] of contents) {
      expect(content.toString()).withContext(path).toBe(tree.readText(path));
    }
  });

  it("reports the line of a Python error", async () => {
    expect(await contentProblem("x.py", "a = 1\nb = (\n")).toMatch(/^line \d: syntax error/);
    expect(await contentProblem("x.py", "a = 1\n")).toBeNull();
  });
});
