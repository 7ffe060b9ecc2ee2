import { chain, MergeStrategy, mergeWith, Rule } from "@angular-devkit/schematics";
import { addPyprojectTables } from "../../src/pyproject";
import { templateFiles } from "../../src/templates";
import { Schema } from "./schema";

/** ruff (lint and format) configuration, .editorconfig and .gitignore. */
export default function quality(options: Schema): Rule {
  const values = { name: options.name };
  return chain([
    mergeWith(templateFiles(values), MergeStrategy.Error),
    addPyprojectTables("pyproject.toml", values),
  ]);
}
