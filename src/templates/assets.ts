import { SchematicContext, SchematicsException } from "@angular-devkit/schematics";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderEntry, schematicDir } from "./render";
import type { TemplateValues } from "./values";
import { normalize } from "@angular-devkit/core";

/**
 * A file that sits beside the schematic (outside `files/`, so it is not written as is),
 * rendered like a template when its name ends in `.template`.
 */
export function readSchematicAsset(context: SchematicContext, name: string, values: TemplateValues): string {
  const path = join(schematicDir(context), name);
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch {
    throw new SchematicsException(`Asset "${path}" is missing: rebuild QuickScale (npm run build).`);
  }
  return renderEntry(values)({ path: normalize(`/${name}`), content }).content.toString("utf-8");
}
