import { LOCK_PLACEHOLDER_NAME, normalizedPackageName, renderUvLock } from "../../../src/uv-lock";

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
