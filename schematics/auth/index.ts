import { chain, Rule } from "@angular-devkit/schematics";
import { concern } from "../../src/rules/concern";
import { editFile } from "../../src/rules/edit-file";
import { addEnvSection } from "../../src/editors/dotenv/env-sections";
import { addProjectDependency } from "../../src/editors/toml/pyproject-dependencies";
import {
  addModuleStatement,
  addToListSetting,
  addToNestedList,
  addUrlPattern,
  definesSetting,
  type ListSettingOptions,
} from "../../src/editors/python";
import { PYPROJECT_PATH } from "../../src/editors/toml/pyproject-tables";
import { addReadmeSection } from "../../src/editors/markdown/readme";
import { projectModules } from "../../src/rules/project-modules";
import { addImports, addSettingsSection } from "../../src/editors/python/settings-sections";
import { requireBaseBlocks } from "../../src/rules/template-blocks";
import { remindingToRelock } from "../../src/editors/toml/uv-lock";
import {
  AUTH_DEPENDENCY,
  AUTHENTICATION_BACKENDS,
  BASE_SETTINGS,
  CONTEXT_PROCESSORS,
  ENV_VARIABLES,
  INSTALLED_APPS,
  type ListEntries,
  MFA,
  MIDDLEWARE,
  PRODUCTION_IMPORTS,
  PRODUCTION_SETTINGS,
  SETTINGS_FILES,
  URL_IMPORTS,
  URL_PATTERNS,
  URL_STATEMENTS,
  URLS_FILE,
} from "./edits";
import { Schema } from "./schema";

/**
 * django-allauth on the project's email-login user: sign-up, email verification, login,
 * logout and password reset under /accounts/, optionally TOTP two-factor authentication.
 * Applies to a project the user has changed: every edit goes through a code-aware editor
 * that keeps the user's code, does nothing the second time, and refuses code it does not
 * understand with the file and line. Its pages render inside the project's base.html: a
 * base.html without a block they fill is refused before anything is written.
 */
export default function auth(options: Schema): Rule {
  const mfa = options.mfa === true;
  return chain([requireBaseBlocks("auth"), authConcern(options, mfa)]);
}

function authConcern(options: Schema, mfa: boolean): Rule {
  return concern("auth", options, {
    skip: mfa ? [] : MFA.files,
    steps: ({ name }) => {
      const project = (path: string) => path.replace("__name__", name);
      return [
        editFile(project(SETTINGS_FILES.base), (text, file) => editBaseSettings(text, file, mfa)),
        editFile(project(SETTINGS_FILES.production), async (text, file, tree) => {
          let result = await addImports(text, file, PRODUCTION_IMPORTS, { firstParty: projectModules(tree) });
          for (const section of PRODUCTION_SETTINGS) {
            result = await addSettingsSection(result, file, section);
          }
          return result;
        }),
        editFile(project(URLS_FILE), async (text, file, tree) => {
          let result = await addImports(text, file, URL_IMPORTS, { firstParty: projectModules(tree) });
          for (const statement of URL_STATEMENTS) {
            result = await addModuleStatement(result, file, statement);
          }
          for (const pattern of URL_PATTERNS) {
            result = await addUrlPattern(result, file, pattern);
          }
          return result;
        }),
        remindingToRelock(
          editFile(PYPROJECT_PATH, (text, file) => {
            // --mfa on a project that has the plain dependency: the same line, with the extra.
            const plain = `"${AUTH_DEPENDENCY}"`;
            const upgraded = mfa && text.includes(plain) ? text.replace(plain, `"${MFA.dependency}"`) : text;
            return addProjectDependency(upgraded, file, mfa ? MFA.dependency : AUTH_DEPENDENCY);
          }),
        ),
        editFile(".env.example", (text) => ENV_VARIABLES.reduce(addEnvSection, text)),
        addReadmeSection(name),
      ];
    },
  });
}

async function editBaseSettings(text: string, file: string, mfa: boolean): Promise<string> {
  let result = await addToListSetting(
    text,
    file,
    "INSTALLED_APPS",
    INSTALLED_APPS.entries,
    listPlace(INSTALLED_APPS),
  );
  if (mfa) {
    result = await addToListSetting(
      result,
      file,
      "INSTALLED_APPS",
      MFA.installedApps.entries,
      listPlace(MFA.installedApps),
    );
    const policy = MFA.contentSecurityPolicy;
    if (await definesSetting(result, file, policy.setting)) {
      result = await addToNestedList(result, file, policy.path, policy.entries);
    }
  }
  result = await addToListSetting(result, file, "MIDDLEWARE", MIDDLEWARE.entries, listPlace(MIDDLEWARE));
  result = await addToNestedList(result, file, CONTEXT_PROCESSORS.path, CONTEXT_PROCESSORS.entries);
  const section = { ...BASE_SETTINGS, settings: [...BASE_SETTINGS.settings, ...(mfa ? MFA.settings : [])] };
  if (await definesSetting(result, file, AUTHENTICATION_BACKENDS.setting.name)) {
    result = await addToListSetting(
      result,
      file,
      AUTHENTICATION_BACKENDS.setting.name,
      AUTHENTICATION_BACKENDS.entries,
    );
  } else {
    section.settings.unshift(AUTHENTICATION_BACKENDS.setting);
  }
  return addSettingsSection(result, file, section);
}

/** Where the editor puts a list's entries, and whether they are third-party apps. */
function listPlace(entries: ListEntries): ListSettingOptions {
  return {
    ...(entries.after === undefined ? {} : { after: entries.after }),
    ...(entries.thirdParty === true ? { thirdParty: true } : {}),
  };
}
