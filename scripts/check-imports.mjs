// The import graph of src/ and schematics/ has no cycle, between files or between the folders
// of src/ (src/cli, src/rules, src/editors/python, …): each folder is a layer that only looks
// down. Cycles between files come from dependency-cruiser's no-circular rule;
// dependency-cruiser does not evaluate rules on a collapsed graph, so folders are checked here.
import { cruise } from "dependency-cruiser";

const ruleSet = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle hides which file is the lower layer; move the shared part down.",
      from: {},
      to: { circular: true },
    },
  ],
};
const { output } = await cruise(["src", "schematics"], {
  validate: true,
  ruleSet,
  doNotFollow: { path: "node_modules" },
  tsConfig: { fileName: "tsconfig.json" },
  tsPreCompilationDeps: true, // `import type` counts: it is a dependency a reader must follow
});

const problems = output.summary.violations.map(
  (v) => `${v.rule.name}: ${[v.from, ...(v.cycle ?? []).map((step) => step.name ?? step)].join(" → ")}`,
);

/**
 * `src/editors/python/parser.ts` → `src/editors/python`; `src/cli/main.ts` → `src/cli`. A
 * schematic's files stay apart: `src/names/` may read `schematics/auth/dependencies.ts`, a
 * file that imports nothing, while the auth module's other files use the editors.
 */
const folderOf = (path) =>
  /^(src\/editors\/[^/]+|src\/[^/]+)\//.exec(path)?.[1] ??
  (path.startsWith("schematics/") ? path : undefined);
const edges = new Map();
for (const module of output.modules) {
  const from = folderOf(module.source);
  for (const dependency of module.dependencies) {
    const to = folderOf(dependency.resolved);
    if (from && to && from !== to) edges.set(from, new Set([...(edges.get(from) ?? []), to]));
  }
}
const state = new Map(); // folder → "open" while on the DFS path, "done" after
const walk = (folder, path) => {
  if (state.get(folder) === "done") return;
  if (state.get(folder) === "open") {
    problems.push(`folder cycle: ${[...path.slice(path.indexOf(folder)), folder].join(" → ")}`);
    return;
  }
  state.set(folder, "open");
  for (const next of edges.get(folder) ?? []) walk(next, [...path, folder]);
  state.set(folder, "done");
};
for (const folder of edges.keys()) walk(folder, []);

if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`imports: no cycle (${output.summary.totalCruised} modules, ${edges.size} folders)`);
