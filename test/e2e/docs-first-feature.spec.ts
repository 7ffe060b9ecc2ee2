import { join } from "node:path";
import { removeDir } from "./support/files";
import { guideVenv, runGuideAsWritten } from "./support/guide-runner";
import { expectSuccess, required, run } from "./support/process";
import type { PythonEnv } from "./support/python-env";

/** Creating the cached venv on a first run (pip downloads). */
const SETUP_TIMEOUT_MS = 20 * 60_000;
const COMMAND_TIMEOUT_MS = 3 * 60_000;

describe("docs/first-feature.md, run as written", () => {
  let root = "";
  let venv: PythonEnv | undefined;

  beforeAll(async () => {
    venv = await guideVenv("h-guides-feature-venv");
  }, SETUP_TIMEOUT_MS);

  afterAll(() => {
    removeDir(root);
  });

  it(
    "builds an app with a model, a page in the UI shell and tests, all green, committed",
    async () => {
      const guide = await runGuideAsWritten("first-feature.md", "h-guides-feature", venv, COMMAND_TIMEOUT_MS);
      root = guide.root;
      const { work, env, step } = guide;
      const project = join(work, "myapp");
      const git = (...args: string[]) =>
        run("git", args, { cwd: project, env, timeoutMs: COMMAND_TIMEOUT_MS });

      expect(step("pytest catalog").result.stdout).toMatch(/\b3 passed\b/);
      expect(step("pytest --cov").result.stdout).toMatch(/Required test coverage of [\d.]+% reached/);
      // The report lists only files with lines left uncovered (skip_covered): none of the app's.
      expect(step("pytest --cov").result.stdout).not.toMatch(/^catalog\/\S+\.py\s+\d+\s+\d+/m);

      // The guide's urls.py is the generated one with exactly the two lines it announces.
      const urls = await git("diff", "--unified=0", "HEAD~1", "--", "myapp/urls.py");
      expectSuccess(urls);
      const changed = urls.stdout.split("\n").filter((line) => /^[-+][^-+]/.test(line));
      expect(changed).toEqual([
        "-from django.urls import path",
        "+from django.urls import include, path",
        '+    path("products/", include("catalog.urls")),',
      ]);
      const status = await git("status", "--porcelain");
      expect(status.stdout).withContext("everything committed").toBe("");
      expect((await git("log", "--format=%s", "-1")).stdout.trim()).toBe("Catalog: a product list page");

      const page = required(step("python manage.py runserver").page, "runserver served nothing");
      expect(page.status).toBe(200);
      expect(page.body).toContain("<h1>Products</h1>");
      expect(page.body).toContain("No products yet.");
      expect(page.body)
        .withContext("the UI shell's header")
        .toMatch(/<header\b/);
      expect(page.body).toContain('aria-current="page">Products</a>');
    },
    15 * 60_000,
  );
});
