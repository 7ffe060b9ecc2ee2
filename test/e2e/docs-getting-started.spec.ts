import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { removeDir } from "./support/files";
import { guideVenv, runGuideAsWritten } from "./support/guide-runner";
import { expectOneLineError, expectSuccess, REPO_ROOT, required, run } from "./support/process";
import type { PythonEnv } from "./support/python-env";

/** Creating the cached venv on a first run (pip downloads). */
const SETUP_TIMEOUT_MS = 20 * 60_000;
const COMMAND_TIMEOUT_MS = 3 * 60_000;

describe("docs/getting-started.md, run as written", () => {
  let root = "";
  let venv: PythonEnv | undefined;

  beforeAll(async () => {
    venv = await guideVenv("h-guides-start-venv");
  }, SETUP_TIMEOUT_MS);

  afterAll(() => {
    removeDir(root);
  });

  it(
    "makes, runs, serves, tests and lints a project with the guide's commands",
    async () => {
      const guide = await runGuideAsWritten("getting-started.md", "h-guides-start", venv, COMMAND_TIMEOUT_MS);
      root = guide.root;
      const { work, env, step } = guide;

      const version = (
        JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
      ).version;
      expect(step("quickscale --version").result.stdout.trim()).toBe(version);
      expect(step("git log").result.stdout.trim().split("\n").length).withContext("one first commit").toBe(1);
      // The bad name: refused in one line, nothing written.
      expectOneLineError(step("quickscale init My-App").result, { message: /my_app/ });
      expect(existsSync(join(work, "My-App"))).toBeFalse();

      const project = join(work, "myapp");
      expect(existsSync(join(project, "db.sqlite3")))
        .withContext("migrate made the local database")
        .toBeTrue();
      const admins = await run(
        "python",
        [
          "manage.py",
          "shell",
          "-c",
          "from django.contrib.auth import get_user_model; print(get_user_model().objects.filter(email='admin@example.com', is_superuser=True).count())",
        ],
        { cwd: project, env, timeoutMs: COMMAND_TIMEOUT_MS },
      );
      expectSuccess(admins);
      // Django 5.2's shell first says what it imported; the count is the last line.
      expect(admins.stdout.trim().split("\n").pop()).toBe("1");

      const page = required(step("python manage.py runserver").page, "runserver served nothing");
      expect(page.status).toBe(200);
      expect(page.body).toContain("Welcome to myapp");
      expect(step("pytest --cov").result.stdout).toMatch(/Required test coverage of [\d.]+% reached/);
    },
    15 * 60_000,
  );
});
