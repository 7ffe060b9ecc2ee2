import { MergeStrategy, mergeWith, Rule } from "@angular-devkit/schematics";
import { templateFiles } from "../../src/templates";
import { Schema } from "./schema";

/** The project README and .env.example. */
export default function docs(options: Schema): Rule {
  return mergeWith(templateFiles({ name: options.name }), MergeStrategy.Error);
}
