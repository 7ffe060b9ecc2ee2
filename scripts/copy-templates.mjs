// Copies each schematic's templates and assets (everything but TypeScript) next to its
// compiled factory, where url('./files') and readSchematicAsset look for them.
import { cpSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
for (const name of readdirSync(join(root, "schematics"))) {
  cpSync(join(root, "schematics", name), join(root, "dist", "schematics", name), {
    recursive: true,
    filter: (source) => !source.endsWith(".ts"),
  });
}
