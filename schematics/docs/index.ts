import { Rule } from "@angular-devkit/schematics";
import { concern } from "../../src/rules/concern";
import { Schema } from "./schema";

/** The project README and .env.example. */
export default function docs(options: Schema): Rule {
  return concern("docs", options);
}
