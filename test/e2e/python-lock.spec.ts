import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { removeDir, tempDir } from "./support/files";
import { networkEnv } from "./support/network-env";
import { baseEnv, describeRun, expectSuccess, GIT_IDENTITY, run, runBin, RunResult } from "./support/process";
import { CACHE_DIR, PythonEnv } from "./support/python-env";
import { ensureToolsEnv, TOOL_REQUIREMENTS } from "./support/tools-env";
import { lockedPackages } from "./support/uv-lock";

/** Building the cached tools venv on a first run (pip downloads uv, Poetry, …). */
const TOOLS_TIMEOUT_MS = 20 * 60_000;
/** One uv or bin command; `uv lock` and `uv sync` download from PyPI with a cold cache. */
const COMMAND_TIMEOUT_MS = 5 * 60_000;
const SPEC_TIMEOUT_MS = 4 * COMMAND_TIMEOUT_MS;

/**
 * The lock every generated project ships with (uv.lock, rendered offline by init from the
 * lock QuickScale keeps for its templates' pyproject.toml) and how it follows the modules.
 */
describe("the generated project's uv.lock", () => {
  let tools: PythonEnv | undefined;
  let root = "";
  let emptyCaches = 0;

  beforeAll(async () => {
    tools = await ensureToolsEnv();
    root = tempDir("python-lock");
  }, TOOLS_TIMEOUT_MS);

  afterAll(() => {
    removeDir(root);
  });

  const uvPath = (): string => {
    if (tools === undefined) {
      throw new Error("The tools venv was not built (see the beforeAll failure).");
    }
    return tools.bin("uv");
  };
  /** PATH without any uv on it, then with the tools venv's uv first. */
  const pathWithoutUv = (): string =>
    (process.env["PATH"] ?? "/usr/bin:/bin")
      .split(delimiter)
      .filter((dir) => dir !== "" && !existsSync(join(dir, "uv")))
      .join(delimiter);
  const pathWithUv = (): string => `${dirname(uvPath())}${delimiter}${pathWithoutUv()}`;

  const git = (args: readonly string[], cwd: string): Promise<RunResult> =>
    run("git", args, { cwd, env: baseEnv(GIT_IDENTITY), timeoutMs: COMMAND_TIMEOUT_MS });
  /** uv in `cwd`; `offline`: no network and a fresh, empty cache, so nothing but the files counts. */
  const uv = (args: readonly string[], cwd: string, offline = false): Promise<RunResult> => {
    const cache = offline ? join(root, `empty-uv-cache-${String(++emptyCaches)}`) : join(CACHE_DIR, "uv");
    mkdirSync(cache, { recursive: true });
    return run(uvPath(), [...args, ...(offline ? ["--offline"] : [])], {
      cwd,
      env: baseEnv({ ...networkEnv(), UV_CACHE_DIR: cache, UV_PYTHON_DOWNLOADS: "never" }),
      timeoutMs: COMMAND_TIMEOUT_MS,
    });
  };
  const bin = (args: readonly string[], cwd: string, withUv: boolean): Promise<RunResult> =>
    runBin(args, cwd, {
      ...GIT_IDENTITY,
      ...networkEnv(),
      UV_CACHE_DIR: join(CACHE_DIR, "uv"),
      PATH: withUv ? pathWithUv() : pathWithoutUv(),
    });
  /** `quickscale init name` (with its first commit) in a folder of its own, without uv on PATH. */
  const init = async (name: string): Promise<string> => {
    const parent = join(root, name);
    mkdirSync(parent, { recursive: true });
    expectSuccess(await bin(["init", name], parent, false));
    return join(parent, name);
  };
  const expectCurrent = async (dir: string, when: string): Promise<void> => {
    const check = await uv(["lock", "--check"], dir, true);
    expect(check.code)
      .withContext(`uv lock --check ${when}:\n${describeRun(check)}`)
      .toBe(0);
  };
  const status = async (dir: string): Promise<string> => {
    const result = await git(["status", "--porcelain"], dir);
    expectSuccess(result);
    return result.stdout;
  };

  it(
    "is written by init without uv, tracked by the first commit, and pins every package to one version with its hashes",
    async () => {
      const dir = await init("shop_api");
      expectSuccess(await git(["ls-files", "--error-unmatch", "uv.lock"], dir));
      expect(await status(dir)).toBe("");
      const packages = lockedPackages(readFileSync(join(dir, "uv.lock"), "utf8"));
      const names = packages.map((item) => item.name);
      expect(names)
        .withContext("sorted by name, as uv writes them")
        .toEqual([...names].sort());
      expect(new Set(names).size).toBe(names.length);
      const project = packages.filter((item) => item.source["editable"] === ".");
      expect(project.map((item) => item.name)).toEqual(["shop-api"]);
      const dependencies = packages.filter((item) => item.source["editable"] !== ".");
      expect(dependencies.length).toBeGreaterThan(20);
      for (const item of dependencies) {
        expect(item.source["registry"]).withContext(item.name).toBe("https://pypi.org/simple");
        expect(item.version)
          .withContext(item.name)
          .toMatch(/^\d+(\.\d+)*\S*$/);
        expect(item.hashes.length).withContext(`${item.name}: its files' hashes`).toBeGreaterThan(0);
        for (const hash of item.hashes) {
          expect(hash)
            .withContext(item.name)
            .toMatch(/^sha256:[0-9a-f]{64}$/);
        }
      }
    },
    SPEC_TIMEOUT_MS,
  );

  it("is installed by the image and CI with uv itself at one release, checked against its wheels' hashes", async () => {
    const dir = await init("installer");
    /** The uv requirement a file writes for pip's hash-checking mode: `uv==X --hash=… …`. */
    const pin = (file: string): string => {
      const text = readFileSync(join(dir, file), "utf8");
      const versions = new Set([...text.matchAll(/"(uv==[^ "]+) \\\\"/g)].map((match) => match[1] ?? ""));
      const hashes = new Set([...text.matchAll(/--hash=sha256:[0-9a-f]{64}/g)].map((match) => match[0]));
      expect(versions.size).withContext(`${file}: one uv release`).toBe(1);
      expect(hashes.size).withContext(`${file}: its Linux wheels' hashes`).toBeGreaterThanOrEqual(2);
      expect(text)
        .withContext(file)
        .toMatch(/pip install (--no-cache-dir )?--require-hashes --requirement /);
      return [...versions, ...[...hashes].sort()].join(" ");
    };
    const docker = pin("Dockerfile");
    expect(pin(".github/workflows/ci.yml")).withContext("the same uv in CI as in the image").toBe(docker);
    expect(TOOL_REQUIREMENTS)
      .withContext("the uv the specs run the README, CI and Dockerfile with")
      .toContain(docker.split(" ")[0] ?? "");
  });

  it(
    "matches the templates' pyproject.toml as uv reads it, offline, and uv lock leaves it byte for byte",
    async () => {
      // A lock that drifted from the templates (a range changed without npm run lock:python)
      // fails here; so does a rendering uv would rewrite.
      const dir = await init("drift");
      await expectCurrent(dir, "after init");
      const before = readFileSync(join(dir, "uv.lock"), "utf8");
      expectSuccess(await uv(["lock"], dir, true));
      expect(readFileSync(join(dir, "uv.lock"), "utf8") === before)
        .withContext("uv lock rewrote the rendered lock")
        .toBeTrue();
    },
    SPEC_TIMEOUT_MS,
  );

  it(
    "follows each module: up to date after add docker, ci, quality, auth, auth --mfa and billing with uv on PATH",
    async () => {
      const dir = await init("modules");
      for (const args of [["docker"], ["ci"], ["quality"], ["auth"], ["auth", "--mfa"], ["billing"]]) {
        const result = await bin(["add", ...args], dir, true);
        expectSuccess(result);
        const when = `after add ${args.join(" ")}`;
        await expectCurrent(dir, when);
        if (args[0] === "auth" || args[0] === "billing") {
          expect(result.stdout).withContext(when).toContain("Updated uv.lock");
        }
        expectSuccess(await git(["add", "-A"], dir));
        expectSuccess(await git(["commit", "--allow-empty", "-qm", when], dir));
      }
      const names = lockedPackages(readFileSync(join(dir, "uv.lock"), "utf8")).map((item) => item.name);
      expect(names).toContain("django-allauth");
      expect(names).withContext("the mfa extra's dependencies").toContain("fido2");
      expect(names).withContext("billing's dependency").toContain("stripe");
    },
    SPEC_TIMEOUT_MS,
  );

  it(
    "without uv on PATH, add auth leaves uv.lock as it was and names the one command to run",
    async () => {
      const dir = await init("nouv");
      const before = readFileSync(join(dir, "uv.lock"), "utf8");
      const result = await bin(["add", "auth"], dir, false);
      expectSuccess(result);
      expect(result.stdout).toContain('run "uv lock" and commit it');
      expect(readFileSync(join(dir, "uv.lock"), "utf8") === before).toBeTrue();
      const check = await uv(["lock", "--check"], dir, true);
      expect(check.code).withContext("the lock is stale until uv lock runs").not.toBe(0);
      expectSuccess(await uv(["lock"], dir));
      await expectCurrent(dir, "after the command it names");
    },
    SPEC_TIMEOUT_MS,
  );

  it(
    "uv sync leaves the tree clean, so add auth runs without --allow-dirty",
    async () => {
      const dir = await init("synced");
      expectSuccess(await uv(["sync"], dir));
      expect(await status(dir))
        .withContext("git status after uv sync")
        .toBe("");
      const added = await bin(["add", "auth"], dir, true);
      expectSuccess(added);
      expect(added.stdout).toContain("Added auth");
    },
    SPEC_TIMEOUT_MS,
  );
});
