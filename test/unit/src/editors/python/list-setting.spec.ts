import { addToListSetting, PythonEditError } from "../../../../../src/editors/python";
import { fixture, refusal, replaced } from "./support";

const BASE = fixture("base.py");
const EDITED = fixture("base-edited.py");
const STARTPROJECT = fixture("startproject-settings.py");
const COOKIECUTTER = fixture("cookiecutter.py");

describe("python editors: addToListSetting", () => {
  it("adds apps last in the generated base.py, on their own lines, keeping every other byte", async () => {
    const result = await addToListSetting(BASE, "base.py", "INSTALLED_APPS", [
      '"allauth"',
      '"allauth.account"',
    ]);
    expect(result).toBe(
      replaced(
        BASE,
        '    "myapp.users",\n]',
        '    "myapp.users",\n    "allauth",\n    "allauth.account",\n]',
      ),
    );
  });

  it("changes nothing the second time, however the present entry is spelled", async () => {
    const once = await addToListSetting(BASE, "base.py", "INSTALLED_APPS", ['"allauth"']);
    expect(await addToListSetting(once, "base.py", "INSTALLED_APPS", ['"allauth"'])).toBe(once);
    expect(await addToListSetting(once, "base.py", "INSTALLED_APPS", ["'allauth'", '  "allauth"  '])).toBe(
      once,
    );
    expect(await addToListSetting(BASE, "base.py", "INSTALLED_APPS", ["'django.contrib.auth'"])).toBe(BASE);
  });

  it("adds an entry given twice once", async () => {
    const result = await addToListSetting(BASE, "base.py", "INSTALLED_APPS", ['"allauth"', "'allauth'"]);
    expect(result).toBe(replaced(BASE, '    "myapp.users",\n]', '    "myapp.users",\n    "allauth",\n]'));
  });

  it("puts middleware after a given entry, written as the entries are or as the bare string", async () => {
    const expected = replaced(
      BASE,
      '    "django.contrib.auth.middleware.AuthenticationMiddleware",\n',
      '    "django.contrib.auth.middleware.AuthenticationMiddleware",\n' +
        '    "allauth.account.middleware.AccountMiddleware",\n',
    );
    for (const after of [
      "django.contrib.auth.middleware.AuthenticationMiddleware",
      '"django.contrib.auth.middleware.AuthenticationMiddleware"',
      "'django.contrib.auth.middleware.AuthenticationMiddleware'",
    ]) {
      const result = await addToListSetting(
        BASE,
        "base.py",
        "MIDDLEWARE",
        ['"allauth.account.middleware.AccountMiddleware"'],
        { after },
      );
      expect(result).toBe(expected);
    }
  });

  it("keeps several entries in order after the anchor", async () => {
    const result = await addToListSetting(BASE, "base.py", "INSTALLED_APPS", ['"a"', '"b"'], {
      after: "django.contrib.auth",
    });
    expect(result).toBe(
      replaced(BASE, '    "django.contrib.auth",\n', '    "django.contrib.auth",\n    "a",\n    "b",\n'),
    );
  });

  it("puts an entry before a given one, above the comment lines that introduce it", async () => {
    const result = await addToListSetting(BASE, "base.py", "INSTALLED_APPS", ['"a"', '"b"'], {
      before: "whitenoise.runserver_nostatic",
    });
    expect(result).toBe(
      replaced(
        BASE,
        '    "django.contrib.messages",\n    # Lets WhiteNoise',
        '    "django.contrib.messages",\n    "a",\n    "b",\n    # Lets WhiteNoise',
      ),
    );
  });

  it("refuses an anchor that is not in the list", async () => {
    const error = await refusal(
      addToListSetting(BASE, "base.py", "MIDDLEWARE", ['"x.Middleware"'], { after: "gone.Middleware" }),
    );
    expect(error.message).toBe(
      'base.py:63: expected gone.Middleware in MIDDLEWARE, to put "x.Middleware" after it, found no such entry.',
    );
  });

  it("keeps comments, the user's quote style and order, and adds the missing trailing comma", async () => {
    const result = await addToListSetting(EDITED, "base.py", "INSTALLED_APPS", ["'allauth'"]);
    expect(result).toBe(replaced(EDITED, '    "myapp.blog"\n]', '    "myapp.blog",\n    "allauth",\n]'));
    expect(await addToListSetting(EDITED, "base.py", "INSTALLED_APPS", ['"django_extensions"'])).toBe(EDITED);
  });

  it("knows the entries of += extensions, also under if DEBUG:, and adds to the main list", async () => {
    expect(await addToListSetting(EDITED, "base.py", "INSTALLED_APPS", ['"debug_toolbar"'])).toBe(EDITED);
    expect(
      await addToListSetting(EDITED, "base.py", "MIDDLEWARE", [
        '"debug_toolbar.middleware.DebugToolbarMiddleware"',
      ]),
    ).toBe(EDITED);
    const result = await addToListSetting(EDITED, "base.py", "MIDDLEWARE", ['"x.Middleware"']);
    expect(result).toBe(
      replaced(
        EDITED,
        '    "myapp.middleware.TimingMiddleware",\n]',
        '    "myapp.middleware.TimingMiddleware",\n    "x.Middleware",\n]',
      ),
    );
  });

  it("knows .append(), .extend() and .insert() extensions", async () => {
    const source =
      'APPS = ["a"]\nAPPS.append("b")\nAPPS.extend(["c", "d"])\nAPPS.insert(0, "e")\nAPPS += ("f",)\n';
    for (const entry of ['"b"', '"c"', '"d"', '"e"', '"f"']) {
      expect(await addToListSetting(source, "s.py", "APPS", [entry])).toBe(source);
    }
    expect(await addToListSetting(source, "s.py", "APPS", ['"g"'])).toBe(
      source.replace('["a"]', '["a", "g"]'),
    );
  });

  it("refuses an anchor found only in an extension, which comes after the main list", async () => {
    const error = await refusal(
      addToListSetting(EDITED, "base.py", "INSTALLED_APPS", ['"x"'], { after: "debug_toolbar" }),
    );
    expect(error.found).toBe("it only in a list that comes after INSTALLED_APPS");
  });

  it("adds a multi-line entry at the list's indentation, and knows it however it is laid out", async () => {
    const validator = '{\n    "NAME": "x.Validator",\n    "OPTIONS": {"min_length": 12},\n}';
    const result = await addToListSetting(BASE, "base.py", "AUTH_PASSWORD_VALIDATORS", [validator], {
      before: '{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}',
    });
    expect(result).toBe(
      replaced(
        BASE,
        '    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},\n',
        '    {\n        "NAME": "x.Validator",\n        "OPTIONS": {"min_length": 12},\n    },\n' +
          '    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},\n',
      ),
    );
    const flat = "{'NAME': 'x.Validator', 'OPTIONS': {'min_length': 12}}";
    expect(await addToListSetting(result, "base.py", "AUTH_PASSWORD_VALIDATORS", [flat])).toBe(result);
  });

  it("keeps a single-line list on one line while it fits in 88 columns", async () => {
    const source = 'INSTALLED_APPS = ["django.contrib.auth", "myapp"]  # short\n';
    expect(await addToListSetting(source, "s.py", "INSTALLED_APPS", ['"allauth"'])).toBe(
      'INSTALLED_APPS = ["django.contrib.auth", "myapp", "allauth"]  # short\n',
    );
    expect(await addToListSetting(source, "s.py", "INSTALLED_APPS", ['"allauth"'], { before: "myapp" })).toBe(
      'INSTALLED_APPS = ["django.contrib.auth", "allauth", "myapp"]  # short\n',
    );
    expect(await addToListSetting("APPS = []\n", "s.py", "APPS", ['"a"'])).toBe('APPS = ["a"]\n');
  });

  it("explodes a single-line list one item per line, with a trailing comma, when it grows past 88 columns", async () => {
    const source =
      'X = 1\nINSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "myapp"]\nY = 2\n';
    expect(await addToListSetting(source, "s.py", "INSTALLED_APPS", ['"allauth.account"'])).toBe(
      "X = 1\nINSTALLED_APPS = [\n" +
        '    "django.contrib.admin",\n    "django.contrib.auth",\n    "myapp",\n    "allauth.account",\n]\nY = 2\n',
    );
  });

  it("explodes a single-line list that already had a magic trailing comma", async () => {
    expect(await addToListSetting('APPS = ["a",]\n', "s.py", "APPS", ['"b"'])).toBe(
      'APPS = [\n    "a",\n    "b",\n]\n',
    );
  });

  it("lays out a list whose items hang after the bracket one item per line, keeping its comments", async () => {
    const source = 'APPS = ["a",  # first\n        "b", "c"]\n';
    expect(await addToListSetting(source, "s.py", "APPS", ['"d"'])).toBe(
      'APPS = [\n    "a",  # first\n    "b",\n    "c",\n    "d",\n]\n',
    );
  });

  it("adds to an empty multi-line list at one indentation level deeper", async () => {
    expect(await addToListSetting("APPS = [\n]\n", "s.py", "APPS", ['"a"'])).toBe('APPS = [\n    "a",\n]\n');
    expect(await addToListSetting("APPS = [\n    # none yet\n]\n", "s.py", "APPS", ['"a"'])).toBe(
      'APPS = [\n    # none yet\n    "a",\n]\n',
    );
  });

  it("keeps a trailing comment after the last item with that item", async () => {
    const source = 'APPS = [\n    "a",  # the first\n    # "b",\n]\n';
    expect(await addToListSetting(source, "s.py", "APPS", ['"c"'])).toBe(
      'APPS = [\n    "a",  # the first\n    "c",\n    # "b",\n]\n',
    );
  });

  it("adds to tuple settings: a one-item tuple keeps its comma rule, an empty one gets one", async () => {
    expect(await addToListSetting('APPS = ("a",)\n', "s.py", "APPS", ['"b"'])).toBe('APPS = ("a", "b")\n');
    expect(await addToListSetting("APPS = ()\n", "s.py", "APPS", ['"a"'])).toBe('APPS = ("a",)\n');
    expect(await addToListSetting('APPS = (\n    "a",\n)\n', "s.py", "APPS", ['"b"'])).toBe(
      'APPS = (\n    "a",\n    "b",\n)\n',
    );
  });

  it("keeps Django's single quotes in startproject's settings.py and writes new items in double quotes", async () => {
    const result = await addToListSetting(STARTPROJECT, "settings.py", "INSTALLED_APPS", ['"allauth"']);
    expect(result).toBe(
      replaced(
        STARTPROJECT,
        "    'django.contrib.staticfiles',\n]",
        "    'django.contrib.staticfiles',\n    \"allauth\",\n]",
      ),
    );
    expect(await addToListSetting(result, "settings.py", "INSTALLED_APPS", ["'allauth'"])).toBe(result);
  });

  it("keeps CRLF line endings", async () => {
    const crlf = BASE.replace(/\n/g, "\r\n");
    const result = await addToListSetting(crlf, "base.py", "INSTALLED_APPS", ['"allauth"']);
    expect(result).toBe(
      replaced(crlf, '    "myapp.users",\r\n]', '    "myapp.users",\r\n    "allauth",\r\n]'),
    );
    expect(await addToListSetting(result, "base.py", "INSTALLED_APPS", ['"allauth"'])).toBe(result);
    const single =
      'A = 1\r\nAPPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes"]\r\n';
    expect(await addToListSetting(single, "s.py", "APPS", ['"allauth"'])).toBe(
      'A = 1\r\nAPPS = [\r\n    "django.contrib.admin",\r\n    "django.contrib.auth",\r\n' +
        '    "django.contrib.contenttypes",\r\n    "allauth",\r\n]\r\n',
    );
  });

  describe("with settings split cookiecutter-django's way", () => {
    it("adds to THIRD_PARTY_APPS when the caller names it", async () => {
      const result = await addToListSetting(COOKIECUTTER, "base.py", "THIRD_PARTY_APPS", ['"django_htmx"']);
      expect(result).toBe(
        replaced(
          COOKIECUTTER,
          '    "allauth.socialaccount",\n]',
          '    "allauth.socialaccount",\n    "django_htmx",\n]',
        ),
      );
    });

    it("knows the apps of the other lists of the sum, and the sum's extensions", async () => {
      const source = `${COOKIECUTTER}INSTALLED_APPS += ["debug_toolbar"]\n`;
      for (const app of ['"django.contrib.sites"', '"my_awesome_project.users"', '"debug_toolbar"']) {
        expect(await addToListSetting(source, "base.py", "THIRD_PARTY_APPS", [app])).toBe(source);
      }
      // "after" an app of a list that comes before: anywhere in this one will do.
      const after = await addToListSetting(COOKIECUTTER, "base.py", "THIRD_PARTY_APPS", ['"x"'], {
        after: "django.contrib.auth",
      });
      expect(after).toBe(
        replaced(
          COOKIECUTTER,
          '    "allauth.socialaccount",\n]',
          '    "allauth.socialaccount",\n    "x",\n]',
        ),
      );
    });

    it("refuses to guess which list of INSTALLED_APPS = A + B + C to add to, naming the line and the lists", async () => {
      const error = await refusal(
        addToListSetting(COOKIECUTTER, "base.py", "INSTALLED_APPS", ['"django_htmx"']),
      );
      expect(error).toEqual(jasmine.any(PythonEditError));
      expect(error.message).toBe(
        "base.py:38: expected a top-level INSTALLED_APPS = [...], found INSTALLED_APPS = DJANGO_APPS + " +
          "THIRD_PARTY_APPS + LOCAL_APPS, a sum of lists (name one of DJANGO_APPS, THIRD_PARTY_APPS, LOCAL_APPS " +
          "as the setting).",
      );
    });

    it("adds third-party apps to THIRD_PARTY_APPS when the caller says they are third-party", async () => {
      const options = { thirdParty: true, after: '"django.contrib.staticfiles"' };
      const result = await addToListSetting(
        COOKIECUTTER,
        "base.py",
        "INSTALLED_APPS",
        ['"django_htmx"'],
        options,
      );
      expect(result).toBe(
        replaced(
          COOKIECUTTER,
          '    "allauth.socialaccount",\n]',
          '    "allauth.socialaccount",\n    "django_htmx",\n]',
        ),
      );
      // Right after an app of that list; nothing the second time; apps of the other lists are known.
      const mfa = await addToListSetting(
        COOKIECUTTER,
        "base.py",
        "INSTALLED_APPS",
        ['"allauth.usersessions"'],
        {
          thirdParty: true,
          after: '"allauth.account"',
        },
      );
      expect(mfa).toBe(
        replaced(
          COOKIECUTTER,
          '    "allauth.account",\n',
          '    "allauth.account",\n    "allauth.usersessions",\n',
        ),
      );
      expect(await addToListSetting(result, "base.py", "INSTALLED_APPS", ['"django_htmx"'], options)).toBe(
        result,
      );
      expect(
        await addToListSetting(
          COOKIECUTTER,
          "base.py",
          "INSTALLED_APPS",
          ['"my_awesome_project.users"'],
          options,
        ),
      ).toBe(COOKIECUTTER);
    });

    it("adds the project's own apps to LOCAL_APPS when the caller says they are the project's", async () => {
      const result = await addToListSetting(COOKIECUTTER, "base.py", "INSTALLED_APPS", ['"shop.billing"'], {
        projectApps: true,
      });
      expect(result).toBe(
        replaced(
          COOKIECUTTER,
          '    "my_awesome_project.users",\n',
          '    "my_awesome_project.users",\n    "shop.billing",\n',
        ),
      );
      expect(
        await addToListSetting(result, "base.py", "INSTALLED_APPS", ['"shop.billing"'], {
          projectApps: true,
        }),
      ).toBe(result);
    });

    it("still refuses third-party apps when no list, or more than one, is named for them", async () => {
      for (const sum of ["DJANGO_APPS + LOCAL_APPS", "THIRD_PARTY_APPS + LOCAL_APPS + THIRDPARTY_EXTRA"]) {
        const source = `DJANGO_APPS = []\nTHIRD_PARTY_APPS = []\nTHIRDPARTY_EXTRA = []\nLOCAL_APPS = []\nINSTALLED_APPS = ${sum}\n`;
        const error = await refusal(
          addToListSetting(source, "base.py", "INSTALLED_APPS", ['"allauth"'], { thirdParty: true }),
        );
        expect(error.message).toContain(`found INSTALLED_APPS = ${sum}, a sum of lists (name one of`);
      }
    });

    it("changes nothing when every entry is already in one of the lists of the sum", async () => {
      expect(
        await addToListSetting(COOKIECUTTER, "base.py", "INSTALLED_APPS", ['"allauth"', '"django.forms"']),
      ).toBe(COOKIECUTTER);
    });
  });

  it("adds to the list literal of a sum, knowing the lists around it", async () => {
    const source = 'BASE_APPS = ["a"]\nAPPS = BASE_APPS + [\n    "b",\n] + ["c"]\n';
    expect(await addToListSetting(source, "s.py", "APPS", ['"a"', '"c"'])).toBe(source);
    expect(await addToListSetting(source, "s.py", "APPS", ['"d"'])).toBe(
      'BASE_APPS = ["a"]\nAPPS = BASE_APPS + [\n    "b",\n    "d",\n] + ["c"]\n',
    );
  });

  describe("refuses, with the line of the offending code", () => {
    it("a setting that is not assigned", async () => {
      const error = await refusal(addToListSetting("DEBUG = True\n", "base.py", "INSTALLED_APPS", ['"a"']));
      expect(error.message).toBe(
        "base.py:1: expected a top-level INSTALLED_APPS = [...], found no assignment.",
      );
      expect([error.file, error.line, error.expected, error.found]).toEqual([
        "base.py",
        1,
        "a top-level INSTALLED_APPS = [...]",
        "no assignment",
      ]);
    });

    it("a setting only extended here (local.py style), unless the entry is already there", async () => {
      const local = 'from .base import *\n\nDEBUG = True\nINSTALLED_APPS += ["debug_toolbar"]\n';
      expect(await addToListSetting(local, "local.py", "INSTALLED_APPS", ['"debug_toolbar"'])).toBe(local);
      const error = await refusal(addToListSetting(local, "local.py", "INSTALLED_APPS", ['"allauth"']));
      expect(error.message).toBe(
        "local.py:4: expected a top-level INSTALLED_APPS = [...], found only extensions of INSTALLED_APPS " +
          "(its list is defined elsewhere).",
      );
    });

    it("a setting assigned twice with =", async () => {
      const source = 'INSTALLED_APPS = ["a"]\nDEBUG = True\nINSTALLED_APPS = ["b"]\n';
      const error = await refusal(addToListSetting(source, "s.py", "INSTALLED_APPS", ['"c"']));
      expect(error.message).toBe(
        "s.py:3: expected INSTALLED_APPS assigned once with = (and extended with +=), " +
          "found a second assignment (the first is at line 1).",
      );
    });

    it("a setting assigned again inside a block, or only there", async () => {
      const twice = 'APPS = ["a"]\nif DEBUG:\n    APPS = ["a", "b"]\n';
      expect((await refusal(addToListSetting(twice, "s.py", "APPS", ['"c"']))).message).toBe(
        "s.py:3: expected APPS assigned once with = (and extended with +=), " +
          "found a second assignment inside an if block (the first is at line 1).",
      );
      const only = 'try:\n    APPS = ["a"]\nexcept ImportError:\n    pass\n';
      expect((await refusal(addToListSetting(only, "s.py", "APPS", ['"c"']))).message).toBe(
        "s.py:2: expected a top-level APPS = ..., found an assignment only inside a try block.",
      );
    });

    it("a list built by a call or any other expression", async () => {
      const call = "from .apps import get_apps\n\nINSTALLED_APPS = get_apps()\n";
      expect((await refusal(addToListSetting(call, "s.py", "INSTALLED_APPS", ['"a"']))).message).toBe(
        "s.py:3: expected a top-level INSTALLED_APPS = [...], found a call to get_apps.",
      );
      const comprehension = 'APPS = [app for app in OTHER if app != "x"]\n';
      expect((await refusal(addToListSetting(comprehension, "s.py", "APPS", ['"a"']))).found).toBe(
        "a list comprehension",
      );
      expect((await refusal(addToListSetting('APPS = "a", "b"\n', "s.py", "APPS", ['"a"']))).found).toBe(
        "a tuple without parentheses",
      );
    });

    it("a list that spreads another", async () => {
      const source = 'BASE = ["a"]\nAPPS = [\n    *BASE,\n    "x",\n]\n';
      expect((await refusal(addToListSetting(source, "s.py", "APPS", ['"y"']))).message).toBe(
        "s.py:3: expected a top-level APPS = [...] of entries written out, found a list that spreads *BASE.",
      );
    });

    it("chained and unpacking assignments", async () => {
      expect((await refusal(addToListSetting('A = APPS = ["a"]\n', "s.py", "APPS", ['"b"']))).found).toBe(
        "a chained assignment A = APPS = ...",
      );
      expect((await refusal(addToListSetting('APPS, B = ["a"], 1\n', "s.py", "APPS", ['"b"']))).found).toBe(
        "an unpacking assignment",
      );
    });

    it("an extension before the assignment", async () => {
      const source = 'APPS += ["a"]\nAPPS = ["b"]\n';
      expect((await refusal(addToListSetting(source, "s.py", "APPS", ['"c"']))).message).toBe(
        "s.py:1: expected APPS extended after its assignment (line 2), found an extension before it.",
      );
    });

    it("a file that does not parse", async () => {
      const source = 'DEBUG = True\nINSTALLED_APPS = [\n    "a"\n    "b",,\n]\n';
      const error = await refusal(addToListSetting(source, "base.py", "INSTALLED_APPS", ['"c"']));
      expect(error.line).toBe(4);
      expect(error.expected).toBe("valid Python");
      expect(error.message).toMatch(/^base\.py:4: expected valid Python, found a syntax error at .+\.$/);
    });
  });

  it("rejects an entry that is not one Python expression (the caller's bug, not a refusal)", async () => {
    await expectAsync(
      addToListSetting(BASE, "base.py", "INSTALLED_APPS", ['"a", "b"']),
    ).toBeRejectedWithError(/is not a single Python expression/);
    await expectAsync(addToListSetting(BASE, "base.py", "INSTALLED_APPS", ["x ="])).toBeRejectedWithError(
      /is not a single Python expression/,
    );
  });
});
