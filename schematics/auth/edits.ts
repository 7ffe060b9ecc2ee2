/**
 * What the `auth` module changes in files a project already has, as plain data for the
 * Python, TOML and .env editors: django-allauth with the email address as the only
 * login identifier, mandatory email verification, SMTP settings from the environment in
 * production, and optional TOTP two-factor authentication.
 *
 * Every Python value is source text exactly as it goes into the generated settings
 * files, already formatted the way `ruff format` leaves a top-level `NAME = value`
 * assignment (88 columns, double quotes, magic trailing commas). Comments are given as
 * their text lines, without the leading `# ` the editor writes before each line.
 * Entries of lists are Python expressions (string literals keep their quotes).
 */

import type { EnvSection } from "../../src/editors/dotenv/env-sections";
import type {
  SettingSpec as Setting,
  SettingsSectionSpec as SettingsSection,
} from "../../src/editors/python/settings-sections";

export type { EnvSection, Setting, SettingsSection };
import { ALLAUTH_VERSION_RANGE, AUTH_DEPENDENCY, AUTH_IMPORT_NAMES } from "./dependencies";

export { ALLAUTH_VERSION_RANGE, AUTH_DEPENDENCY, AUTH_IMPORT_NAMES };

/** Entries added to an existing list setting, placed next to an anchor entry when it is there. */
export interface ListEntries {
  /** Python expressions, in the order they go into the list. */
  readonly entries: readonly string[];
  /** Insert right after this entry (a Python expression, as written in the list); the editor refuses when it is absent. */
  readonly after?: string;
  /**
   * The entries are third-party apps: in `INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS +
   * LOCAL_APPS` they go into THIRD_PARTY_APPS.
   */
  readonly thirdParty?: boolean;
}

/**
 * The settings modules the module edits, relative to the project folder (`__name__` is the
 * package). local.py and test.py need nothing: their console and locmem email backends fit.
 */
export const SETTINGS_FILES = {
  base: "__name__/settings/base.py",
  production: "__name__/settings/production.py",
} as const;

/** The root URL configuration, relative to the project folder. */
export const URLS_FILE = "__name__/urls.py";

/**
 * `INSTALLED_APPS` in base.py: allauth after Django's own apps and before the project's.
 * Order matters between the two: `allauth.account` needs `allauth`.
 */
export const INSTALLED_APPS: ListEntries = {
  entries: ['"allauth"', '"allauth.account"'],
  after: '"django.contrib.staticfiles"',
  thirdParty: true,
};

/**
 * `MIDDLEWARE` in base.py: allauth's account middleware needs `request.user`, so it
 * comes after Django's authentication middleware.
 * https://docs.allauth.org/en/latest/installation/quickstart.html
 */
export const MIDDLEWARE: ListEntries = {
  entries: ['"allauth.account.middleware.AccountMiddleware"'],
  after: '"django.contrib.auth.middleware.AuthenticationMiddleware"',
};

/**
 * `TEMPLATES[0]["OPTIONS"]["context_processors"]` in base.py: allauth's templates need
 * the request processor, which a generated project already has (a no-op then; restored
 * if the user removed it).
 */
export const CONTEXT_PROCESSORS = {
  path: ["TEMPLATES", 0, "OPTIONS", "context_processors"],
  entries: ['"django.template.context_processors.request"'],
} as const satisfies { path: readonly (string | number)[]; entries: readonly string[] };

/**
 * `AUTHENTICATION_BACKENDS` in base.py. A generated project does not define it (Django's
 * default is ModelBackend alone): then `setting` is written as the first setting of the
 * {@link BASE_SETTINGS} section. A project that defines it gets `entries` added instead,
 * keeping its own backends.
 */
export const AUTHENTICATION_BACKENDS: ListEntries & { readonly setting: Setting } = {
  entries: ['"allauth.account.auth_backends.AuthenticationBackend"'],
  setting: {
    name: "AUTHENTICATION_BACKENDS",
    value: [
      "[",
      '    "django.contrib.auth.backends.ModelBackend",',
      '    "allauth.account.auth_backends.AuthenticationBackend",',
      "]",
    ].join("\n"),
    comment: [
      "Django's backend signs staff in to the admin; allauth's signs people in to the site",
      "with their email address.",
      "https://docs.djangoproject.com/en/5.2/ref/settings/#authentication-backends",
    ].join("\n"),
  },
};

const ALLAUTH_ACCOUNT_DOCS = "https://docs.allauth.org/en/latest/account/configuration.html";

/**
 * The settings added to base.py, in one section after the file's last one.
 * {@link AUTHENTICATION_BACKENDS}'s `setting` goes first in it when the project has none.
 */
export const BASE_SETTINGS: SettingsSection = {
  title: "ACCOUNTS",
  comment: [
    "Sign-up, sign-in, email verification and password reset by django-allauth, with the",
    "email address as the only identifier. Its pages are under /accounts/.",
    "https://docs.allauth.org/en/latest/",
  ].join("\n"),
  settings: [
    {
      name: "LOGIN_URL",
      value: '"account_login"',
      comment: [
        "Where @login_required sends visitors who are not signed in.",
        "https://docs.djangoproject.com/en/5.2/ref/settings/#login-url",
      ].join("\n"),
    },
    {
      name: "LOGIN_REDIRECT_URL",
      value: '"profile"',
      comment: [
        "Where signing in leads when no next page was asked for.",
        "https://docs.djangoproject.com/en/5.2/ref/settings/#login-redirect-url",
      ].join("\n"),
    },
    {
      name: "LOGOUT_REDIRECT_URL",
      value: '"account_login"',
      comment: [
        'Where signing out leads: the sign-in page, which shows "You have signed out."',
        "https://docs.djangoproject.com/en/5.2/ref/settings/#logout-redirect-url",
      ].join("\n"),
    },
    {
      name: "ACCOUNT_USER_MODEL_USERNAME_FIELD",
      value: "None",
      comment: ["The user model has no username field.", ALLAUTH_ACCOUNT_DOCS].join("\n"),
    },
    {
      name: "ACCOUNT_LOGIN_METHODS",
      value: '{"email"}',
      comment: ["People sign in with their email address.", ALLAUTH_ACCOUNT_DOCS].join("\n"),
    },
    {
      name: "ACCOUNT_SIGNUP_FIELDS",
      value: '["email*", "password1*", "password2*"]',
      comment: [
        "The sign-up form asks for an email address and the password twice (* = required).",
        ALLAUTH_ACCOUNT_DOCS,
      ].join("\n"),
    },
    {
      name: "ACCOUNT_EMAIL_VERIFICATION",
      value: '"mandatory"',
      comment: [
        "No sign-in before the address is confirmed through the link mailed at sign-up.",
        ALLAUTH_ACCOUNT_DOCS,
      ].join("\n"),
    },
  ],
};

/**
 * production.py reads `os.environ` directly for the SMTP password (as it does for
 * SECRET_KEY); a generated project imports it already.
 */
export const PRODUCTION_IMPORTS: readonly string[] = ["import os"];

/**
 * The settings added to production.py: links in emails use https, allauth's rate limits
 * count clients rather than the proxy in front, and mail goes out by SMTP with every
 * value from the environment (or to files, on a staging server, with EMAIL_BACKEND).
 * Every variable has a default, so a project that sets none still starts and passes
 * `check --deploy`; .env.example documents them ({@link ENV_VARIABLES}).
 */
export const PRODUCTION_SETTINGS: readonly SettingsSection[] = [
  {
    title: "ACCOUNTS",
    comment: "https://docs.allauth.org/en/latest/",
    settings: [
      {
        name: "ACCOUNT_DEFAULT_HTTP_PROTOCOL",
        value: '"https"',
        comment: [
          "Links in emails (confirmation, password reset) use https.",
          "https://docs.allauth.org/en/latest/common/https.html",
        ].join("\n"),
      },
      {
        name: "ALLAUTH_TRUSTED_PROXY_COUNT",
        value: 'env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)',
        comment: [
          "allauth's rate limits count attempts per client address. Behind proxies, set the",
          "number of them that append to X-Forwarded-For (1 behind one load balancer), or",
          "every visitor shares the proxy's address and its limits. Only proxies you control:",
          "a client can send any X-Forwarded-For.",
          "https://docs.allauth.org/en/latest/common/configuration.html",
        ].join("\n"),
      },
    ],
  },
  {
    title: "EMAIL",
    comment: [
      "SMTP, configured from the environment. EMAIL_BACKEND may name another backend, e.g.",
      "the file-based one on a staging server that must not send real mail.",
      "https://docs.djangoproject.com/en/5.2/topics/email/",
    ].join("\n"),
    settings: [
      {
        name: "EMAIL_BACKEND",
        value: [
          "env.str(",
          '    "EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"',
          ")",
        ].join("\n"),
        comment: "https://docs.djangoproject.com/en/5.2/ref/settings/#email-backend",
      },
      {
        name: "EMAIL_HOST",
        value: 'env.str("EMAIL_HOST", default="localhost")',
        comment: "https://docs.djangoproject.com/en/5.2/ref/settings/#email-host",
      },
      {
        name: "EMAIL_PORT",
        value: 'env.int("EMAIL_PORT", default=587)',
        comment: "https://docs.djangoproject.com/en/5.2/ref/settings/#email-port",
      },
      {
        name: "EMAIL_HOST_USER",
        value: 'env.str("EMAIL_HOST_USER", default="")',
        comment: "https://docs.djangoproject.com/en/5.2/ref/settings/#email-host-user",
      },
      {
        name: "EMAIL_HOST_PASSWORD",
        value: 'os.environ.get("EMAIL_HOST_PASSWORD", "")',
        comment: [
          'Read as is, like SECRET_KEY: django-environ would take a password starting with "$"',
          "for a reference to another variable.",
          "https://docs.djangoproject.com/en/5.2/ref/settings/#email-host-password",
        ].join("\n"),
      },
      {
        name: "EMAIL_USE_TLS",
        value: 'env.bool("EMAIL_USE_TLS", default=True)',
        comment: [
          "STARTTLS, usually on port 587. For implicit TLS (port 465) use EMAIL_USE_SSL",
          "instead: only one of the two may be on.",
          "https://docs.djangoproject.com/en/5.2/ref/settings/#email-use-tls",
        ].join("\n"),
      },
      {
        name: "EMAIL_USE_SSL",
        value: 'env.bool("EMAIL_USE_SSL", default=False)',
        comment: "https://docs.djangoproject.com/en/5.2/ref/settings/#email-use-ssl",
      },
      {
        name: "EMAIL_TIMEOUT",
        value: 'env.int("EMAIL_TIMEOUT", default=10)',
        comment: [
          "Seconds before an unresponsive mail server fails the request instead of holding",
          "a worker.",
          "https://docs.djangoproject.com/en/5.2/ref/settings/#email-timeout",
        ].join("\n"),
      },
      {
        name: "EMAIL_FILE_PATH",
        value: 'env.str("EMAIL_FILE_PATH", default="") or BASE_DIR / "sent-emails"',
        comment: [
          "Where the file-based backend writes each message; unused by SMTP.",
          "https://docs.djangoproject.com/en/5.2/ref/settings/#email-file-path",
        ].join("\n"),
      },
      {
        name: "DEFAULT_FROM_EMAIL",
        value: 'env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")',
        comment: [
          "The sender of the site's emails: an address your mail server may send from.",
          "https://docs.djangoproject.com/en/5.2/ref/settings/#default-from-email",
        ].join("\n"),
      },
    ],
  },
];

/**
 * `from django.urls import include, path` merged into the root URLconf's imports, the
 * decorator that secures the admin's login, then the profile view.
 */
export const URL_IMPORTS: readonly string[] = [
  "from allauth.account.decorators import secure_admin_login",
  "from django.urls import include, path",
  "from .users.views import profile",
];

/**
 * Top-level statements of the root URLconf: the admin's login page hands over to
 * allauth's, so staff sign in with its rate limits and, with MFA, their second factor.
 * https://docs.allauth.org/en/latest/common/admin.html
 */
export const URL_STATEMENTS: readonly string[] = ["admin.site.login = secure_admin_login(admin.site.login)"];

/**
 * Added to `urlpatterns` of the root URLconf, in order: the page that requires sign-in
 * (where signing in leads), then allauth's pages under /accounts/ (with MFA installed,
 * they include its pages under /accounts/2fa/).
 */
export const URL_PATTERNS: readonly string[] = [
  'path("accounts/profile/", profile, name="profile")',
  'path("accounts/", include("allauth.urls"))',
];

/** Appended to `.env.example`, in order: the variables the production settings above read. */
export const ENV_VARIABLES: readonly EnvSection[] = [
  {
    title: "Accounts (production)",
    variables: [
      {
        name: "ALLAUTH_TRUSTED_PROXY_COUNT",
        value: "1",
        comment: [
          "Proxies you control in front of the site that append the client's address to",
          "X-Forwarded-For (1 behind one load balancer; 0 without a proxy). Sign-in and sign-up",
          "rate limits count per client address, which this tells apart from the proxy's.",
        ].join("\n"),
      },
    ],
  },
  {
    title: "Email (production)",
    variables: [
      {
        name: "DEFAULT_FROM_EMAIL",
        value: "noreply@example.com",
        comment: [
          "Sender of the site's emails (sign-up confirmations, password resets): an address",
          "your mail server may send from, optionally with a name, as in",
          "Example <noreply@example.com>.",
        ].join("\n"),
      },
      {
        name: "EMAIL_BACKEND",
        value: "django.core.mail.backends.smtp.EmailBackend",
        comment: [
          "How mail is sent: SMTP, with the settings below. On a staging server that must not",
          "send real mail, django.core.mail.backends.filebased.EmailBackend writes each",
          "message to a file in EMAIL_FILE_PATH instead.",
        ].join("\n"),
      },
      {
        name: "EMAIL_HOST",
        value: "smtp.example.com",
        comment: "Host name of the SMTP server.",
      },
      {
        name: "EMAIL_PORT",
        value: "587",
        comment: "Port of the SMTP server: usually 587 with EMAIL_USE_TLS, 465 with EMAIL_USE_SSL.",
      },
      {
        name: "EMAIL_HOST_USER",
        value: "",
        comment: "User name on the SMTP server; empty for a server that needs no sign-in.",
      },
      {
        name: "EMAIL_HOST_PASSWORD",
        value: "",
        comment: "Password on the SMTP server, read as is (even when it starts with $).",
      },
      {
        name: "EMAIL_USE_TLS",
        value: "True",
        comment: [
          "Upgrade the connection with STARTTLS. At most one of EMAIL_USE_TLS and",
          "EMAIL_USE_SSL may be True.",
        ].join("\n"),
      },
      {
        name: "EMAIL_USE_SSL",
        value: "False",
        comment: "Connect with implicit TLS instead, as port 465 expects.",
      },
      {
        name: "EMAIL_TIMEOUT",
        value: "10",
        comment: "Seconds to wait for the SMTP server before giving up.",
      },
      {
        name: "EMAIL_FILE_PATH",
        value: "",
        comment: "Folder of the file-based backend's messages; empty: sent-emails/ in the project.",
      },
    ],
  },
];

/** What the `mfa` option (default false) adds: TOTP authenticator apps and recovery codes. */
export interface MfaEdits {
  /** Replaces {@link AUTH_DEPENDENCY}: the `mfa` extra brings qrcode (and fido2). */
  readonly dependency: string;
  /** Added to INSTALLED_APPS right after `"allauth.account"`. */
  readonly installedApps: ListEntries;
  /** Added to base.py's ACCOUNTS section ({@link BASE_SETTINGS}), after its settings. */
  readonly settings: readonly Setting[];
  /**
   * Added to a list of base.py's CONTENT_SECURITY_POLICY, when the project defines that
   * setting (a project without a policy needs no exception).
   */
  readonly contentSecurityPolicy: {
    readonly setting: string;
    readonly path: readonly (string | number)[];
    readonly entries: readonly string[];
  };
  /** Files of `files/` (as project paths, after rendering) written only with `mfa`. */
  readonly files: readonly string[];
}

/** The `mfa` option's edits. allauth.urls includes the MFA pages (/accounts/2fa/) by itself. */
export const MFA: MfaEdits = {
  dependency: `django-allauth[mfa]${ALLAUTH_VERSION_RANGE}`,
  installedApps: { entries: ['"allauth.mfa"'], after: '"allauth.account"', thirdParty: true },
  settings: [
    {
      name: "MFA_SUPPORTED_TYPES",
      value: '["totp", "recovery_codes"]',
      comment: [
        "Two-factor authentication, which each user turns on from their account page: codes",
        "from an authenticator app (TOTP), and single-use recovery codes.",
        "https://docs.allauth.org/en/latest/mfa/configuration.html",
      ].join("\n"),
    },
  ],
  /**
   * The authenticator app's QR code on the activation page is an `<img>` whose source is
   * a `data:` URI (an SVG made on the server), which the policy's `img-src 'self'`
   * would block.
   */
  contentSecurityPolicy: {
    setting: "CONTENT_SECURITY_POLICY",
    path: ["CONTENT_SECURITY_POLICY", "DIRECTIVES", "img-src"],
    entries: ['"data:"'],
  },
  files: ["tests/test_mfa.py"],
};
