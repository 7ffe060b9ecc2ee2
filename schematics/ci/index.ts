import { Rule } from "@angular-devkit/schematics";
import { concern } from "../../src/rules/concern";
import { addReadmeSection } from "../../src/editors/markdown/readme";
import { Schema } from "./schema";

/** GitHub Actions: CI (lint, checks, tests on PostgreSQL), a manual deploy example, Dependabot. */
export default function ci(options: Schema): Rule {
  return concern("ci", options, { steps: ({ name }) => [addReadmeSection(name)] });
}
