import { chain, Rule, SchematicsException, Tree } from "@angular-devkit/schematics";
import { concern } from "../../src/rules/concern";
import { editFile } from "../../src/rules/edit-file";
import { readManifest } from "../../src/rules/manifest";
import { addToListSetting, addUrlPattern } from "../../src/editors/python";
import { addImports, addSettingsSection } from "../../src/editors/python/settings-sections";
import { addReadmeSection } from "../../src/editors/markdown/readme";
import { projectModules } from "../../src/rules/project-modules";
import { requireBaseBlocks } from "../../src/rules/template-blocks";
import {
  BASE_SETTINGS_FILE,
  installedApp,
  middleware,
  MIDDLEWARE_AFTER,
  REQUIRED_MODULE,
  TEAMS_SETTINGS,
  URL_IMPORTS,
  urlPattern,
  URLS_FILE,
} from "./edits";
import { Schema } from "./schema";

/**
 * Teams in the project's own `teams` app: Team, Membership (owner, admin, member) and
 * Invitation models, a personal team for each new account, `request.team` from the URL
 * or the session, invitations by email, the team pages in the UI shell, and a model base
 * and view mixin that keep each team's rows apart. Needs the accounts of `add auth`:
 * without them it stops in one line before writing anything.
 */
export default function teams(options: Schema): Rule {
  return chain([requireAuth(), requireBaseBlocks("teams"), teamsConcern(options)]);
}

function requireAuth(): Rule {
  return (tree: Tree) => {
    if (readManifest(tree).concerns[REQUIRED_MODULE] === undefined) {
      throw new SchematicsException(
        `Teams need user accounts: run "quickscale add ${REQUIRED_MODULE}" first, then "quickscale add teams".`,
      );
    }
  };
}

function teamsConcern(options: Schema): Rule {
  return concern("teams", options, {
    steps: ({ name }) => [
      editFile(BASE_SETTINGS_FILE.replace("__name__", name), async (text, file) => {
        let result = await addToListSetting(text, file, "INSTALLED_APPS", [installedApp(name)], {
          local: true,
        });
        result = await addToListSetting(result, file, "MIDDLEWARE", [middleware(name)], {
          after: MIDDLEWARE_AFTER,
        });
        return addSettingsSection(result, file, TEAMS_SETTINGS);
      }),
      editFile(URLS_FILE.replace("__name__", name), async (text, file, tree) => {
        const result = await addImports(text, file, URL_IMPORTS, { firstParty: projectModules(tree) });
        return addUrlPattern(result, file, urlPattern(name));
      }),
      addReadmeSection(name),
    ],
  });
}
