import { Rule } from "@angular-devkit/schematics";
import { concern } from "../../src/rules/concern";
import { randomSecretKey } from "../../src/templates/secret-key";
import { Schema } from "./schema";

/**
 * Split settings (base, local, production, test). Local settings get a fresh development
 * key per project; production reads its key from the environment only.
 */
export default function settings(options: Schema): Rule {
  return concern("settings", options, { values: { secretKey: randomSecretKey() } });
}
