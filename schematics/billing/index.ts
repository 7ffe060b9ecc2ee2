import { chain, Rule, Tree } from "@angular-devkit/schematics";
import { readManifest } from "../../src/rules/manifest";
import { concern } from "../../src/rules/concern";
import { editFile } from "../../src/rules/edit-file";
import { addEnvSection } from "../../src/editors/dotenv/env-sections";
import { addProjectDependency } from "../../src/editors/toml/pyproject-dependencies";
import { addToListSetting, addUrlPattern } from "../../src/editors/python";
import { PYPROJECT_PATH } from "../../src/editors/toml/pyproject-tables";
import { addReadmeSection } from "../../src/editors/markdown/readme";
import { projectModules } from "../../src/rules/project-modules";
import { addImports, addSettingsSection } from "../../src/editors/python/settings-sections";
import { requireBaseBlocks } from "../../src/rules/template-blocks";
import { requireModule } from "../../src/rules/require-module";
import { remindingToRelock } from "../../src/editors/toml/uv-lock";
import {
  BASE_SETTINGS,
  BASE_SETTINGS_FILE,
  BILLING_DEPENDENCY,
  ENV_VARIABLES,
  INSTALLED_APP,
  REQUIRED_MODULE,
  TEAMS,
  TEAM_CUSTOMER_FILES,
  URL_IMPORTS,
  URL_PATTERN,
  URLS_FILE,
} from "./edits";
import { Schema } from "./schema";

/**
 * Stripe subscriptions with the official `stripe` library and models the project owns:
 * plans declared in the settings, Stripe Checkout, the customer portal, a signed and
 * idempotent webhook, and an access gate. Needs auth (its pages are for signed-in
 * people): without it, refuses in one line and writes nothing. Its pages render inside
 * the project's base.html, whose blocks are checked first, as auth's are.
 *
 * With the teams module (added before or after: `add teams` applies billing again), the
 * team is the customer: the files that say who pays render for teams, and two more come
 * with them (the migration of `Customer.team` and its tests).
 */
export default function billing(options: Schema): Rule {
  return (tree: Tree) => {
    const manifest = readManifest(tree);
    const name = manifest.options["name"] ?? "";
    return chain([
      requireModule("billing", REQUIRED_MODULE),
      requireBaseBlocks("billing"),
      billingConcern(options, manifest.concerns[TEAMS] !== undefined, name),
    ]);
  };
}

function billingConcern(options: Schema, withTeams: boolean, name: string): Rule {
  return concern("billing", options, {
    // A template value, tested as a condition by the templates ("" is false).
    values: { teams: withTeams ? "teams" : "" },
    skip: withTeams ? [] : TEAM_CUSTOMER_FILES.map((path) => path.replace("__name__", name)),
    steps: ({ name }) => {
      const project = (text: string) => text.replaceAll("__name__", name);
      return [
        editFile(project(BASE_SETTINGS_FILE), async (text, file) => {
          const result = await addToListSetting(text, file, "INSTALLED_APPS", [project(INSTALLED_APP)], {
            local: true,
          });
          return addSettingsSection(result, file, BASE_SETTINGS);
        }),
        editFile(project(URLS_FILE), async (text, file, tree) => {
          const result = await addImports(text, file, URL_IMPORTS, { firstParty: projectModules(tree) });
          return addUrlPattern(result, file, project(URL_PATTERN));
        }),
        remindingToRelock(
          editFile(PYPROJECT_PATH, (text, file) => addProjectDependency(text, file, BILLING_DEPENDENCY)),
        ),
        editFile(".env.example", (text) => addEnvSection(text, ENV_VARIABLES)),
        addReadmeSection(name),
      ];
    },
  });
}
