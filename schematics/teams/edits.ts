/**
 * What the `teams` module changes in files a project already has, as plain data for the
 * Python editors: the `teams` app in INSTALLED_APPS, its middleware (which sets
 * `request.team`) right after Django's authentication middleware, the team pages under
 * /teams/, and how long an invitation stays valid.
 *
 * Python values are source text as it goes into the files, formatted the way `ruff
 * format` leaves them. `__name__` stands for the project's package.
 */

import type { SettingsSectionSpec } from "../../src/editors/python/settings-sections";
import {
  BASE_SETTINGS as BILLING_SETTINGS,
  INSTALLED_APP as BILLING_APP,
  URL_PATTERN as BILLING_URL_PATTERN,
} from "../billing/edits";

/** The settings modules and URLconf the module edits, relative to the project folder. */
export const BASE_SETTINGS_FILE = "__name__/settings/base.py";
export const URLS_FILE = "__name__/urls.py";

/** The module that `add teams` needs first: the accounts people belong to teams with. */
export const REQUIRED_MODULE = "auth";

/** Appended to INSTALLED_APPS (LOCAL_APPS in a split list), after the users app. */
export const installedApp = (name: string): string => `"${name}.teams"`;

/** Added to MIDDLEWARE right after this entry: request.user is known from there on. */
export const MIDDLEWARE_AFTER = '"django.contrib.auth.middleware.AuthenticationMiddleware"';
export const middleware = (name: string): string => `"${name}.teams.middleware.TeamMiddleware"`;

/** `include` comes with auth's URL edits; merged again in case the user dropped it. */
export const URL_IMPORTS: readonly string[] = ["from django.urls import include, path"];

/** Added to `urlpatterns`: the team pages and the links of invitation emails. */
export const urlPattern = (name: string): string => `path("teams/", include("${name}.teams.urls"))`;

/** The section added to base.py, after its last one. */
export const TEAMS_SETTINGS: SettingsSectionSpec = {
  title: "TEAMS",
  comment: ["Teams, roles and invitations: the teams app of this project (see README.md, Teams)."].join("\n"),
  settings: [
    {
      name: "TEAMS_INVITATION_DAYS",
      value: "7",
      comment: "Days an emailed invitation to join a team can be accepted.",
    },
    {
      name: "TEAMS_INVITATIONS_PER_HOUR",
      value: "20",
      comment: "Invitations a team may send in an hour; more are refused (429) until it passes.",
    },
  ],
};

/**
 * The billing module, whose entries teams goes before in every list and section: with both,
 * the team is billing's customer, and the project is the same whichever came first.
 */
export const BILLING = "billing";
export const billingApp = (name: string): string => BILLING_APP.replace("__name__", name);
export const billingUrlPattern = (name: string): string => BILLING_URL_PATTERN.replace("__name__", name);
export const BILLING_SETTINGS_TITLE = BILLING_SETTINGS.title;
/** The title of billing's README section. */
export const BILLING_README_TITLE = "Billing";
