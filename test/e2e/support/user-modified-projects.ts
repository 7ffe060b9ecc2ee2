import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Edits a user makes to a generated project before adding a module to it, written as
 * text transformations of the generated files. Each anchor must occur exactly once, so a
 * change of the templates fails here, naming the file and the text that moved, instead
 * of silently testing an unmodified project.
 */

/** A way a user has changed a generated project named `name` in `dir`. */
export interface UserEdits {
  /** What the user did, for the spec's titles. */
  title: string;
  /** Changes the project's files in place. */
  apply(dir: string, name: string): void;
}

/** `text` with its only occurrence of `anchor` replaced by `replacement`. */
export function replaceOnce(text: string, anchor: string, replacement: string, file: string): string {
  const first = text.indexOf(anchor);
  if (first === -1 || text.indexOf(anchor, first + 1) !== -1) {
    throw new Error(
      `${file}: expected exactly one occurrence of ${JSON.stringify(anchor)}, found ${first === -1 ? "none" : "several"}`,
    );
  }
  return text.slice(0, first) + replacement + text.slice(first + anchor.length);
}

/** The text of `file` from the line `start` up to (not including) the line `end`. */
export function sectionOf(text: string, start: string, end: string, file: string): string {
  const from = text.indexOf(`\n${start}\n`);
  const to = from === -1 ? -1 : text.indexOf(`\n${end}\n`, from + 1);
  if (from === -1 || to === -1) {
    throw new Error(`${file}: expected a section from the line ${start} to the line ${end}`);
  }
  return text.slice(from + 1, to + 1);
}

/** Rewrites `relative` in `dir` with `edit` (which is given the text and the file's relative path). */
export function editProjectFile(
  dir: string,
  relative: string,
  edit: (text: string, file: string) => string,
): void {
  const path = join(dir, relative);
  writeFileSync(path, edit(readFileSync(path, "utf8"), relative));
}

/** Writes a new file `relative` in `dir`, with its folders. */
export function writeProjectFile(dir: string, relative: string, content: string): void {
  const path = join(dir, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** The path of a project's base settings, relative to the project folder. */
export function baseSettingsPath(name: string): string {
  return `${name}/settings/base.py`;
}

/** The `INSTALLED_APPS = [...]` statement of the generated base settings, through its `]`. */
function installedAppsList(text: string, file: string): string {
  const start = text.indexOf("\nINSTALLED_APPS = [\n");
  const end = start === -1 ? -1 : text.indexOf("\n]\n", start);
  if (start === -1 || end === -1) {
    throw new Error(`${file}: expected a multi-line INSTALLED_APPS = [...] list`);
  }
  return text.slice(start + 1, end + 3);
}

/**
 * Settings reordered and commented: MIDDLEWARE moved above INSTALLED_APPS, comments inside
 * the lists (before entries, after entries, before the closing bracket) and around them,
 * and lists written on one line where ruff format keeps them so: an
 * AUTHENTICATION_BACKENDS of Django's backend alone, which the module must grow past its
 * line, and a LOGGING formatter folded onto one line.
 */
export const REORDERED_AND_COMMENTED: UserEdits = {
  title: "settings reordered and commented",
  apply: (dir, name) => {
    editProjectFile(dir, baseSettingsPath(name), (original, file) => {
      const apps = sectionOf(original, "# APPS", "# MIDDLEWARE", file);
      const middleware = sectionOf(original, "# MIDDLEWARE", "# DATABASES", file);
      let text = replaceOnce(original, apps + middleware, middleware + apps, file);
      const edits: [string, string][] = [
        // Around and inside MIDDLEWARE.
        [
          "\nMIDDLEWARE = [\n",
          "\n# Order matters: each middleware wraps the ones listed after it.\nMIDDLEWARE = [\n    # Security headers first, for every response.\n",
        ],
        [
          '    "django.contrib.auth.middleware.AuthenticationMiddleware",\n',
          '    "django.contrib.auth.middleware.AuthenticationMiddleware",  # sets request.user\n',
        ],
        [
          '    "django.middleware.clickjacking.XFrameOptionsMiddleware",\n]\n',
          '    "django.middleware.clickjacking.XFrameOptionsMiddleware",\n    # The project\'s own middleware goes last.\n]  # Reviewed for the first release.\n',
        ],
        // Around and inside INSTALLED_APPS.
        [
          "\nINSTALLED_APPS = [\n",
          "\n# Django's apps first, then third-party apps, then the project's.\nINSTALLED_APPS = [\n    # Django\n",
        ],
        [
          '    "django.contrib.staticfiles",\n',
          '    "django.contrib.staticfiles",  # collectstatic and {% static %}\n    # Third-party apps\n',
        ],
        [
          `    "${name}.users",\n]\n`,
          `    # The project\n    "${name}.users",\n    # New apps of the project go here.\n]\n# Keep the apps above in dependency order.\n`,
        ],
        // A list of one entry, on one line.
        [
          '\nAUTH_USER_MODEL = "users.User"\n',
          '\nAUTH_USER_MODEL = "users.User"\n# https://docs.djangoproject.com/en/5.2/ref/settings/#authentication-backends\nAUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]\n',
        ],
        // A dictionary folded onto one line, now that it fits.
        [
          '        "console": {\n            "format": "{asctime} {levelname} {name} {message}",\n            "style": "{",\n        },\n',
          '        "console": {"format": "{asctime} {levelname} {name} {message}", "style": "{"},\n',
        ],
      ];
      for (const [anchor, replacement] of edits) {
        text = replaceOnce(text, anchor, replacement, file);
      }
      return text;
    });
  },
};

/**
 * Extra apps and middleware, in the places their documentation gives: the humanize app
 * among Django's, ConditionalGetMiddleware between the session and common middleware, and the
 * sitemaps app added by a `+=` extension under the main list.
 */
export const EXTRA_APPS_AND_MIDDLEWARE: UserEdits = {
  title: "extra apps and middleware, and an INSTALLED_APPS += extension",
  apply: (dir, name) => {
    editProjectFile(dir, baseSettingsPath(name), (original, file) => {
      let text = replaceOnce(
        original,
        '    "django.contrib.messages",\n',
        '    "django.contrib.messages",\n    "django.contrib.humanize",\n',
        file,
      );
      text = replaceOnce(
        text,
        `    "${name}.users",\n]\n`,
        `    "${name}.users",\n]\n` +
          "# The sitemap framework, for search engines.\n" +
          "# https://docs.djangoproject.com/en/5.2/ref/contrib/sitemaps/\n" +
          'INSTALLED_APPS += ["django.contrib.sitemaps"]\n',
        file,
      );
      return replaceOnce(
        text,
        '    "django.contrib.sessions.middleware.SessionMiddleware",\n',
        '    "django.contrib.sessions.middleware.SessionMiddleware",\n' +
          "    # ETags: a page that did not change is answered 304 Not Modified.\n" +
          "    # https://docs.djangoproject.com/en/5.2/ref/middleware/#module-django.middleware.http\n" +
          '    "django.middleware.http.ConditionalGetMiddleware",\n',
        file,
      );
    });
  },
};

/**
 * URLs split into includes: the site's pages move to `<name>/pages/urls.py`, which the
 * root URLconf includes; the admin stays in the root URLconf.
 */
export const URLS_SPLIT_INTO_INCLUDES: UserEdits = {
  title: "urls split into includes",
  apply: (dir, name) => {
    writeProjectFile(dir, `${name}/pages/__init__.py`, '"""The pages of the site."""\n');
    writeProjectFile(
      dir,
      `${name}/pages/urls.py`,
      [
        '"""URLs of the pages of the site, included by the root URLconf."""',
        "",
        "from django.urls import path",
        "",
        `from ${name} import views`,
        "",
        "urlpatterns = [",
        '    path("", views.index, name="index"),',
        '    path("healthz", views.healthz, name="healthz"),',
        '    path("robots.txt", views.robots_txt, name="robots_txt"),',
        '    path("favicon.ico", views.favicon, name="favicon"),',
        "]",
        "",
      ].join("\n"),
    );
    editProjectFile(dir, `${name}/urls.py`, (original, file) => {
      const docstringEnd = original.indexOf('"""\n', 3);
      if (!original.startsWith('"""') || docstringEnd === -1) {
        throw new Error(`${file}: expected a module docstring`);
      }
      return [
        original.slice(0, docstringEnd + 4),
        "from django.conf import settings",
        "from django.contrib import admin",
        "from django.urls import include, path",
        "",
        "urlpatterns = [",
        "    path(settings.ADMIN_URL, admin.site.urls),",
        "    # The site's pages: the home page, the health check, robots.txt and the icon.",
        `    path("", include("${name}.pages.urls")),`,
        "]",
        "",
      ].join("\n");
    });
  },
};

/**
 * The user's own sign-in settings, set before any auth module: visitors sign in at
 * `/signin/` and land on the home page. The module keeps them, and its tests must hold
 * for them.
 */
export const OWN_LOGIN_URLS: UserEdits = {
  title: "their own LOGIN_URL and LOGIN_REDIRECT_URL",
  apply: (dir, name) => {
    editProjectFile(
      dir,
      baseSettingsPath(name),
      (original) =>
        `${original}\n# Sign-in\n# https://docs.djangoproject.com/en/5.2/ref/settings/#login-url\n` +
        'LOGIN_URL = "/signin/"\nLOGIN_REDIRECT_URL = "index"\n',
    );
  },
};

/**
 * INSTALLED_APPS split cookiecutter-django's way: `DJANGO_APPS + THIRD_PARTY_APPS +
 * LOCAL_APPS`. The module's apps are third-party: they go into THIRD_PARTY_APPS.
 */
export const SPLIT_INSTALLED_APPS: UserEdits = {
  title: "INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS",
  apply: (dir, name) => {
    editProjectFile(dir, baseSettingsPath(name), (original, file) => {
      const list = installedAppsList(original, file);
      let split = replaceOnce(list, "INSTALLED_APPS = [\n", "DJANGO_APPS = [\n", file);
      split = replaceOnce(
        split,
        '    "django.contrib.staticfiles",\n',
        '    "django.contrib.staticfiles",\n]\nTHIRD_PARTY_APPS = [\n',
        file,
      );
      split = replaceOnce(
        split,
        `    "${name}.users",\n]\n`,
        `]\nLOCAL_APPS = [\n    "${name}.users",\n]\nINSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS\n`,
        file,
      );
      return replaceOnce(original, list, split, file);
    });
  },
};

/** Settings a module must refuse to edit, with the line it must name. */
export interface UneditableSettings extends UserEdits {
  /** The 1-based line of base.py the refusal names, in the edited file. */
  line(dir: string, name: string): number;
}

/** The 1-based line of the first line of `file` in `dir` that equals `line`. */
export function lineNumberOf(dir: string, file: string, line: string): number {
  const index = readFileSync(join(dir, file), "utf8").split("\n").indexOf(line);
  if (index === -1) {
    throw new Error(`${file} has no line ${JSON.stringify(line)}`);
  }
  return index + 1;
}

/** INSTALLED_APPS returned by a function defined above it. */
export const INSTALLED_APPS_FROM_A_FUNCTION: UneditableSettings = {
  title: "INSTALLED_APPS built by a function",
  apply: (dir, name) => {
    editProjectFile(dir, baseSettingsPath(name), (original, file) => {
      const list = installedAppsList(original, file);
      const body = list
        .split("\n")
        .slice(1, -2)
        .map((line) => `    ${line}`)
        .join("\n");
      const replacement = [
        "def get_installed_apps() -> list[str]:",
        '    """Django\'s apps, then the project\'s."""',
        "    return [",
        body,
        "    ]",
        "",
        "",
        "INSTALLED_APPS = get_installed_apps()",
        "",
      ].join("\n");
      // ruff format wants two blank lines before a function and its comments.
      const text = replaceOnce(original, "\n\n# APPS\n", "\n\n\n# APPS\n", file);
      return replaceOnce(text, list, replacement, file);
    });
  },
  line: (dir, name) => lineNumberOf(dir, baseSettingsPath(name), "INSTALLED_APPS = get_installed_apps()"),
};

const SECOND_ASSIGNMENT = 'INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.humanize"]';

/** INSTALLED_APPS assigned a second time with `=`, further down. */
export const INSTALLED_APPS_ASSIGNED_TWICE: UneditableSettings = {
  title: "INSTALLED_APPS assigned twice with =",
  apply: (dir, name) => {
    editProjectFile(dir, baseSettingsPath(name), (original, file) => {
      const middleware = "\n# MIDDLEWARE\n";
      return replaceOnce(
        original,
        middleware,
        `\n# Template filters for numbers and dates.\n${SECOND_ASSIGNMENT}\n${middleware}`,
        file,
      );
    });
  },
  line: (dir, name) => lineNumberOf(dir, baseSettingsPath(name), SECOND_ASSIGNMENT),
};
