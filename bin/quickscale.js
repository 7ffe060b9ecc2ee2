#!/usr/bin/env node
"use strict";
// When this file began, for QUICKSCALE_PROFILE's split of Node's start from loading the bundle.
const binStartedAt = process.uptime() * 1000;
// The quickscale bin: loads dist/quickscale.cjs, one bundle of our code and the devkit,
// through V8's code cache, then runs it. See README "Performance" for what each step buys.
const { Buffer } = require("node:buffer");
const { createHash } = require("node:crypto");
const {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} = require("node:fs");
const Module = require("node:module");
const { homedir } = require("node:os");
const { dirname, isAbsolute, join } = require("node:path");
const { setFlagsFromString } = require("node:v8");
const { Script } = require("node:vm");

// The last word on anything thrown outside the commands' own error handling: one line, as
// every other error (QUICKSCALE_DEBUG=1 shows the stack for a bug report).
process.on("uncaughtException", (error) => {
  const debug = process.env.QUICKSCALE_DEBUG === "1";
  const text =
    error instanceof Error ? ((debug ? error.stack : error.message) ?? error.message) : String(error);
  process.stderr.write(
    debug ? `${text}\n` : `error: ${text.split(/\s*\n\s*/).join(" ")} (unexpected: please report it)\n`,
  );
  process.exit(1);
});

// A closed pipe (quickscale ... | head) ends the output, not the program with a stack trace.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

// A run is short: V8's optimizing compilers cost more than they win back. The Python
// grammar is WebAssembly that parses a few dozen files once, so its baseline compiler is
// enough (saves ~18 MiB and its threads); JavaScript stays in the interpreter and the
// baseline tier (saves ~9 MiB of TurboFan's memory and some CPU).
setFlagsFromString("--liftoff-only");
setFlagsFromString("--no-opt");
// The young generation starts small and V8 doubles it whenever objects survive a scavenge;
// for a run this short that buys no measurable time and costs ~8 MiB of peak memory.
// `--max-semi-space-size=1` would say so directly, but V8 reads it only when the heap is
// made, before this file runs (a shebang `#!/usr/bin/env -S node ...` fails on Alpine,
// whose BusyBox env has no -S); the growth factor is read at each growth.
setFlagsFromString("--semi-space-growth-factor=1");

const bundle = join(__dirname, "..", "dist", "quickscale.cjs");
loadWithCodeCache(bundle)
  .main(process.argv.slice(2), process.cwd(), binStartedAt)
  .then((code) => {
    process.exitCode = code;
  });

/**
 * `require(file)`, but compiled with V8's code cache kept in the user's cache folder
 * (Node 20 has no built-in compile cache for CommonJS), written once after a run.
 *
 * V8 checks a cache against the length of the source only, so a cache made from another
 * source of the same length would run that other code. Each cache file therefore starts
 * with the SHA-256 of the exact source it was made from (and of the Node version), then
 * that of its own data; both are checked before V8 sees the data. The file is read only
 * when it and its folder belong to this user and no one else may write them, so no one
 * else can plant one. Anything unusable (no cache folder, a file there, a full disk, a
 * folder others may write to) means running without the cache, never an error.
 */
function loadWithCodeCache(file) {
  // Hashed as read: hashing the decoded string would encode it to UTF-8 again.
  const bytes = readFileSync(file);
  const source = bytes.toString("utf8");
  // Coverage runs want V8 to compile (and instrument) the code itself.
  const cache = process.env.NODE_V8_COVERAGE ? undefined : codeCacheFolder();
  const sourceHash = createHash("sha256")
    .update(`quickscale code cache 1\0${process.version}\0`)
    .update(bytes)
    .digest();
  const cacheFile = cache && join(cache.dir, `bundle-${sourceHash.toString("hex").slice(0, 32)}.v8`);
  const cachedData = cacheFile && cache.trusted() ? readCodeCache(cacheFile, sourceHash) : undefined;
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  script
    .runInThisContext()
    .call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file));
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
    // After the run, so the cache also holds the functions the run compiled lazily.
    process.once("beforeExit", () => {
      if (cache.create()) {
        writeCodeCache(cacheFile, sourceHash, script.createCachedData());
        pruneCodeCaches(cache.dir, cacheFile);
      }
    });
  }
  return mod.exports;
}

/** Whether a file or folder belongs to the user running this process (always, without uids). */
function isOwn(stat) {
  const uid = process.getuid?.();
  return uid === undefined || stat.uid === uid;
}

/** What a process may trust: a folder or file of this user that no one else may write. */
function isOwnAndPrivate(stat) {
  return isOwn(stat) && (process.getuid === undefined || (stat.mode & 0o022) === 0);
}

function isFolder(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Where the user's cache folder really is: XDG_CACHE_HOME when it is an absolute path to
 * an existing folder (the XDG base directory rules ignore a relative one), else `.cache`
 * in HOME when HOME exists. Never HOME itself, nor a folder above it, is created.
 * Returns `dir` (our folder in it), `trusted()` and `create()`, or undefined when there is
 * no such place.
 */
function codeCacheFolder() {
  const xdg = process.env.XDG_CACHE_HOME;
  const home = process.env.HOME || homedir();
  let userCache;
  if (xdg && isAbsolute(xdg) && isFolder(xdg)) {
    userCache = xdg;
  } else if (home && isAbsolute(home) && isFolder(home)) {
    userCache = join(home, ".cache");
  } else {
    return undefined;
  }
  const dir = join(userCache, "quickscale");
  const trusted = () => {
    try {
      const stat = statSync(dir);
      return stat.isDirectory() && isOwnAndPrivate(stat);
    } catch {
      return false;
    }
  };
  return {
    dir,
    trusted,
    /**
     * Makes the missing levels, private to this user as XDG asks, and only inside a folder
     * of this user (`sudo` keeping a user's HOME must not leave root's folders in it).
     * Whether the folder can be used.
     */
    create: () => {
      for (const folder of [userCache, dir]) {
        try {
          if (!isFolder(folder) && isOwn(statSync(dirname(folder)))) {
            mkdirSync(folder, { mode: 0o700 });
          }
        } catch {
          // Cannot be made: trusted() says so.
        }
      }
      return trusted();
    },
  };
}

/** The V8 data of `cacheFile` when it was made from the source whose hash is `sourceHash`. */
function readCodeCache(cacheFile, sourceHash) {
  let fd;
  try {
    fd = openSync(cacheFile, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    const stat = fstatSync(fd);
    if (!stat.isFile() || !isOwnAndPrivate(stat)) {
      return undefined;
    }
    const content = readFileSync(fd);
    const data = content.subarray(64);
    const madeFrom = content.subarray(0, 32);
    const dataHash = content.subarray(32, 64);
    return madeFrom.equals(sourceHash) && dataHash.equals(createHash("sha256").update(data).digest())
      ? data
      : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) {
      closeSync(fd);
    }
  }
}

/**
 * Writes the cache file whole or not at all: a new private file (never through a link
 * someone left under that name), renamed over the old one.
 */
function writeCodeCache(cacheFile, sourceHash, data) {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    const dataHash = createHash("sha256").update(data).digest();
    writeFileSync(temporary, Buffer.concat([sourceHash, dataHash, data]), { flag: "wx", mode: 0o600 });
    renameSync(temporary, cacheFile);
  } catch {
    // A read-only folder or a full disk: the next run goes without a cache too.
    try {
      unlinkSync(temporary);
    } catch {
      // Never made.
    }
  }
}

/** How many caches of other bundles to keep: another install (or release) may still run. */
const OTHER_CACHES_KEPT = 3;
/** A partial write older than this was abandoned (a killed run), not still being written. */
const ABANDONED_WRITE_MS = 60 * 60 * 1000;

/**
 * Each release, and each build of a clone, leaves a cache file of its own bundle: after
 * writing one, keeps the newest few others and removes the rest, with partial writes a
 * killed run left behind. Touches only regular files named as the bin names them, in a
 * folder only this user may write (checked before any cache is written).
 */
function pruneCodeCaches(dir, keep) {
  try {
    const caches = [];
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      // Earlier releases named theirs with 16 hex digits.
      const isCache = /^bundle-[0-9a-f]{16,64}\.v8$/.test(name);
      if (path === keep || !(isCache || /^bundle-[0-9a-f]{16,64}\.v8\.\d+\.tmp$/.test(name))) {
        continue;
      }
      const stat = lstatSync(path);
      if (!stat.isFile()) {
        continue;
      }
      if (isCache) {
        caches.push({ path, mtimeMs: stat.mtimeMs });
      } else if (Date.now() - stat.mtimeMs > ABANDONED_WRITE_MS) {
        unlinkSync(path);
      }
    }
    caches.sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const { path } of caches.slice(OTHER_CACHES_KEPT)) {
      unlinkSync(path);
    }
  } catch {
    // Whatever could not be removed stays until a later run.
  }
}
