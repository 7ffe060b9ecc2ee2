import { Rule } from "@angular-devkit/schematics";
import { concern } from "../../src/rules/concern";
import { createUvLock } from "../../src/editors/toml/uv-lock";
import { Schema } from "./schema";

/**
 * manage.py, the project package (URLs, views with the index and /healthz, WSGI, ASGI),
 * pyproject.toml and its uv.lock (every dependency pinned with hashes, made offline from
 * the lock shipped with QuickScale).
 */
export default function core(options: Schema): Rule {
  return concern("core", options, { steps: ({ name }) => [createUvLock(name)] });
}
