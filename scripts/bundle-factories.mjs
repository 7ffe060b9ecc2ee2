// esbuild plugin that links every schematic collection.json lists into the bin's bundle:
// src/cli/linked-factories.ts (empty in the compiled files) becomes a module importing
// each factory's TypeScript source, keyed by its reference in collection.json. A module
// is then declared once: its folder under schematics/ and its line in collection.json.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/** The plugin, for the package at `root`. */
export function linkedFactories(root) {
  const target = join(root, "src", "cli", "linked-factories.ts");
  return {
    name: "quickscale-linked-factories",
    setup(build) {
      build.onLoad({ filter: /[\\/]linked-factories\.ts$/ }, (args) =>
        args.path === target
          ? { contents: factoriesModule(root), resolveDir: join(root, "src", "cli"), loader: "ts" }
          : undefined,
      );
    },
  };
}

/** The source of the module: one import per factory of collection.json. */
function factoriesModule(root) {
  const collection = JSON.parse(readFileSync(join(root, "collection.json"), "utf8"));
  // A schema.json the bin reads options from (init's, add's modules') but cannot
  // validate stops the build, not a user's run.
  const { addableSchematics, declaredSchematic } = createRequire(import.meta.url)(
    join(root, "dist", "src", "cli", "declared-schematics.js"),
  );
  addableSchematics(root);
  declaredSchematic("init", root);
  const imports = [];
  const entries = [];
  Object.entries(collection.schematics ?? {}).forEach(([name, schematic], index) => {
    const [modulePath, exportName = "default"] = String(schematic.factory).split("#");
    // The factory is the compiled ./dist/<path>; the bundle takes its source, <path>.ts.
    const source = /^\.\/dist\/(.+)$/.exec(modulePath)?.[1];
    const file = source === undefined ? undefined : join(root, `${source}.ts`);
    if (file === undefined || !existsSync(file)) {
      throw new Error(
        `collection.json: the factory of "${name}" (${schematic.factory}) should be ./dist/<path> with its source at <path>.ts.`,
      );
    }
    imports.push(`import { ${exportName} as factory${index} } from ${JSON.stringify(file)};`);
    entries.push(`  ${JSON.stringify(schematic.factory)}: factory${index},`);
  });
  return `import type { RuleFactory } from "@angular-devkit/schematics";
${imports.join("\n")}

export const LINKED_FACTORIES: Readonly<Record<string, RuleFactory<object>>> = {
${entries.join("\n")}
} as Record<string, RuleFactory<object>>;
`;
}
