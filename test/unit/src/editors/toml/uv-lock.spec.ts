import { logging } from "@angular-devkit/core";
import { callRule, Rule, SchematicContext, Tree } from "@angular-devkit/schematics";
import { lastValueFrom } from "rxjs";
import {
  LOCK_PLACEHOLDER_NAME,
  normalizedPackageName,
  remindingToRelock,
  renderUvLock,
} from "../../../../../src/editors/toml/uv-lock";

const entry = (name: string, source = '{ registry = "https://pypi.org/simple" }'): string =>
  `name = "${name}"\nversion = "1.0"\nsource = ${source}\n`;
const lock = (...entries: string[]): string =>
  ['version = 1\nrevision = 5\nrequires-python = ">=3.11"\n', ...entries].join("\n[[package]]\n");
const TEMPLATE = lock(
  entry("asgiref"),
  entry("django"),
  entry(LOCK_PLACEHOLDER_NAME, '{ editable = "." }'),
  entry("whitenoise"),
);

describe("renderUvLock", () => {
  it("renames the editable project to the normalized name and sorts the packages again", () => {
    expect(renderUvLock(TEMPLATE, "Shop_API")).toBe(
      lock(entry("asgiref"), entry("django"), entry("shop-api", '{ editable = "." }'), entry("whitenoise")),
    );
    expect(renderUvLock(TEMPLATE, "aaa")).toBe(
      lock(entry("aaa", '{ editable = "." }'), entry("asgiref"), entry("django"), entry("whitenoise")),
    );
  });

  it("keeps a dependency that happens to share the placeholder's name but is not the project", () => {
    const template = lock(entry(LOCK_PLACEHOLDER_NAME), entry(LOCK_PLACEHOLDER_NAME, '{ editable = "." }'));
    const rendered = renderUvLock(template, "zz");
    expect(rendered).toContain(entry(LOCK_PLACEHOLDER_NAME));
    expect(rendered).toContain(entry("zz", '{ editable = "." }'));
  });

  it("refuses a lock without the placeholder project, naming the script that makes it", () => {
    expect(() => renderUvLock(lock(entry("django")), "shop")).toThrowError(/npm run lock:python/);
  });
});

describe("normalizedPackageName", () => {
  it("follows PEP 503", () => {
    expect(normalizedPackageName("My__App.x-y")).toBe("my-app-x-y");
  });
});

describe("remindingToRelock", () => {
  const run = async (files: Record<string, string>, edit: Rule): Promise<string[]> => {
    const tree = Tree.empty();
    for (const [path, content] of Object.entries(files)) tree.create(path, content);
    const logger = new logging.Logger("test");
    const messages: string[] = [];
    logger.subscribe((entry) => messages.push(`${entry.level}: ${entry.message}`));
    // The rule reads nothing of its context but the logger.
    const context = { logger } as unknown as SchematicContext;
    await lastValueFrom(callRule(remindingToRelock(edit), tree, context));
    return messages;
  };
  const addDependency: Rule = (tree) => {
    tree.overwrite("pyproject.toml", `${tree.readText("pyproject.toml")}# changed\n`);
  };

  it("says the lock is stale and the one command to run when the dependencies changed", async () => {
    expect(await run({ "pyproject.toml": "", "uv.lock": "" }, addDependency)).toEqual([
      'info: uv.lock no longer matches pyproject.toml: run "uv lock" and commit it (quickscale add runs it when uv is installed).',
    ]);
  });

  it("says nothing when pyproject.toml is unchanged or the project has no uv.lock", async () => {
    expect(await run({ "pyproject.toml": "", "uv.lock": "" }, () => undefined)).toEqual([]);
    expect(await run({ "pyproject.toml": "" }, addDependency)).toEqual([]);
  });
});
