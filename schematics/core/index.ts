import { MergeStrategy, mergeWith, Rule } from "@angular-devkit/schematics";
import { templateFiles } from "../../src/templates";
import { Schema } from "./schema";

/** manage.py, the project package (URLs, views with the index and /healthz, WSGI, ASGI) and pyproject.toml. */
export default function core(options: Schema): Rule {
  return mergeWith(templateFiles({ name: options.name }), MergeStrategy.Error);
}
