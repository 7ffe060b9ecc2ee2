import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { listFiles, removeDir, sha256, tempDir } from "./support/files";
import { baseEnv, describeRun, REPO_ROOT, run, RunResult } from "./support/process";

const CLI_VERSION = "21.2.30";
const SETUP_TIMEOUT_MS = 8 * 60_000;
const TIMEOUT_MS = 90_000;
const LOCAL_SETTINGS = "myapp/settings/local.py";
const MANIFEST = ".quickscale.json";

/** `text` without ANSI colour codes (the stock CLI colours its output even when piped). */
function plain(text: string): string {
  return text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "");
}

interface Manifest {
  files: Record<string, string>;
  [key: string]: unknown;
}

/**
 * Two generated projects are the same: the same files with the same content, except the
 * development key in local settings (and so its hash in the manifest), and each manifest
 * records every file written with the hash of what is on disk.
 */
function expectSameProject(stockDir: string, oursDir: string): void {
  const files = listFiles(stockDir);
  expect(files).toEqual(listFiles(oursDir));
  expect(files).toContain(LOCAL_SETTINGS);
  expect(files).toContain(MANIFEST);

  for (const file of files.filter((path) => path !== LOCAL_SETTINGS && path !== MANIFEST)) {
    expect(readFileSync(join(stockDir, file), "utf8"))
      .withContext(file)
      .toBe(readFileSync(join(oursDir, file), "utf8"));
  }

  const stockLines = readFileSync(join(stockDir, LOCAL_SETTINGS), "utf8").split("\n");
  const oursLines = readFileSync(join(oursDir, LOCAL_SETTINGS), "utf8").split("\n");
  expect(stockLines.length).toBe(oursLines.length);
  const differing = stockLines.flatMap((line, index) =>
    line === oursLines[index] ? [] : [[line, oursLines[index]]],
  );
  expect(differing.length).withContext(JSON.stringify(differing)).toBe(1);
  for (const line of differing[0] ?? []) {
    expect(line).toMatch(/^SECRET_KEY = "django-insecure-[^"]{50,}"/);
  }

  const stockManifest = JSON.parse(readFileSync(join(stockDir, MANIFEST), "utf8")) as Manifest;
  const oursManifest = JSON.parse(readFileSync(join(oursDir, MANIFEST), "utf8")) as Manifest;
  for (const [dir, manifest] of [
    [stockDir, stockManifest],
    [oursDir, oursManifest],
  ] as const) {
    expect(Object.keys(manifest.files).sort()).toEqual(files.filter((path) => path !== MANIFEST));
    for (const [path, hash] of Object.entries(manifest.files)) {
      expect(hash)
        .withContext(`${dir}: ${path}`)
        .toBe(sha256(readFileSync(join(dir, path))));
    }
  }
  const withoutKey = (manifest: Manifest): Manifest => ({
    ...manifest,
    files: Object.fromEntries(Object.entries(manifest.files).filter(([path]) => path !== LOCAL_SETTINGS)),
  });
  expect(withoutKey(stockManifest)).toEqual(withoutKey(oursManifest));
}

/**
 * Proof that the published package works under the stock Angular DevKit CLI exactly as
 * under our bin: the packed tarball is installed next to @angular-devkit/schematics-cli
 * in a fresh npm project, as a user would.
 */
describe("the packed package under the stock schematics CLI", () => {
  let root = "";
  let consumer = "";
  let installedBin = "";

  const npmEnv = (): NodeJS.ProcessEnv => baseEnv({ npm_config_update_notifier: "false" });
  const step = async (
    command: string,
    args: string[],
    cwd: string,
    timeoutMs = SETUP_TIMEOUT_MS,
  ): Promise<RunResult> => {
    const result = await run(command, args, { cwd, env: npmEnv(), timeoutMs });
    if (result.code !== 0) {
      throw new Error(`Setup step failed:\n${describeRun(result)}`);
    }
    return result;
  };
  let counter = 0;
  /** A fresh folder inside the consumer project, so `quickscale` resolves from its node_modules. */
  const workDir = (): string => {
    const dir = join(consumer, `work-${++counter}`);
    mkdirSync(dir);
    return dir;
  };
  const schematics = (args: string[], cwd: string): Promise<RunResult> =>
    run("npx", ["--no", "schematics", ...args], { cwd, env: npmEnv(), timeoutMs: TIMEOUT_MS });

  beforeAll(async () => {
    root = tempDir("pack");
    const packDir = join(root, "pack");
    consumer = join(root, "consumer");
    mkdirSync(packDir);
    mkdirSync(consumer);
    const packed = await step("npm", ["pack", "--pack-destination", packDir, "--json"], REPO_ROOT);
    const tarballs = readdirSync(packDir).filter((name) => name.endsWith(".tgz"));
    const [tarball] = tarballs;
    if (tarball === undefined || tarballs.length !== 1) {
      throw new Error(`npm pack made ${tarballs.length} tarballs:\n${describeRun(packed)}`);
    }
    await step("npm", ["init", "-y"], consumer);
    await step(
      "npm",
      [
        "install",
        join(packDir, tarball),
        `@angular-devkit/schematics-cli@${CLI_VERSION}`,
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
      ],
      consumer,
    );
    installedBin = join(consumer, "node_modules", "quickscale", "bin", "quickscale.js");
  }, SETUP_TIMEOUT_MS);

  afterAll(() => {
    removeDir(root);
  });

  it(
    "writes the same project as our bin (only the development key differs)",
    async () => {
      const stockCwd = workDir();
      const stock = await schematics(["quickscale:init", "myapp", "--skip-git"], stockCwd);
      expect(stock.code).withContext(describeRun(stock)).toBe(0);
      expect(stock.stdout).not.toContain("Dry run");
      expect(plain(stock.stdout)).toContain("CREATE myapp/manage.py");
      expect(readdirSync(stockCwd))
        .withContext("a package collection is not a dry run by default")
        .toEqual(["myapp"]);

      const oursCwd = join(root, "ours");
      mkdirSync(oursCwd);
      const ours = await run(process.execPath, [installedBin, "init", "myapp", "--skip-git"], {
        cwd: oursCwd,
        env: baseEnv(),
        timeoutMs: TIMEOUT_MS,
      });
      expect(ours.code).withContext(describeRun(ours)).toBe(0);

      expectSameProject(join(stockCwd, "myapp"), join(oursCwd, "myapp"));
    },
    TIMEOUT_MS * 2,
  );

  it(
    "writes, from the installed tarball, the same project as the clone (npm pack keeps every template)",
    async () => {
      const fromClone = join(root, "from-clone");
      const fromTarball = join(root, "from-tarball");
      for (const [bin, cwd] of [
        [join(REPO_ROOT, "bin", "quickscale.js"), fromClone],
        [installedBin, fromTarball],
      ] as const) {
        mkdirSync(cwd);
        const result = await run(process.execPath, [bin, "init", "myapp", "--skip-git"], {
          cwd,
          env: baseEnv(),
          timeoutMs: TIMEOUT_MS,
        });
        expect(result.code).withContext(describeRun(result)).toBe(0);
      }
      expect(listFiles(join(fromClone, "myapp"))).toContain(".gitignore");
      expectSameProject(join(fromClone, "myapp"), join(fromTarball, "myapp"));
    },
    TIMEOUT_MS * 2,
  );

  it(
    "writes nothing with --dry-run",
    async () => {
      const cwd = workDir();
      const result = await schematics(["quickscale:init", "myapp", "--dry-run"], cwd);
      expect(result.code).withContext(describeRun(result)).toBe(0);
      // The stock CLI colours its output even when it is not a terminal.
      expect(plain(result.stdout)).toContain("CREATE myapp/manage.py");
      expect(readdirSync(cwd)).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    "refuses an invalid name and writes nothing",
    async () => {
      const cwd = workDir();
      const result = await schematics(["quickscale:init", "Bad-Name", "--skip-git"], cwd);
      expect(result.code).withContext(describeRun(result)).not.toBe(0);
      expect(result.timedOut).toBeFalse();
      expect(`${result.stdout}${result.stderr}`).toContain("Bad-Name");
      expect(readdirSync(cwd)).toEqual([]);
      expect(existsSync(join(cwd, "Bad-Name"))).toBeFalse();
    },
    TIMEOUT_MS,
  );

  it(
    "lists init among the public schematics",
    async () => {
      const result = await schematics(["quickscale:", "--list-schematics"], workDir());
      expect(result.code).withContext(describeRun(result)).toBe(0);
      expect(result.stdout.split("\n")).toContain("init");
    },
    TIMEOUT_MS,
  );
});
