import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { freshDirsPerSpec, sha256, snapshot } from "./support/files";
import { BIN, describeRun, expectSuccess, REPO_ROOT, run, RunResult } from "./support/process";

const TIMEOUT_MS = 60_000;
const BUNDLE = join(REPO_ROOT, "dist", "quickscale.cjs");
/** A line of `quickscale --help`, and the same number of characters an attacker prints instead. */
const GENUINE = "Roll back a QuickScale run that was interrupted in the project here";
const PLANTED = "PLANTED CODE RAN: a cache file for another source was trusted here!";

/**
 * Runs a bin with exactly `env` (plus PATH): no HOME or XDG_CACHE_HOME unless given, so
 * each spec says where the cache may go.
 */
function runWith(
  bin: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<RunResult> {
  return run(process.execPath, [bin, ...args], {
    cwd,
    // NODE_V8_COVERAGE empty: under a coverage run, Node hands the variable down to every
    // child that does not set it, and the bin then runs without its cache.
    env: { PATH: process.env["PATH"], LANG: "C.UTF-8", NO_COLOR: "1", NODE_V8_COVERAGE: "", ...env },
    timeoutMs: TIMEOUT_MS,
  });
}

/**
 * The files of a cache folder, by name, with a hash of their bytes (jasmine compares large
 * buffers byte by byte, slowly).
 */
function cacheFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      files.set(name, sha256(readFileSync(join(dir, name))));
    }
  }
  return files;
}

/**
 * QuickScale's bin keeps V8's code cache of its bundle in the user's cache folder. V8 checks
 * a cache against the source's length only: the bin must check that the cache was made from
 * this very source, keep it only where the user's cache folder really is, and run without it
 * when that folder is unusable.
 */
describe("the bin's code cache", () => {
  const freshDir = freshDirsPerSpec();

  /** A copy of the package whose bundle prints PLANTED instead of GENUINE: same length, other code. */
  function modifiedPackage(): string {
    const root = freshDir("modified-package");
    mkdirSync(join(root, "bin"));
    mkdirSync(join(root, "dist"));
    copyFileSync(BIN, join(root, "bin", "quickscale.js"));
    copyFileSync(join(REPO_ROOT, "package.json"), join(root, "package.json"));
    // `--help` lists the modules collection.json declares, with their schemas' options.
    copyFileSync(join(REPO_ROOT, "collection.json"), join(root, "collection.json"));
    for (const schematic of readdirSync(join(REPO_ROOT, "schematics"))) {
      const schema = join(REPO_ROOT, "schematics", schematic, "schema.json");
      if (existsSync(schema)) {
        mkdirSync(join(root, "schematics", schematic), { recursive: true });
        copyFileSync(schema, join(root, "schematics", schematic, "schema.json"));
      }
    }
    const source = readFileSync(BUNDLE, "utf8");
    expect(source).toContain(GENUINE);
    expect(PLANTED.length).toBe(GENUINE.length);
    writeFileSync(join(root, "dist", "quickscale.cjs"), source.replace(GENUINE, PLANTED));
    return join(root, "bin", "quickscale.js");
  }

  it(
    "is used again by the next run of the same bundle",
    async () => {
      const cacheHome = freshDir("cache-home");
      const cwd = freshDir("cwd");
      expectSuccess(await runWith(BIN, ["--help"], cwd, { XDG_CACHE_HOME: cacheHome }));
      const made = cacheFiles(join(cacheHome, "quickscale"));
      expect(made.size).withContext("cache files after the first run").toBe(1);
      const [name = ""] = made.keys();
      const inode = statSync(join(cacheHome, "quickscale", name)).ino;

      const again = await runWith(BIN, ["--help"], cwd, { XDG_CACHE_HOME: cacheHome });
      expectSuccess(again);
      expect(again.stdout).toContain(GENUINE);
      // Rewritten only when missing or refused: the same file is a cache that was accepted.
      expect(statSync(join(cacheHome, "quickscale", name)).ino).toBe(inode);
      expect(cacheFiles(join(cacheHome, "quickscale"))).toEqual(made);
    },
    TIMEOUT_MS,
  );

  it(
    "made from another source of the same length and planted under the expected name is never used",
    async () => {
      const cacheHome = freshDir("cache-home");
      const cacheDir = join(cacheHome, "quickscale");
      const cwd = freshDir("cwd");
      expectSuccess(await runWith(BIN, ["--help"], cwd, { XDG_CACHE_HOME: cacheHome }));
      const genuine = cacheFiles(cacheDir);
      expect(genuine.size).toBe(1);
      const [expectedName = ""] = genuine.keys();

      // The modified bundle's own run writes the cache of its source, by the bin's own rules.
      const attacker = await runWith(modifiedPackage(), ["--help"], cwd, { XDG_CACHE_HOME: cacheHome });
      expectSuccess(attacker);
      expect(attacker.stdout).toContain(PLANTED);
      const plantedName = [...cacheFiles(cacheDir).keys()].find((name) => name !== expectedName);
      expect(plantedName).withContext("the modified bundle's cache file").toBeDefined();
      const planted = readFileSync(join(cacheDir, plantedName ?? expectedName));
      writeFileSync(join(cacheDir, expectedName), planted);

      const victim = await runWith(BIN, ["--help"], cwd, { XDG_CACHE_HOME: cacheHome });
      expectSuccess(victim);
      expect(victim.stdout).withContext(describeRun(victim)).not.toContain(PLANTED);
      expect(victim.stdout).toContain(GENUINE);
      expect(sha256(readFileSync(join(cacheDir, expectedName))))
        .withContext("the refused cache file is replaced by a good one")
        .not.toBe(sha256(planted));

      const next = await runWith(BIN, ["--help"], cwd, { XDG_CACHE_HOME: cacheHome });
      expect(next.stdout).toContain(GENUINE);
    },
    TIMEOUT_MS,
  );

  it(
    "that was damaged or cut short is refused and replaced",
    async () => {
      const cacheHome = freshDir("cache-home");
      const cwd = freshDir("cwd");
      expectSuccess(await runWith(BIN, ["--help"], cwd, { XDG_CACHE_HOME: cacheHome }));
      const [name = ""] = cacheFiles(join(cacheHome, "quickscale")).keys();
      const path = join(cacheHome, "quickscale", name);
      const content = readFileSync(path);
      const damaged = Buffer.from(content);
      damaged.writeUInt8(damaged.readUInt8(damaged.length - 100) ^ 0xff, damaged.length - 100);
      for (const spoiled of [damaged, content.subarray(0, 40), Buffer.alloc(0)]) {
        writeFileSync(path, spoiled);
        const result = await runWith(BIN, ["--help"], cwd, { XDG_CACHE_HOME: cacheHome });
        expectSuccess(result);
        expect(result.stdout).toContain(GENUINE);
        const replaced = sha256(readFileSync(path));
        expect(replaced).withContext(`${spoiled.length} bytes, replaced`).not.toBe(sha256(spoiled));
        // The replacement is accepted: the next run leaves it as it is.
        expectSuccess(await runWith(BIN, ["--help"], cwd, { XDG_CACHE_HOME: cacheHome }));
        expect(sha256(readFileSync(path)))
          .withContext(`${spoiled.length} bytes, accepted`)
          .toBe(replaced);
      }
    },
    TIMEOUT_MS,
  );

  it(
    "keeps the newest caches only: older bundles' files and abandoned partial writes are removed",
    async () => {
      const cacheHome = freshDir("cache-home");
      const cacheDir = join(cacheHome, "quickscale");
      const cwd = freshDir("cwd");
      expectSuccess(await runWith(BIN, ["--help"], cwd, { XDG_CACHE_HOME: cacheHome }));
      const [current = ""] = cacheFiles(cacheDir).keys();
      const day = 24 * 60 * 60;
      const now = Date.now() / 1000;
      /** Files other releases (or builds) left, each `age` seconds old. */
      const plant = (name: string, age: number): void => {
        writeFileSync(join(cacheDir, name), "old cache\n", { mode: 0o600 });
        utimesSync(join(cacheDir, name), now - age, now - age);
      };
      const releases = ["1", "2", "3", "4", "5"].map((digit) => `bundle-${digit.repeat(32)}.v8`);
      releases.forEach((name, index) => {
        plant(name, (index + 1) * day);
      });
      // Named as releases before 0.2.0 named theirs.
      plant(`bundle-${"8".repeat(16)}.v8`, 9 * day);
      plant(`bundle-${"6".repeat(32)}.v8.4242.tmp`, 2 * day);
      plant(`bundle-${"7".repeat(32)}.v8.4243.tmp`, 10);
      plant("notes.txt", 30 * day);
      // Only a run that writes a cache prunes: a run that reads one touches nothing.
      expectSuccess(await runWith(BIN, ["--help"], cwd, { XDG_CACHE_HOME: cacheHome }));
      expect(cacheFiles(cacheDir).size).withContext("a run that used its cache").toBe(10);

      writeFileSync(join(cacheDir, current), "");
      expectSuccess(await runWith(BIN, ["--help"], cwd, { XDG_CACHE_HOME: cacheHome }));
      expect([...cacheFiles(cacheDir).keys()].sort()).toEqual(
        [
          current,
          ...releases.slice(0, 3),
          // Another run may still be writing a fresh one.
          `bundle-${"7".repeat(32)}.v8.4243.tmp`,
          // Not ours to remove.
          "notes.txt",
        ].sort(),
      );
    },
    TIMEOUT_MS,
  );

  it(
    "in a cache folder others may write to is neither read nor written",
    async () => {
      const cacheHome = freshDir("cache-home");
      const cacheDir = join(cacheHome, "quickscale");
      const cwd = freshDir("cwd");
      // The planted file is the modified bundle's, kept under its own name, in a folder anyone may write.
      expectSuccess(await runWith(modifiedPackage(), ["--help"], cwd, { XDG_CACHE_HOME: cacheHome }));
      const planted = cacheFiles(cacheDir);
      expect(planted.size).toBe(1);
      chmodSync(cacheDir, 0o777);
      expectSuccess(await runWith(BIN, ["--help"], cwd, { XDG_CACHE_HOME: cacheHome }));
      expect(cacheFiles(cacheDir)).withContext("the shared folder after the run").toEqual(planted);
    },
    TIMEOUT_MS,
  );

  describe("lives only where the user's cache folder is", () => {
    it(
      "creates nothing when HOME does not exist (HOME=<missing>/x, no XDG_CACHE_HOME)",
      async () => {
        const root = freshDir("no-home");
        const result = await runWith(BIN, ["--version"], root, { HOME: join(root, "nonexistent", "x") });
        expectSuccess(result);
        expect(result.stderr).toBe("");
        expect(readdirSync(root)).toEqual([]);
      },
      TIMEOUT_MS,
    );

    it(
      "uses HOME/.cache when XDG_CACHE_HOME is relative, and writes nothing in the current folder",
      async () => {
        const home = freshDir("home");
        const cwd = freshDir("cwd");
        expectSuccess(
          await runWith(BIN, ["--version"], cwd, { HOME: home, XDG_CACHE_HOME: "relative-cache" }),
        );
        expect(readdirSync(cwd)).toEqual([]);
        expect(cacheFiles(join(home, ".cache", "quickscale")).size).toBe(1);
      },
      TIMEOUT_MS,
    );

    it(
      "uses HOME/.cache when XDG_CACHE_HOME does not exist, and does not create it",
      async () => {
        const home = freshDir("home");
        const root = freshDir("root");
        const result = await runWith(BIN, ["--version"], root, {
          HOME: home,
          XDG_CACHE_HOME: join(root, "missing", "cache"),
        });
        expectSuccess(result);
        expect(readdirSync(root)).toEqual([]);
        expect(cacheFiles(join(home, ".cache", "quickscale")).size).toBe(1);
      },
      TIMEOUT_MS,
    );

    it(
      "creates nothing in a HOME that belongs to another user (sudo keeping HOME)",
      async () => {
        const home = freshDir("other-home");
        chownSync(home, 65534, 65534);
        const result = await runWith(BIN, ["--version"], home, { HOME: home });
        expectSuccess(result);
        expect(readdirSync(home)).toEqual([]);
      },
      TIMEOUT_MS,
    );

    it(
      "uses an existing XDG_CACHE_HOME, and leaves HOME alone",
      async () => {
        const home = freshDir("home");
        const cacheHome = freshDir("cache-home");
        expectSuccess(await runWith(BIN, ["--version"], home, { HOME: home, XDG_CACHE_HOME: cacheHome }));
        expect(readdirSync(home)).toEqual([]);
        expect(cacheFiles(join(cacheHome, "quickscale")).size).toBe(1);
      },
      TIMEOUT_MS,
    );
  });

  describe("is ignored, never fatal, when the cache folder is unusable", () => {
    for (const [label, spoil] of [
      [
        "quickscale is a file there",
        (cacheHome: string) => {
          writeFileSync(join(cacheHome, "quickscale"), "mine\n");
        },
      ],
      [
        "HOME/.cache is a file",
        (cacheHome: string) => {
          writeFileSync(join(cacheHome, ".cache"), "mine\n");
        },
      ],
    ] as const) {
      it(
        `(${label})`,
        async () => {
          const cacheHome = freshDir("cache-home");
          spoil(cacheHome);
          const before = snapshot(cacheHome);
          const env = label.startsWith("HOME") ? { HOME: cacheHome } : { XDG_CACHE_HOME: cacheHome };
          for (const args of [["--version"], ["--help"]]) {
            const result = await runWith(BIN, args, freshDir("cwd"), env);
            expectSuccess(result);
            expect(result.stderr).toBe("");
          }
          expect(snapshot(cacheHome)).toEqual(before);
        },
        TIMEOUT_MS,
      );
    }
  });
});
