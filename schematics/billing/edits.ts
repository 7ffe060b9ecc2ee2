/**
 * What the `billing` module changes in files a project already has, as plain data for
 * the Python, TOML and .env editors: the billing app, the Stripe settings read from the
 * environment, the plans of the pricing page, and the URLs under /billing/.
 *
 * Python values are source text as it goes into the settings, formatted the way
 * `ruff format` leaves a top-level assignment; `__name__` stands for the project package.
 */

import type { EnvSection } from "../../src/editors/dotenv/env-sections";
import type { SettingsSectionSpec as SettingsSection } from "../../src/editors/python/settings-sections";
import { BILLING_DEPENDENCY, BILLING_IMPORT_NAMES } from "./dependencies";

export { BILLING_DEPENDENCY, BILLING_IMPORT_NAMES };

/** The module that must be there first: billing's pages are for signed-in people. */
export const REQUIRED_MODULE = "auth";

/** With this module too, the team is the customer (see owners.py). */
export const TEAMS = "teams";

/** Files of `files/` written only with teams: the team's customer's migration and tests. */
export const TEAM_CUSTOMER_FILES: readonly string[] = [
  "__name__/billing/migrations/0002_customer_team.py",
  "__name__/billing/tests/test_team_customer.py",
];

/** The settings module the module edits, relative to the project folder. */
export const BASE_SETTINGS_FILE = "__name__/settings/base.py";

/** The root URL configuration, relative to the project folder. */
export const URLS_FILE = "__name__/urls.py";

/** Added to `INSTALLED_APPS`, after the project's other apps. */
export const INSTALLED_APP = '"__name__.billing"';

/** Merged into the root URLconf's imports (auth added the same line). */
export const URL_IMPORTS: readonly string[] = ["from django.urls import include, path"];

/** Added to `urlpatterns`: pricing, checkout, the account page and the webhook. */
export const URL_PATTERN = 'path("billing/", include("__name__.billing.urls"))';

const STRIPE_KEYS_DOCS = "https://docs.stripe.com/keys";

/** The settings added to base.py, in one section after the file's last one. */
export const BASE_SETTINGS: SettingsSection = {
  title: "BILLING",
  comment: [
    "Stripe subscriptions: the plans below, Stripe Checkout, the customer portal and the",
    "webhook at /billing/webhook/ (see README.md, Billing). Keys come from the environment",
    "only; `check --deploy` refuses test-mode keys unless STRIPE_ALLOW_TEST_KEYS is True.",
    "https://docs.stripe.com/billing/subscriptions/overview",
  ].join("\n"),
  settings: [
    {
      name: "STRIPE_SECRET_KEY",
      value: 'env.str("STRIPE_SECRET_KEY", default="")',
      comment: ["The secret API key: sk_test_... locally, sk_live_... in production.", STRIPE_KEYS_DOCS].join(
        "\n",
      ),
    },
    {
      name: "STRIPE_PUBLISHABLE_KEY",
      value: 'env.str("STRIPE_PUBLISHABLE_KEY", default="")',
      comment: ["The publishable key, for Stripe.js on your own pages.", STRIPE_KEYS_DOCS].join("\n"),
    },
    {
      name: "STRIPE_WEBHOOK_SECRET",
      value: 'env.str("STRIPE_WEBHOOK_SECRET", default="")',
      comment: [
        "The signing secret (whsec_...) of the webhook endpoint, from Stripe's dashboard",
        'or "stripe listen". Without it, every event is refused.',
        "https://docs.stripe.com/webhooks#verify-events",
      ].join("\n"),
    },
    {
      name: "STRIPE_ALLOW_TEST_KEYS",
      value: 'env.bool("STRIPE_ALLOW_TEST_KEYS", default=False)',
      comment: "True on a staging server that runs on test-mode keys in production settings.",
    },
    {
      name: "STRIPE_API_BASE",
      value: 'env.str("STRIPE_API_BASE", default="https://api.stripe.com")',
      comment: "Where Stripe's API is; tests may point it at a fake on their own machine.",
    },
    {
      name: "BILLING_PLANS",
      value: [
        "[",
        "    {",
        '        "key": "starter",',
        '        "name": "Starter",',
        '        "description": "For individuals getting started.",',
        '        "features": ["3 projects", "Email support"],',
        '        "trial_days": 14,',
        '        "limits": {"projects": 3},',
        '        "prices": {',
        '            "month": {',
        '                "id": env.str("STRIPE_PRICE_STARTER_MONTHLY", default=""),',
        '                "amount": 900,',
        "            },",
        '            "year": {',
        '                "id": env.str("STRIPE_PRICE_STARTER_YEARLY", default=""),',
        '                "amount": 9000,',
        "            },",
        "        },",
        "    },",
        "    {",
        '        "key": "pro",',
        '        "name": "Pro",',
        '        "description": "For teams that depend on it.",',
        '        "features": ["Unlimited projects", "Priority support"],',
        '        "trial_days": 0,',
        '        "limits": {"projects": 1000},',
        '        "prices": {',
        '            "month": {',
        '                "id": env.str("STRIPE_PRICE_PRO_MONTHLY", default=""),',
        '                "amount": 2900,',
        "            },",
        '            "year": {',
        '                "id": env.str("STRIPE_PRICE_PRO_YEARLY", default=""),',
        '                "amount": 29000,',
        "            },",
        "        },",
        "    },",
        "]",
      ].join("\n"),
      comment: [
        "The plans of the pricing page, in order. Each price is a recurring price created in",
        "Stripe (its ID differs between test and live mode, hence the environment); a price",
        'without an ID is not offered. "amount" is in cents, for display; "currency" defaults',
        'to "usd". "limits" are read with billing.access.plan_limit.',
      ].join("\n"),
    },
  ],
};

/** The variable of one price of BILLING_PLANS: empty, the plan is not offered at that interval. */
function priceVariable(key: string, plan: string, interval: "month" | "year"): EnvSection["variables"] {
  return [
    {
      name: `STRIPE_PRICE_${key}_${interval === "month" ? "MONTHLY" : "YEARLY"}`,
      value: "",
      comment: `ID (price_...) of the ${plan} plan's ${interval}ly price in Stripe; empty: not offered.`,
    },
  ];
}

/** Appended to `.env.example`: the keys, the webhook secret and the price IDs. */
export const ENV_VARIABLES: EnvSection = {
  title: "Billing (Stripe)",
  variables: [
    {
      name: "STRIPE_SECRET_KEY",
      value: "sk_live_replace_me",
      comment: "Secret API key from Stripe's dashboard (Developers, API keys): sk_live_... in production.",
    },
    {
      name: "STRIPE_PUBLISHABLE_KEY",
      value: "pk_live_replace_me",
      comment: "Publishable key, beside the secret one: pk_live_... in production.",
    },
    {
      name: "STRIPE_WEBHOOK_SECRET",
      value: "whsec_replace_me",
      comment: "Signing secret of the endpoint https://<your host>/billing/webhook/ (whsec_...).",
    },
    {
      name: "STRIPE_ALLOW_TEST_KEYS",
      value: "False",
      comment: "True only on a staging server that must run on test-mode keys.",
    },
    ...priceVariable("STARTER", "Starter", "month"),
    ...priceVariable("STARTER", "Starter", "year"),
    ...priceVariable("PRO", "Pro", "month"),
    ...priceVariable("PRO", "Pro", "year"),
  ],
};
