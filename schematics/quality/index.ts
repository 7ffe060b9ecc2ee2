import { Rule } from "@angular-devkit/schematics";
import { concern } from "../../src/rules/concern";
import { addPyprojectTables } from "../../src/editors/toml/pyproject-tables";
import { addReadmeSection } from "../../src/editors/markdown/readme";
import { Schema } from "./schema";

/** ruff (lint and format) configuration, pre-commit hooks, .editorconfig and .gitignore. */
export default function quality(options: Schema): Rule {
  return concern("quality", options, {
    steps: ({ name }) => [addPyprojectTables("pyproject.toml", { name }), addReadmeSection(name)],
  });
}
