// esbuild plugin that keeps out of the bin's bundle what the devkit loads but the bin never
// runs. The devkit is CommonJS and requires whole packages from its index files, which a
// bundler cannot tree-shake; loading them costs start-up time and memory on every run.
//
// - rxjs: the devkit's `require("rxjs")` gets the whole library (350 kB). Every import of
//   rxjs is pointed at one ES module that re-exports only the names the devkit and our code
//   use, found by scanning their sources, so esbuild keeps just those operators.
// - Packages the bin never calls: ajv and ajv-formats (JSON-schema option validation, which
//   the bin does not register), source-map (templates compiled with `sourceMap`, which we
//   never ask for) and picomatch (the devkit's pattern host). Each becomes a stub that
//   throws a clear error if a code path ever uses it, so a change that needs one fails in
//   the end-to-end specs instead of misbehaving.
// - node:http and node:https, required by the devkit's schema registry for fetching remote
//   `$ref`s (with ajv, which the bin never runs): loading the two costs ~7 ms a run. Only the
//   registry's requires are stubbed; anything else gets Node's modules.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const LEFT_OUT = ["ajv", "ajv-formats", "source-map", "picomatch"];
const REGISTRY_BUILTINS = /^node:https?$/;
const SCHEMA_REGISTRY = /[\\/]@angular-devkit[\\/]core[\\/]src[\\/]json[\\/]schema[\\/]registry\.js$/;

/** The plugin, for the package at `root`. */
export function slimBundle(root) {
  const rxjsEsm = rxjsEsmEntry(root);
  const names = rxjsNamesUsed(root);
  return {
    name: "quickscale-slim",
    setup(build) {
      build.onResolve({ filter: /^rxjs(\/operators)?$/ }, () => ({ path: "rxjs", namespace: "rxjs-subset" }));
      build.onLoad({ filter: /.*/, namespace: "rxjs-subset" }, () => ({
        contents: `export { ${names.join(", ")} } from ${JSON.stringify(rxjsEsm)};`,
        resolveDir: root,
        loader: "js",
      }));
      const leftOut = new RegExp(`^(${LEFT_OUT.map((name) => name.replace(/[-/]/g, "\\$&")).join("|")})$`);
      build.onResolve({ filter: leftOut }, (args) => ({ path: args.path, namespace: "left-out" }));
      build.onResolve({ filter: REGISTRY_BUILTINS }, (args) =>
        SCHEMA_REGISTRY.test(args.importer) ? { path: args.path, namespace: "left-out" } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: "left-out" }, (args) => ({
        contents: leftOutStub(args.path),
        loader: "js",
      }));
    },
  };
}

/** rxjs's ES2015 module build (its `node` export condition is the CommonJS one). */
function rxjsEsmEntry(root) {
  const packageJson = createRequire(join(root, "package.json")).resolve("rxjs/package.json");
  return join(dirname(packageJson), "dist", "esm", "index.js");
}

/**
 * The rxjs names used by the devkit's compiled CommonJS (`rxjs_1.of`, `operators_1.map`)
 * and by our TypeScript (`import { of } from "rxjs"`). A devkit file that requires rxjs
 * any other way fails the build: its names could not be known.
 */
function rxjsNamesUsed(root) {
  const names = new Set();
  const devkit = join(root, "node_modules", "@angular-devkit");
  for (const file of filesUnder(join(devkit, "core"), ".js").concat(
    filesUnder(join(devkit, "schematics"), ".js"),
  )) {
    const source = readFileSync(file, "utf8");
    for (const line of source.match(/.*require\("rxjs[^"]*"\).*/g) ?? []) {
      if (!/^const (rxjs|operators)_\d+ = require\("rxjs(\/operators)?"\);$/.test(line.trim())) {
        throw new Error(`${file}: unexpected use of rxjs, update scripts/bundle-slim.mjs: ${line.trim()}`);
      }
    }
    for (const match of source.matchAll(/\b(?:rxjs|operators)_\d+\.([A-Za-z_$][\w$]*)/g)) {
      names.add(match[1]);
    }
  }
  for (const file of filesUnder(join(root, "src"), ".ts").concat(
    filesUnder(join(root, "schematics"), ".ts"),
  )) {
    for (const match of readFileSync(file, "utf8").matchAll(
      /import\s*\{([^}]*)\}\s*from\s*"rxjs(?:\/operators)?"/g,
    )) {
      for (const name of match[1].split(",")) {
        const imported = name.trim().split(/\s+as\s+/)[0];
        if (imported) names.add(imported.replace(/^type\s+/, ""));
      }
    }
  }
  // Type-only names (imported without `type`) are no values to re-export.
  const values = new Set(Object.keys(createRequire(join(root, "package.json"))("rxjs")));
  return [...names].filter((name) => values.has(name)).sort();
}

function filesUnder(dir, suffix) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix) && !entry.name.endsWith(".d.ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

function leftOutStub(name) {
  const message = JSON.stringify(
    `${name} is left out of the quickscale bundle (scripts/bundle-slim.mjs) but this run needs it`,
  );
  return `const fail = () => { throw new Error(${message}); };
module.exports = new Proxy(function () {}, {
  get: (_target, key) => (key === "__esModule" ? undefined : fail()),
  apply: fail,
  construct: fail,
});`;
}
