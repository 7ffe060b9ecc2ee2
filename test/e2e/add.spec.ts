import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { removeDir, sha256, snapshot, tempDir } from "./support/files";
import { baseEnv, describeRun, expectSuccess, GIT_IDENTITY, run, runBin, RunResult } from "./support/process";

const TIMEOUT_MS = 60_000;

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

/**
 * `quickscale add <module>` on a project the user has (or has not) changed: it restores
 * what is missing, does nothing twice, guards the user's edits and uncommitted work, and
 * commits through a journal that a failure or a SIGKILL cannot leave half-applied.
 */
describe("quickscale add", () => {
  let dirs: string[] = [];
  let project = "";

  const git = (...args: string[]): Promise<RunResult> =>
    run("git", args, { cwd: project, env: baseEnv(GIT_IDENTITY), timeoutMs: TIMEOUT_MS });
  const add = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> =>
    runBin(["add", ...args], project, { ...GIT_IDENTITY, ...env });
  /** The project with git's own folder left out: git's index changes with every status. */
  const state = (): string[] =>
    snapshot(project).filter((line) => !line.startsWith(".git/") && line !== ".git");
  const commitAll = async (message: string): Promise<void> => {
    expectSuccess(await git("add", "-A"));
    expectSuccess(await git("commit", "-qm", message));
  };

  beforeEach(async () => {
    const dir = tempDir("add");
    dirs.push(dir);
    expectSuccess(await runBin(["init", "shop"], dir, GIT_IDENTITY));
    project = join(dir, "shop");
  }, TIMEOUT_MS);

  afterEach(() => {
    dirs.forEach(removeDir);
    dirs = [];
  });

  it(
    "restores a deleted file exactly, and has nothing to do the second time",
    async () => {
      const original = readFileSync(join(project, ".editorconfig"));
      rmSync(join(project, ".editorconfig"));
      await commitAll("Remove .editorconfig");

      const dry = await add(["quality", "--dry-run"]);
      expectSuccess(dry);
      expect(dry.stdout).toContain("CREATE .editorconfig");
      expect(existsSync(join(project, ".editorconfig"))).toBeFalse();

      const result = await add(["quality"]);
      expectSuccess(result);
      expect(result.stdout).toContain("CREATE .editorconfig");
      expect(readFileSync(join(project, ".editorconfig"))).toEqual(original);
      // Nothing to install, migrate or test: review and commit only.
      expect(result.stdout).toMatch(
        /\n\nNext steps:\n {2}git status && git diff +# review the changes, then commit them\n$/,
      );
      const status = await git("status", "--porcelain");
      // The restored file is new to git; the manifest already recorded its hash.
      expect(status.stdout).toBe("?? .editorconfig\n");

      const again = await add(["quality", "--allow-dirty"]);
      expectSuccess(again);
      expect(again.stdout).toBe("Nothing to do: quality is up to date.\n");
    },
    TIMEOUT_MS,
  );

  it(
    "prints the next steps that apply to what it changed: install, migrate, test, review",
    async () => {
      const result = await add(["auth"]);
      expectSuccess(result);
      const steps = result.stdout.slice(result.stdout.indexOf("\nNext steps:\n") + 1);
      expect(lines(steps).map((line) => line.replace(/ +#.*$/, ""))).toEqual([
        "Next steps:",
        "  uv sync",
        "  uv run python manage.py migrate",
        "  uv run pytest --cov",
        "  git status && git diff",
      ]);
      // A dry run writes nothing, so it has no next steps.
      await commitAll("Add auth");
      rmSync(join(project, ".editorconfig"));
      await commitAll("Remove .editorconfig");
      const dry = await add(["quality", "--dry-run"]);
      expect(dry.stdout).not.toContain("Next steps:");
    },
    TIMEOUT_MS,
  );

  it(
    "updates a file QuickScale wrote and the user did not change, showing the diff in a dry run",
    async () => {
      // As if an older QuickScale had written another .editorconfig: same hash in the manifest.
      const older = "root = true\n";
      writeFileSync(join(project, ".editorconfig"), older);
      const manifestPath = join(project, ".quickscale.json");
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { files: Record<string, string> };
      manifest.files[".editorconfig"] = sha256(older);
      writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
      await commitAll("An older .editorconfig");

      const dry = await add(["quality", "--dry-run"]);
      expectSuccess(dry);
      expect(dry.stdout).toContain("UPDATE .editorconfig");
      expect(dry.stdout).toContain("--- .editorconfig\n+++ .editorconfig\n@@");
      expect(readFileSync(join(project, ".editorconfig"), "utf8")).toBe(older);

      expectSuccess(await add(["quality"]));
      expect(readFileSync(join(project, ".editorconfig"), "utf8")).not.toBe(older);
    },
    TIMEOUT_MS,
  );

  it(
    "stops with the diff on a file the user changed, and replaces it with --overwrite",
    async () => {
      const gitignore = join(project, ".gitignore");
      writeFileSync(gitignore, `${readFileSync(gitignore, "utf8")}notes/\n`);
      await commitAll("Ignore notes");
      const before = state();

      const refused = await add(["quality"]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("+++ .gitignore");
      expect(refused.stderr).toContain("-notes/");
      const last = lines(refused.stderr).pop() ?? "";
      expect(last).toMatch(/^error: A file QuickScale wrote changed since: \.gitignore\. .*--overwrite/);
      expect(state()).toEqual(before);

      expectSuccess(await add(["quality", "--overwrite"]));
      expect(readFileSync(gitignore, "utf8")).not.toContain("notes/");
    },
    TIMEOUT_MS,
  );

  it(
    "refuses uncommitted changes unless --allow-dirty",
    async () => {
      rmSync(join(project, ".editorconfig"));
      const before = state();
      const refused = await add(["quality"]);
      expect(refused.code).toBe(1);
      expect(lines(refused.stderr)).toEqual([jasmine.stringMatching(/uncommitted changes: .*--allow-dirty/)]);
      expect(state()).toEqual(before);
      expectSuccess(await add(["quality", "--allow-dirty"]));
      expect(existsSync(join(project, ".editorconfig"))).toBeTrue();
    },
    TIMEOUT_MS,
  );

  it(
    "checks only the files it would write: work elsewhere stays the user's, and QuickScale's edits undo file by file",
    async () => {
      // The user's pending work, in files auth does not write: tracked, staged and untracked.
      writeFileSync(
        join(project, "manage.py"),
        `${readFileSync(join(project, "manage.py"), "utf8")}# mine\n`,
      );
      writeFileSync(join(project, ".editorconfig"), "root = true\n");
      expectSuccess(await git("add", ".editorconfig"));
      writeFileSync(join(project, "notes.txt"), "my notes\n");
      // A staged change in a file auth does write: refused, named, nothing written.
      const urls = join(project, "shop", "urls.py");
      writeFileSync(urls, `${readFileSync(urls, "utf8")}# mine too\n`);
      expectSuccess(await git("add", "shop/urls.py"));
      const dirty = state();
      const refused = await add(["auth"]);
      expect(refused.code).withContext(describeRun(refused)).toBe(1);
      expect(lines(refused.stderr)).toEqual([
        jasmine.stringMatching(
          /uncommitted changes: shop\/urls\.py, which QuickScale would change.*--allow-dirty/,
        ),
      ]);
      expect(state()).toEqual(dirty);

      expectSuccess(await git("reset", "-q", "--", "shop/urls.py"));
      expectSuccess(await git("checkout", "-q", "--", "shop/urls.py"));
      const before = state();
      const added = await add(["auth"]);
      expectSuccess(added);
      const updated = [...added.stdout.matchAll(/^UPDATE (\S+)$/gm)].map((match) => match[1] ?? "");
      const created = [...added.stdout.matchAll(/^CREATE (\S+) \(/gm)].map((match) => match[1] ?? "");
      expect(updated).toContain("shop/urls.py");
      expect(readFileSync(join(project, "notes.txt"), "utf8")).toBe("my notes\n");
      expect(readFileSync(join(project, "manage.py"), "utf8")).toMatch(/# mine\n$/);
      // uv.lock too where uv was on PATH to relock it.
      const relocked = added.stdout.includes("Updated uv.lock") ? ["uv.lock"] : [];
      expectSuccess(await git("checkout", "-q", "--", ...updated, ...relocked));
      for (const path of created) {
        rmSync(join(project, path));
      }
      // The folders the created files needed, deepest first: empty once those files are gone.
      const newFolders = state().filter((line) => line.endsWith("/") && !before.includes(line));
      for (const folder of newFolders.reverse()) {
        rmdirSync(join(project, folder));
      }
      expect(state()).toEqual(before);
    },
    TIMEOUT_MS,
  );

  it(
    "refuses, with one line and nothing written, outside a project, a corrupt or newer manifest, an unknown concern",
    async () => {
      const expectRefused = async (cwd: string, args: string[], message: RegExp): Promise<void> => {
        const before = snapshot(cwd);
        const result = await runBin(args, cwd, GIT_IDENTITY);
        expect(result.code).withContext(describeRun(result)).not.toBe(0);
        expect(lines(result.stderr).length).withContext(result.stderr).toBe(1);
        expect(result.stderr).toMatch(message);
        expect(snapshot(cwd)).toEqual(before);
      };
      const outside = tempDir("add-outside");
      dirs.push(outside);
      await expectRefused(outside, ["add", "quality"], /Not a QuickScale project/);
      await expectRefused(project, ["add", "blog"], /Unknown module "blog"/);
      await expectRefused(project, ["add"], /Missing module/);

      const manifestPath = join(project, ".quickscale.json");
      const manifest = readFileSync(manifestPath, "utf8");
      writeFileSync(manifestPath, manifest.slice(0, 40));
      await expectRefused(project, ["add", "quality", "--allow-dirty"], /\.quickscale\.json is corrupt/);
      writeFileSync(manifestPath, manifest.replace(/"quickscale": "[^"]+"/, '"quickscale": "99.0.0"'));
      await expectRefused(project, ["add", "quality", "--allow-dirty"], /newer than this QuickScale/);
    },
    TIMEOUT_MS,
  );

  it(
    "leaves the project as it was when a write fails, or after a SIGKILL once the next run recovers",
    async () => {
      rmSync(join(project, ".editorconfig"));
      rmSync(join(project, ".gitignore"));
      await commitAll("Remove two quality files");
      const before = state();

      const failed = await add(["quality"], { QUICKSCALE_TEST_FAULT: "fail-write:1" });
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/Injected write failure/);
      expect(state()).toEqual(before);

      const killed = await add(["quality"], { QUICKSCALE_TEST_FAULT: "kill:1" });
      expect(killed.signal).toBe("SIGKILL");
      expect(readdirSync(project)).toContain(".quickscale-journal");
      expect(state()).not.toEqual(before);

      const recovered = await runBin(["recover"], project);
      expectSuccess(recovered);
      expect(recovered.stdout).toMatch(/Rolled back an interrupted QuickScale run \(\d+ files restored\)/);
      expect(state()).toEqual(before);

      // The next add recovers by itself too, then applies.
      await add(["quality"], { QUICKSCALE_TEST_FAULT: "kill:1" });
      const next = await add(["quality"]);
      expectSuccess(next);
      expect(next.stdout).toContain("Rolled back an interrupted QuickScale run");
      expect(existsSync(join(project, ".editorconfig"))).toBeTrue();
      expect(existsSync(join(project, ".quickscale-journal"))).toBeFalse();
    },
    TIMEOUT_MS,
  );
});
