import { setSetting } from "../../../../../src/editors/python";
import { fixture, refusal, replaced } from "./support";

const BASE = fixture("base.py");
const LOCAL = fixture("local.py");
const PRODUCTION_END =
  'SENTRY_DSN = env.str("SENTRY_DSN", default="")\nif SENTRY_DSN:\n    import sentry_sdk\n\n    sentry_sdk.init(dsn=SENTRY_DSN)\n';

describe("python editors: setSetting", () => {
  it("adds a commented block at the end of base.py after one blank line, and later settings join it", async () => {
    const first = await setSetting(BASE, "base.py", "ACCOUNT_LOGIN_METHODS", '{"email"}', {
      comment:
        "ALLAUTH\n------------------------------------------------------------------------------\n" +
        "https://docs.allauth.org/en/latest/account/configuration.html",
    });
    const second = await setSetting(first, "base.py", "ACCOUNT_EMAIL_VERIFICATION", "'mandatory'");
    expect(second).toBe(
      `${BASE}\n# ALLAUTH\n# ------------------------------------------------------------------------------\n` +
        '# https://docs.allauth.org/en/latest/account/configuration.html\nACCOUNT_LOGIN_METHODS = {"email"}\n' +
        'ACCOUNT_EMAIL_VERIFICATION = "mandatory"\n',
    );
    expect(await setSetting(second, "base.py", "ACCOUNT_LOGIN_METHODS", "{'email'}", { comment: "x" })).toBe(
      second,
    );
  });

  it("keeps the comment's own # lines, and starts a file that was empty", async () => {
    expect(await setSetting("", "s.py", "A", "1", { comment: "# one\n\ntwo" })).toBe(
      "# one\n#\n# two\nA = 1\n",
    );
    expect(await setSetting("X = 1", "s.py", "A", "1")).toBe("X = 1\nA = 1\n");
    expect(await setSetting("X = 1\n\n\n", "s.py", "A", "1", { comment: "a" })).toBe("X = 1\n\n# a\nA = 1\n");
  });

  it("replaces the value of an existing setting in place, keeping its comments", async () => {
    const result = await setSetting(BASE, "base.py", "DEBUG", "True");
    expect(result).toBe(replaced(BASE, "DEBUG = False\n", "DEBUG = True\n"));
    const commented = "# Why.\nDEBUG = False  # not in production\nX: bool = False\n";
    expect(await setSetting(commented, "s.py", "DEBUG", "True")).toBe(
      "# Why.\nDEBUG = True  # not in production\nX: bool = False\n",
    );
    expect(await setSetting(commented, "s.py", "X", "True")).toBe(
      "# Why.\nDEBUG = False  # not in production\nX: bool = True\n",
    );
  });

  it("changes nothing when the value is already the same expression", async () => {
    expect(await setSetting(BASE, "base.py", "ROOT_URLCONF", "'myapp.urls'")).toBe(BASE);
    expect(await setSetting(BASE, "base.py", "STATICFILES_DIRS", "[BASE_DIR/'static',]")).toBe(BASE);
  });

  it("adds after the star import of local.py, and keeps CRLF", async () => {
    const crlf = LOCAL.replace(/\n/g, "\r\n");
    expect(await setSetting(crlf, "local.py", "ACCOUNT_EMAIL_VERIFICATION", '"none"')).toBe(
      `${crlf}ACCOUNT_EMAIL_VERIFICATION = "none"\r\n`,
    );
    expect(await setSetting("from .base import *\n", "local.py", "A", "1")).toBe(
      "from .base import *\n\nA = 1\n",
    );
  });

  it("adds before overrides imported at the end of the module", async () => {
    const source = "DEBUG = False\n\ntry:\n    from .local import *  # noqa\nexcept ImportError:\n    pass\n";
    expect(await setSetting(source, "s.py", "A", "1", { comment: "A" })).toBe(
      "DEBUG = False\n\n# A\nA = 1\n\ntry:\n    from .local import *  # noqa\nexcept ImportError:\n    pass\n",
    );
    expect(await setSetting("X = 1\nfrom .local import *\n", "s.py", "A", "1")).toBe(
      "X = 1\nA = 1\nfrom .local import *\n",
    );
  });

  it("adds after an if block, and two blank lines after a function as ruff wants", async () => {
    expect(await setSetting(PRODUCTION_END, "production.py", "A", "1")).toBe(`${PRODUCTION_END}A = 1\n`);
    const withFunction = "X = 1\n\n\ndef callback(request):\n    return True\n";
    expect(await setSetting(withFunction, "s.py", "A", "1")).toBe(`${withFunction}\n\nA = 1\n`);
    const nested = "if X:\n\n    def f():\n        pass\n";
    expect(await setSetting(nested, "s.py", "A", "1")).toBe(`${nested}\n\nA = 1\n`);
  });

  it("lays out a value too long for one line as ruff would", async () => {
    expect(
      await setSetting(
        "",
        "s.py",
        "ACCOUNT_SIGNUP_FORM_CLASS",
        '"myapp.users.forms.SignupFormWithAVeryLongNameIndeedOfMoreThan88"',
      ),
    ).toBe(
      'ACCOUNT_SIGNUP_FORM_CLASS = (\n    "myapp.users.forms.SignupFormWithAVeryLongNameIndeedOfMoreThan88"\n)\n',
    );
    expect(
      await setSetting(
        "",
        "s.py",
        "SOCIALACCOUNT_PROVIDERS",
        '{"google": {"SCOPE": ["profile", "email"], "AUTH_PARAMS": {"access_type": "online"}}}',
      ),
    ).toBe(
      "SOCIALACCOUNT_PROVIDERS = {\n" +
        '    "google": {"SCOPE": ["profile", "email"], "AUTH_PARAMS": {"access_type": "online"}}\n' +
        "}\n",
    );
    const multiLine = '{\n    "google": {\n        "SCOPE": ["profile", "email"],\n    },\n}';
    expect(await setSetting("X = 1\r\n", "s.py", "P", multiLine)).toBe(
      'X = 1\r\nP = {\r\n    "google": {\r\n        "SCOPE": ["profile", "email"],\r\n    },\r\n}\r\n',
    );
  });

  describe("refuses, with the line of the offending code", () => {
    it("a setting assigned twice", async () => {
      const error = await refusal(setSetting("DEBUG = False\nDEBUG = True\n", "s.py", "DEBUG", "True"));
      expect(error.message).toBe(
        "s.py:2: expected DEBUG assigned once with = (and extended with +=), " +
          "found a second assignment (the first is at line 1).",
      );
    });

    it("a setting assigned only under a condition (adding one would override it)", async () => {
      const source =
        'if env.bool("PROXY"):\n    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")\n';
      const error = await refusal(setSetting(source, "production.py", "SECURE_PROXY_SSL_HEADER", "None"));
      expect(error.message).toBe(
        "production.py:2: expected a top-level SECURE_PROXY_SSL_HEADER = ..., found an assignment only inside an if block.",
      );
    });

    it("a setting only extended here, whose value is defined in the module it extends", async () => {
      const local = 'from .base import *\n\nINSTALLED_APPS += ["debug_toolbar"]\n';
      expect((await refusal(setSetting(local, "local.py", "INSTALLED_APPS", "[]"))).message).toBe(
        "local.py:3: expected a top-level INSTALLED_APPS = ... or no INSTALLED_APPS at all, " +
          "found only extensions of INSTALLED_APPS (its value is defined elsewhere).",
      );
    });

    it("a file that does not parse", async () => {
      const error = await refusal(setSetting("DEBUG = (\n", "s.py", "A", "1"));
      expect([error.file, error.expected]).toEqual(["s.py", "valid Python"]);
    });
  });

  it("rejects a name or value that is not Python (the caller's bug)", async () => {
    await expectAsync(setSetting("", "s.py", "NOT A NAME", "1")).toBeRejectedWithError(
      /is not a Python name/,
    );
    await expectAsync(setSetting("", "s.py", "A", "1 +")).toBeRejectedWithError(
      /is not a single Python expression/,
    );
  });
});
