import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { removeDir, tempDir } from "./support/files";
import { guideCommands, guideEnv, guideVenv, runGuide } from "./support/guide-runner";
import { describeRun, expectSuccess, REPO_ROOT, required, run } from "./support/process";
import type { PythonEnv } from "./support/python-env";

const GUIDE = readFileSync(join(REPO_ROOT, "docs", "code-sharing.md"), "utf8");
/** Creating the cached venv on a first run (pip downloads). */
const SETUP_TIMEOUT_MS = 20 * 60_000;
const COMMAND_TIMEOUT_MS = 2 * 60_000;
const TAG = join("agency", "brand", "templatetags", "agency_brand.py");

describe("docs/code-sharing.md, run against local repositories", () => {
  let root = "";
  let venv: PythonEnv | undefined;

  beforeAll(async () => {
    // The clients' virtualenv: the dependencies every project made by this checkout declares.
    venv = await guideVenv("h-guides-sharing-venv");
  }, SETUP_TIMEOUT_MS);

  afterAll(() => {
    removeDir(root);
  });

  it(
    "shares an app between two clients: added to both, improved in one, pushed, pulled into the other",
    async () => {
      root = tempDir("h-guides-sharing");
      const work = join(root, "work");
      mkdirSync(work);
      const env = guideEnv(
        root,
        required(venv, "The clients' virtualenv was not made (see the beforeAll failure)."),
      );
      const commands = guideCommands(GUIDE);
      const texts = commands.map((command) => command.text);
      for (const step of [
        "git subtree add",
        "git subtree push",
        "git subtree pull",
        "quickscale update --check",
      ]) {
        expect(texts.some((text) => text.startsWith(step)))
          .withContext(`the guide runs ${step}`)
          .toBeTrue();
      }

      await runGuide(commands, { cwd: work, env, timeoutMs: COMMAND_TIMEOUT_MS });

      const git = (cwd: string, ...args: string[]) =>
        run("git", args, { cwd, env, timeoutMs: COMMAND_TIMEOUT_MS });
      // The improvement made in client A reached the toolkit's main branch…
      const inToolkit = await git(
        join(work, "agency-toolkit.git"),
        "show",
        "main:brand/templatetags/agency_brand.py",
      );
      expectSuccess(inToolkit);
      expect(inToolkit.stdout).toContain('def agency_credit(client=""):');
      // …and client B, whose copy is now the toolkit's, byte for byte.
      for (const client of ["client_a", "client_b"]) {
        const dir = join(work, client);
        expect(readFileSync(join(dir, TAG), "utf8"))
          .withContext(client)
          .toBe(inToolkit.stdout);
        expect(readFileSync(join(dir, client, "settings", "base.py"), "utf8")).toContain(
          'INSTALLED_APPS += ["agency.brand"]',
        );
        const status = await git(dir, "status", "--porcelain");
        expect(status.stdout).withContext(`${client}: everything committed`).toBe("");
        // The toolkit is the owner's, never QuickScale's: update and add leave it alone.
        const manifest = JSON.parse(readFileSync(join(dir, ".quickscale.json"), "utf8")) as {
          files: Record<string, string>;
        };
        expect(Object.keys(manifest.files).filter((path) => path.startsWith("agency/"))).toEqual([]);
      }
      const log = await git(join(work, "client_b"), "log", "--format=%s", "-1");
      expect(log.stdout.trim()).toBe("Update the agency toolkit");

      // Client B's whole suite, the toolkit's new test among its own, and its linters.
      const clientB = join(work, "client_b");
      const suite = await run("pytest", [], { cwd: clientB, env, timeoutMs: 5 * 60_000 });
      expectSuccess(suite);
      expect(suite.stdout).toContain("agency/brand/tests.py ..");
      for (const args of [
        ["check", "."],
        ["format", "--check", "."],
      ]) {
        const ruff = await run("ruff", args, { cwd: clientB, env, timeoutMs: COMMAND_TIMEOUT_MS });
        expect(ruff.code).withContext(describeRun(ruff)).toBe(0);
      }
    },
    20 * 60_000,
  );
});
