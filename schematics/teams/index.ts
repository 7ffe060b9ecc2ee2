import { chain, noop, Rule, schematic, SchematicsException, Tree } from "@angular-devkit/schematics";
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
  BILLING,
  BILLING_README_TITLE,
  BILLING_SETTINGS_TITLE,
  billingApp,
  billingUrlPattern,
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
 *
 * With billing already there, teams wires the two together: its entries go before
 * billing's (the order `add teams` then `add billing` gives), and billing is applied again,
 * now rendering the team as its customer. Billing's files the owner changed since are not
 * replaced: the run stops with their diff, as any module's does.
 */
export default function teams(options: Schema): Rule {
  return (tree: Tree) => {
    const withBilling = readManifest(tree).concerns[BILLING] !== undefined;
    return chain([
      requireAuth(),
      requireBaseBlocks("teams"),
      teamsConcern(options, withBilling),
      withBilling ? schematic(BILLING, options.overwrite === true ? { overwrite: true } : {}) : noop(),
    ]);
  };
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

function teamsConcern(options: Schema, withBilling: boolean): Rule {
  // Before billing's entries, when billing came first: one project whichever order (and
  // at the end where the owner moved or removed billing's entry).
  const beforeBilling = <T>(place: T): T | Record<string, never> => (withBilling ? place : {});
  return concern("teams", options, {
    steps: ({ name }) => [
      editFile(BASE_SETTINGS_FILE.replace("__name__", name), async (text, file) => {
        let result = await addToListSetting(text, file, "INSTALLED_APPS", [installedApp(name)], {
          local: true,
          ...beforeBilling({ before: billingApp(name), orAtEnd: true }),
        });
        result = await addToListSetting(result, file, "MIDDLEWARE", [middleware(name)], {
          after: MIDDLEWARE_AFTER,
        });
        return addSettingsSection(
          result,
          file,
          TEAMS_SETTINGS,
          beforeBilling({ before: BILLING_SETTINGS_TITLE }),
        );
      }),
      editFile(URLS_FILE.replace("__name__", name), async (text, file, tree) => {
        const result = await addImports(text, file, URL_IMPORTS, { firstParty: projectModules(tree) });
        return addUrlPattern(
          result,
          file,
          urlPattern(name),
          beforeBilling({ before: billingUrlPattern(name), orAtEnd: true }),
        );
      }),
      addReadmeSection(name, [BILLING_README_TITLE]),
    ],
  });
}
