import { Rule } from "@angular-devkit/schematics";
import { concern } from "../../src/concern";
import { Schema } from "./schema";

/** manage.py, the project package (URLs, views with the index and /healthz, WSGI, ASGI) and pyproject.toml. */
export default function core(options: Schema): Rule {
  return concern("core", options);
}
