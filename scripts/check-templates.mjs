// Renders every schematic template with sample values and checks each render with the
// run-time validator; records the templates that pass in dist/checked-templates.json, so
// runs need not parse their renders again (see src/templates/checked.ts). A template that
// fails stops the build; one with logic or other values is left to be parsed at run time.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const require = createRequire(import.meta.url);
const { checkTemplates, CHECKED_TEMPLATES_FILE } = require(
  join(root, "dist", "src", "templates", "checked.js"),
);
const { renderTemplate } = require(join(root, "dist", "src", "templates", "render.js"));
const { contentProblem } = require(join(root, "dist", "src", "rules", "validate-tree.js"));

const { checked, problems } = await checkTemplates(join(root, "schematics"), renderTemplate, contentProblem);
if (problems.length > 0) {
  console.error(`Invalid templates:\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
  process.exit(1);
}
writeFileSync(join(root, CHECKED_TEMPLATES_FILE), `${JSON.stringify(checked, null, 1)}\n`);
