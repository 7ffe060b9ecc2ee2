import { Rule } from "@angular-devkit/schematics";
import { concern } from "../../src/concern";
import { addPyprojectTables } from "../../src/pyproject";
import { addReadmeSection } from "../../src/readme";
import { Schema } from "./schema";

/** ruff (lint and format) configuration, pre-commit hooks, .editorconfig and .gitignore. */
export default function quality(options: Schema): Rule {
  return concern("quality", options, {
    steps: ({ name }) => [addPyprojectTables("pyproject.toml", { name }), addReadmeSection(name)],
  });
}
