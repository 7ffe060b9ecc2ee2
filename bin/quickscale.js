#!/usr/bin/env node
"use strict";
// When this file began, for QUICKSCALE_PROFILE's split of Node's start from loading the bundle.
const binStartedAt = require("node:perf_hooks").performance.now();
// The quickscale bin: loads dist/quickscale.cjs, one bundle of our code and the devkit,
// through V8's code cache, then runs it. See README "Performance" for what each step buys.
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const Module = require("node:module");
const { homedir } = require("node:os");
const { dirname, join } = require("node:path");
const { setFlagsFromString } = require("node:v8");
const { Script } = require("node:vm");

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

const bundle = join(__dirname, "..", "dist", "quickscale.cjs");
loadWithCodeCache(bundle)
  .main(process.argv.slice(2), process.cwd(), binStartedAt)
  .then((code) => {
    process.exitCode = code;
  });

/**
 * `require(file)`, but compiled with V8's code cache kept in the user's cache folder
 * (Node 20 has no built-in compile cache for CommonJS). The cache is keyed by the bundle's
 * content, written once after a run, and ignored when V8 rejects it or cannot be written.
 */
function loadWithCodeCache(file) {
  const source = readFileSync(file, "utf8");
  const cacheDir = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "quickscale");
  const key = createHash("sha256").update(process.version).update(source).digest("hex").slice(0, 16);
  const cacheFile = join(cacheDir, `bundle-${key}.v8`);
  // Coverage runs want V8 to compile (and instrument) the code itself.
  const useCache = !process.env.NODE_V8_COVERAGE;
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  script
    .runInThisContext()
    .call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file));
  if (useCache && (cachedData === undefined || script.cachedDataRejected)) {
    // After the run, so the cache also holds the functions the run compiled lazily.
    process.once("beforeExit", () => {
      try {
        mkdirSync(cacheDir, { recursive: true });
        writeFileSync(`${cacheFile}.${process.pid}`, script.createCachedData());
        renameSync(`${cacheFile}.${process.pid}`, cacheFile);
      } catch {
        // A read-only home or a full disk: run without a cache.
      }
    });
  }
  return mod.exports;
}
