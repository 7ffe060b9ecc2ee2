import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { removeDir } from "./support/files";
import { guideVenv, runGuideAsWritten } from "./support/guide-runner";
import { expectOneLineError } from "./support/process";
import type { PythonEnv } from "./support/python-env";

/** Creating the cached venv on a first run (pip downloads allauth and its MFA extras). */
const SETUP_TIMEOUT_MS = 20 * 60_000;
const COMMAND_TIMEOUT_MS = 5 * 60_000;

describe("docs/adding-modules.md, run as written", () => {
  let root = "";
  let venv: PythonEnv | undefined;

  beforeAll(async () => {
    // The dependencies of a project with auth and MFA: those the guide's reader installs.
    venv = await guideVenv("h-guides-modules-venv", [["--mfa"]]);
  }, SETUP_TIMEOUT_MS);

  afterAll(() => {
    removeDir(root);
  });

  it(
    "previews, is refused, adds auth then MFA, and a second run changes nothing",
    async () => {
      const guide = await runGuideAsWritten(
        "adding-modules.md",
        "h-guides-modules",
        venv,
        COMMAND_TIMEOUT_MS,
      );
      root = guide.root;
      const { work, step, all } = guide;
      const project = join(work, "shop");

      const preview = step("quickscale add auth --dry-run").result.stdout;
      expect(preview).toMatch(/^UPDATE shop\/settings\/base\.py$/m);
      expect(preview).toMatch(/^\+.*allauth/m);
      // The tree after the dry run: git status printed nothing.
      expect(step("git status --porcelain").result.stdout).toBe("");

      expectOneLineError(step("quickscale add auth   # exits 1").result, { message: /uncommitted changes/ });
      expectOneLineError(step("quickscale add accounts").result, {
        code: 2,
        message: /Unknown module "accounts"/,
      });
      expectOneLineError(step("quickscale add docker --mfa").result, {
        code: 2,
        message: /belongs to "quickscale add auth"/,
      });
      const refresh = step("quickscale add docker   #").result;
      expect(refresh.stderr).toMatch(/changed since: Dockerfile/);
      expect(refresh.stdout + refresh.stderr).toContain("-# Our own note at the end of the Dockerfile.");
      expect(readFileSync(join(project, "Dockerfile"), "utf8")).toContain(
        "# Our own note at the end of the Dockerfile.",
      );

      // auth, then MFA, kept the owner's notes; the project's suite passes with both.
      const settings = readFileSync(join(project, "shop", "settings", "base.py"), "utf8");
      expect(settings).toContain('"allauth.mfa"');
      expect(readFileSync(join(project, "README.md"), "utf8")).toContain("Our own notes.");
      expect(existsSync(join(project, "db.sqlite3"))).toBeTrue();
      expect(step("pytest --cov").result.stdout).toMatch(/Required test coverage of [\d.]+% reached/);
      // The second `add auth --mfa` changed nothing: the last git status printed nothing.
      const statuses = all("git status --porcelain");
      expect(statuses.length).toBe(2);
      expect(statuses[1]?.result.stdout).toBe("");
      expect(step("quickscale recover").result.stdout).toContain("Nothing to recover");
    },
    20 * 60_000,
  );
});
