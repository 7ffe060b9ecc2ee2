import { Rule } from "@angular-devkit/schematics";
import { concern } from "../../src/rules/concern";
import { addPyprojectTables } from "../../src/editors/toml/pyproject-tables";
import { Schema } from "./schema";

/** pytest with pytest-django, factory_boy and coverage: the project-level tests and their config. */
export default function pytest(options: Schema): Rule {
  return concern("pytest", options, {
    steps: ({ name }) => [addPyprojectTables("pyproject.toml.template", { name })],
  });
}
