// Bundles the bin (src/cli/main.ts, our schematics and the devkit modules they use) into
// dist/quickscale.cjs: one file to read and compile instead of ~500 modules to resolve.
// web-tree-sitter and the Python grammar stay outside: they find their .wasm files
// next to their own modules. bundle-factories.mjs links in the factories collection.json
// lists; bundle-slim.mjs keeps out what the devkit loads but we never run.
import { build } from "esbuild";
import { join } from "node:path";
import { linkedFactories } from "./bundle-factories.mjs";
import { slimBundle } from "./bundle-slim.mjs";

const root = join(import.meta.dirname, "..");
await build({
  entryPoints: [join(root, "src", "cli", "main.ts")],
  outfile: join(root, "dist", "quickscale.cjs"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: true,
  external: ["web-tree-sitter", "tree-sitter-python"],
  // ES module builds where packages offer them (jsonc-parser's UMD build hides its
  // requires from the bundler), with import.meta.url defined for them in CommonJS.
  mainFields: ["module", "main"],
  define: { "import.meta.url": "importMetaUrl" },
  inject: [join(import.meta.dirname, "import-meta-url.mjs")],
  // import() of an external package becomes require(): the bin loads the bundle through
  // vm.Script (for V8's code cache), which has no loader for dynamic imports.
  supported: { "dynamic-import": false },
  plugins: [linkedFactories(root), slimBundle(root)],
  logLevel: "warning",
});
