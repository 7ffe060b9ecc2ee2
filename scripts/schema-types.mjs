// Generates schematics/*/schema.d.ts from each schema.json (option types are never
// hand-written). With --check, fails when a committed file is out of date.
import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { compile } from "json-schema-to-typescript";

const check = process.argv.includes("--check");
const root = join(import.meta.dirname, "..", "schematics");
const banner = "// Generated from schema.json by scripts/schema-types.mjs. Do not edit.\n";
let stale = [];
for (const name of readdirSync(root).sort()) {
  const schemaPath = join(root, name, "schema.json");
  if (!existsSync(schemaPath)) continue;
  const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
  delete schema.title;
  delete schema.$id;
  const types = await compile(schema, "Schema", {
    bannerComment: banner,
    additionalProperties: false,
    format: true,
    style: { singleQuote: false, printWidth: 100 },
  });
  const target = join(root, name, "schema.d.ts");
  const current = existsSync(target) ? readFileSync(target, "utf8") : "";
  if (current === types) continue;
  if (check) stale.push(target);
  else writeFileSync(target, types);
}
if (stale.length > 0) {
  console.error(`Out-of-date option types: ${stale.join(", ")}. Run: npm run schema-types`);
  process.exit(1);
}
