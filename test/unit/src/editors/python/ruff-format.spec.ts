import {
  addImport,
  addModuleStatement,
  addToListSetting,
  addToNestedList,
  addUrlPattern,
  setSetting,
} from "../../../../../src/editors/python";
import { ensureVenv } from "../../../../e2e/support/python-env";
import { fixture, replaced, ruffBinary, ruffFormatDiff } from "./support";

const CONTEXT_PROCESSORS = ["TEMPLATES", 0, "OPTIONS", "context_processors"] as const;

/** The user-edited base.py as ruff leaves it (the fixture keeps a single quote and a missing comma on purpose). */
function editedFormatted(): string {
  return replaced(
    replaced(fixture("base-edited.py"), "'django_extensions',", '"django_extensions",'),
    '"myapp.blog"\n',
    '"myapp.blog",\n',
  );
}

/** Outputs of every editor, from sources ruff leaves unchanged. */
async function outputs(): Promise<Record<string, string>> {
  const base = fixture("base.py");
  let settings = await addToListSetting(base, "base.py", "INSTALLED_APPS", [
    '"allauth"',
    '"allauth.account"',
  ]);
  settings = await addToListSetting(
    settings,
    "base.py",
    "MIDDLEWARE",
    ['"allauth.account.middleware.AccountMiddleware"'],
    {
      after: "django.contrib.auth.middleware.AuthenticationMiddleware",
    },
  );
  settings = await addToListSetting(settings, "base.py", "INSTALLED_APPS", ['"first"'], {
    before: "whitenoise.runserver_nostatic",
  });
  settings = await addToNestedList(settings, "base.py", CONTEXT_PROCESSORS, [
    '"django.template.context_processors.debug"',
  ]);
  settings = await setSetting(settings, "base.py", "DEBUG", "True");
  settings = await setSetting(settings, "base.py", "ACCOUNT_LOGIN_METHODS", '{"email"}', {
    comment: "ALLAUTH\nhttps://docs.allauth.org/en/latest/account/configuration.html",
  });
  settings = await setSetting(
    settings,
    "base.py",
    "ACCOUNT_SIGNUP_FORM_CLASS",
    '"myapp.users.forms.SignupFormWithAVeryLongNameIndeedOfMoreThan88"',
  );
  settings = await setSetting(
    settings,
    "base.py",
    "SOCIALACCOUNT_PROVIDERS",
    '{"google": {"SCOPE": ["profile", "email"], "AUTH_PARAMS": {"access_type": "online"}}}',
  );
  settings = await addImport(settings, "base.py", "import sentry_sdk");
  settings = await addToListSetting(settings, "base.py", "AUTH_PASSWORD_VALIDATORS", [
    '{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}}',
    '{\n    "NAME": "myapp.users.validators.NotTheEmailValidator",\n}',
  ]);

  const edited = editedFormatted();
  let editedOut = await addToListSetting(edited, "base.py", "INSTALLED_APPS", ['"allauth"']);
  editedOut = await addToNestedList(editedOut, "base.py", CONTEXT_PROCESSORS, [
    '"django.contrib.auth.context_processors.auth"',
    '"django.contrib.messages.context_processors.messages"',
  ]);
  editedOut = await addToListSetting(editedOut, "base.py", "MIDDLEWARE", ['"x.Middleware"'], {
    before: "django.middleware.clickjacking.XFrameOptionsMiddleware",
  });

  let urls = await addImport(fixture("urls.py"), "urls.py", "from django.urls import include");
  urls = await addImport(urls, "urls.py", "from django.conf import settings");
  urls = await addUrlPattern(urls, "urls.py", 'path("accounts/", include("allauth.urls"))');
  urls = await addUrlPattern(
    urls,
    "urls.py",
    'path("accounts/social/connections/", include("allauth.socialaccount.urls"), name="social")',
  );

  const crlf = await addToListSetting(base.replace(/\n/g, "\r\n"), "base.py", "INSTALLED_APPS", [
    '"allauth"',
  ]);

  return {
    "base.py after every editor": settings,
    "edited base.py": editedOut,
    "urls.py": urls,
    "urls.py with a module statement": await addModuleStatement(
      urls,
      "urls.py",
      "admin.site.login = secure_admin_login(admin.site.login)",
    ),
    "urls.py split into includes": await addUrlPattern(
      fixture("urls-split.py"),
      "urls.py",
      'path("accounts/", include("allauth.urls"))',
    ),
    "cookiecutter THIRD_PARTY_APPS": await addToListSetting(
      fixture("cookiecutter.py"),
      "base.py",
      "THIRD_PARTY_APPS",
      ['"django_htmx"'],
    ),
    "local.py": await setSetting(fixture("local.py"), "local.py", "ACCOUNT_EMAIL_VERIFICATION", '"none"', {
      comment: "ALLAUTH",
    }),
    "CRLF base.py": crlf,
    "single-line list that fits": await addToListSetting('APPS = ["a", "b"]\n', "s.py", "APPS", ['"c"']),
    "single-line list that grows too long": await addToListSetting(
      'INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "myapp"]\n',
      "s.py",
      "INSTALLED_APPS",
      ['"allauth.account"'],
    ),
    "one-line TEMPLATES": await addToNestedList(
      'TEMPLATES = [{"OPTIONS": {"context_processors": ["a.request"]}}]\n',
      "s.py",
      CONTEXT_PROCESSORS,
      ['"django.template.context_processors.debug"'],
    ),
    "one-item tuple": await addToListSetting('APPS = ("a",)\n', "s.py", "APPS", ['"b"']),
    "long entry into an empty list": await addUrlPattern(
      "urlpatterns = []\n",
      "urls.py",
      'path("accounts/social/connections/", include("allauth.socialaccount.urls"))',
    ),
    "import parenthesized": await addImport(
      "from django.urls import include, path, re_path, register_converter, reverse\n",
      "urls.py",
      "from django.urls import reverse_lazy",
    ),
    "import into a parenthesized one": await addImport(
      "from django.urls import (\n    path,  # routes\n    re_path,\n)\n",
      "urls.py",
      "from django.urls import include",
    ),
    "first import after a docstring": await addImport(
      '"""Settings."""\n\nDEBUG = True\n',
      "s.py",
      "import os",
    ),
    "setting after a function": await setSetting(
      "X = 1\n\n\ndef callback(request):\n    return True\n",
      "s.py",
      "A",
      "1",
    ),
    "setting before local overrides": await setSetting(
      "DEBUG = False\n\ntry:\n    from .local import *  # noqa: F403\nexcept ImportError:\n    pass\n",
      "s.py",
      "A",
      "1",
      { comment: "A" },
    ),
  };
}

/**
 * ruff 0.17.6 from a venv the e2e specs made, or a small cached venv of its own (made once,
 * so that these checks run, rather than being skipped, on a fresh machine and in CI).
 */
async function ruffForSpecs(): Promise<string> {
  return ruffBinary() ?? (await ensureVenv(["ruff==0.17.6"])).bin("ruff");
}

describe("python editors: ruff format", () => {
  it("leaves every output unchanged (ruff 0.17.6, line length 88)", async () => {
    const ruff = await ruffForSpecs();
    // The sources themselves are as ruff leaves them, so any difference is the editors'.
    for (const source of ["base.py", "urls.py", "urls-split.py", "cookiecutter.py", "local.py"]) {
      expect(ruffFormatDiff(ruff, fixture(source)))
        .withContext(source)
        .toBe("");
    }
    expect(ruffFormatDiff(ruff, editedFormatted())).withContext("edited base.py, formatted").toBe("");
    for (const [name, output] of Object.entries(await outputs())) {
      expect(ruffFormatDiff(ruff, output)).withContext(name).toBe("");
    }
  }, 120_000);

  it("agrees with ruff on either side of 88 columns (lists, nested lists, calls, values, imports)", async () => {
    const ruff = await ruffForSpecs();
    // One module per kind of edit (ruff runs once for each): each output is a few top-level statements.
    const checks: Record<string, string[]> = { list: [], nested: [], call: [], value: [], import: [] };
    const add = (kind: string, output: string): void => {
      checks[kind]?.push(output);
    };
    for (let width = 60; width <= 100; width++) {
      const pad = "x".repeat(width - 40);
      const list = `APPS = ["django.contrib.admin", "${pad}"]\n`;
      add("list", await addToListSetting(list, "s.py", "APPS", ['"allauth.account"']));
      const nested = `X = {\n    "key": ["django.contrib", "${pad}"],\n}\n`;
      add("nested", await addToNestedList(nested, "s.py", ["X", "key"], ['"allauth.account"']));
      const route = `path("${pad}/", include("allauth.urls"), name="account")`;
      add("call", await addUrlPattern("urlpatterns = [\n]\n", "urls.py", route));
      add("value", await setSetting("", "s.py", "ACCOUNT_FORM_CLASS", `"${pad}${pad}"`));
      const names = `alpha, beta_${pad}`;
      add("import", await addImport(`from x import ${names}\n`, "s.py", "from x import gamma"));
    }
    for (const [kind, sources] of Object.entries(checks)) {
      expect(sources.length).toBe(41);
      expect(ruffFormatDiff(ruff, sources.join("")))
        .withContext(kind)
        .toBe("");
    }
  }, 120_000);
});
