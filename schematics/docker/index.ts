import { Rule } from "@angular-devkit/schematics";
import { concern } from "../../src/rules/concern";
import { addReadmeSection } from "../../src/editors/markdown/readme";
import { Schema } from "./schema";

/** A multi-stage Dockerfile, .dockerignore and a docker-compose.yml with PostgreSQL and Redis. */
export default function docker(options: Schema): Rule {
  return concern("docker", options, { steps: ({ name }) => [addReadmeSection(name)] });
}
