import { MergeStrategy, mergeWith, Rule } from "@angular-devkit/schematics";
import { randomSecretKey } from "../../src/secret-key";
import { templateFiles } from "../../src/templates";
import { Schema } from "./schema";

/**
 * Split settings (base, local, production, test). Local settings get a fresh development
 * key per project; production reads its key from the environment only.
 */
export default function settings(options: Schema): Rule {
  return mergeWith(templateFiles({ name: options.name, secretKey: randomSecretKey() }), MergeStrategy.Error);
}
