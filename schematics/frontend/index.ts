import { Rule } from "@angular-devkit/schematics";
import { concern } from "../../src/rules/concern";
import { Schema } from "./schema";

/** The base and index templates and the static files folders. */
export default function frontend(options: Schema): Rule {
  return concern("frontend", options);
}
