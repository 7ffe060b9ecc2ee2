import { MergeStrategy, mergeWith, Rule } from "@angular-devkit/schematics";
import { templateFiles } from "../../src/templates";
import { Schema } from "./schema";

/** The base and index templates and the static files folders. */
export default function frontend(options: Schema): Rule {
  return mergeWith(templateFiles({ name: options.name }), MergeStrategy.Error);
}
