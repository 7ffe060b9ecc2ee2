import { chain, MergeStrategy, mergeWith, Rule } from "@angular-devkit/schematics";
import { addPyprojectTables } from "../../src/pyproject";
import { templateFiles } from "../../src/templates";
import { Schema } from "./schema";

/** pytest with pytest-django, factory_boy and coverage: the project-level tests and their config. */
export default function pytest(options: Schema): Rule {
  const values = { name: options.name };
  return chain([
    mergeWith(templateFiles(values), MergeStrategy.Error),
    addPyprojectTables("pyproject.toml.template", values),
  ]);
}
