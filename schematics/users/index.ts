import { MergeStrategy, mergeWith, Rule } from "@angular-devkit/schematics";
import { templateFiles } from "../../src/templates";
import { Schema } from "./schema";

/** The email-login custom User model with its first migration, admin and tests. */
export default function users(options: Schema): Rule {
  return mergeWith(templateFiles({ name: options.name }), MergeStrategy.Error);
}
