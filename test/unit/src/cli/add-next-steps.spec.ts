import { nextStepsAfterAdd } from "../../../../src/cli/add-next-steps";

const PYPROJECT = '[project]\nname = "shop"\ndependencies = [\n    "django>=5.2",\n]\n';
const BASE = 'INSTALLED_APPS = [\n    "django.contrib.admin",\n]\n';

/** The commands of the steps, without their comments. */
async function commands(...args: Parameters<typeof nextStepsAfterAdd>): Promise<string[]> {
  const text = await nextStepsAfterAdd(...args);
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => line.replace(/ +#.*$/, "").trim());
}

describe("nextStepsAfterAdd", () => {
  it("installs, migrates, tests and reviews when dependencies and apps changed", async () => {
    const changes = [
      {
        path: "pyproject.toml",
        before: PYPROJECT,
        after: PYPROJECT.replace('    "django', '    "django-allauth>=65",\n    "django'),
      },
      { path: "shop/settings/base.py", before: BASE, after: BASE.replace("]", '    "allauth",\n]') },
      { path: "tests/test_auth.py", before: null, after: "def test_x():\n    pass\n" },
    ];
    expect(await commands(changes, true)).toEqual([
      "Next steps:",
      "uv sync",
      "uv run python manage.py migrate",
      "uv run pytest --cov",
      "git status && git diff",
    ]);
  });

  it("migrates for a list of apps named otherwise (THIRD_PARTY_APPS) and for a new migration", async () => {
    const split = 'THIRD_PARTY_APPS = ["csp"]\nINSTALLED_APPS = THIRD_PARTY_APPS\n';
    const apps = [{ path: "s.py", before: split, after: split.replace('"csp"', '"csp", "allauth"') }];
    expect(await commands(apps, false)).toEqual([
      "Next steps:",
      "uv run python manage.py migrate",
      "uv run pytest --cov",
    ]);
    const migration = [{ path: "shop/users/migrations/0002_x.py", before: null, after: "" }];
    expect(await commands(migration, false)).toContain("uv run python manage.py migrate");
  });

  it("neither installs nor migrates when only tool settings or other settings changed", async () => {
    const changes = [
      { path: "pyproject.toml", before: PYPROJECT, after: `${PYPROJECT}\n[tool.ruff]\nline-length = 100\n` },
      { path: "shop/settings/base.py", before: BASE, after: `${BASE}DEBUG = False\n` },
    ];
    expect(await commands(changes, true)).toEqual([
      "Next steps:",
      "uv run pytest --cov",
      "git status && git diff",
    ]);
    expect(await commands([{ path: "Dockerfile", before: "FROM a\n", after: "FROM b\n" }], true)).toEqual([
      "Next steps:",
      "git status && git diff",
    ]);
    expect(await nextStepsAfterAdd([{ path: "Dockerfile", before: null, after: "" }], false)).toBe("");
  });
});
