import { Rule } from "@angular-devkit/schematics";
import { concern } from "../../src/rules/concern";
import { Schema } from "./schema";

/** The email-login custom User model with its first migration, admin and tests. */
export default function users(options: Schema): Rule {
  return concern("users", options);
}
