import {
  AUTHENTICATION_BACKENDS,
  BASE_SETTINGS,
  CONTEXT_PROCESSORS,
  INSTALLED_APPS,
  MIDDLEWARE,
  URL_IMPORTS,
  URL_PATTERNS,
  URL_STATEMENTS,
} from "../../../../../schematics/auth/edits";
import {
  addModuleStatement,
  addToListSetting,
  addToNestedList,
  addUrlPattern,
} from "../../../../../src/editors/python";
import { parserWork } from "../../../../../src/editors/python/parser";
import { addImports, addSettingsSection } from "../../../../../src/editors/python/settings-sections";
import { fixture, replaced } from "./support";

/** `count` comment lines, as a settings file full of explanations has them. */
function commentLines(count: number, indent = ""): string {
  return Array.from(
    { length: count },
    (_, i) => `${indent}# ${i}: a line of explanation, as long as the ones a settings file has.\n`,
  ).join("");
}

const atTheEnd = (comments: (count: number) => string, count: number): string =>
  `${fixture("base.py")}${comments(count)}`;

/** Where comment lines go in base.py and urls.py: at the end, between settings, in a block, as paragraphs. */
const PLACES: Record<
  string,
  (comments: (count: number, indent?: string) => string, count: number) => string
> = {
  "at the end": atTheEnd,
  "between two settings": (comments, count) =>
    replaced(fixture("base.py"), "\nINSTALLED_APPS = [", `\n${comments(count)}INSTALLED_APPS = [`),
  "in an if block": (comments, count) =>
    `${fixture("base.py")}\nif DEBUG:\n    INTERNAL_IPS = ["127.0.0.1"]\n${comments(count, "    ")}`,
  "in paragraphs": (comments, count) =>
    `${fixture("base.py")}${Array.from({ length: count / 10 }, () => `${comments(10)}\n`).join("")}`,
};

/** What `quickscale add auth` does to base.py and urls.py, on the given sources. */
async function addAuth(base: string, urls: string): Promise<string[]> {
  const place = (entries: { after?: string }) =>
    entries.after === undefined ? {} : { after: entries.after };
  let settings = await addToListSetting(
    base,
    "base.py",
    "INSTALLED_APPS",
    INSTALLED_APPS.entries,
    place(INSTALLED_APPS),
  );
  settings = await addToListSetting(settings, "base.py", "MIDDLEWARE", MIDDLEWARE.entries, place(MIDDLEWARE));
  settings = await addToNestedList(settings, "base.py", CONTEXT_PROCESSORS.path, CONTEXT_PROCESSORS.entries);
  settings = await addSettingsSection(settings, "base.py", {
    ...BASE_SETTINGS,
    settings: [AUTHENTICATION_BACKENDS.setting, ...BASE_SETTINGS.settings],
  });
  let routes = await addImports(urls, "urls.py", URL_IMPORTS);
  for (const statement of URL_STATEMENTS) {
    routes = await addModuleStatement(routes, "urls.py", statement);
  }
  for (const pattern of URL_PATTERNS) {
    routes = await addUrlPattern(routes, "urls.py", pattern);
  }
  return [settings, routes];
}

/** The parser's work for `addAuth` on files with `count` comment lines placed by `place`. */
async function workFor(
  place: (comments: (count: number, indent?: string) => string, count: number) => string,
  count: number,
): Promise<{ parses: number; charactersRead: number; sourceLength: number }> {
  const base = place(commentLines, count);
  const urls = replaced(fixture("urls.py"), "\nurlpatterns = [", `\n${commentLines(count)}urlpatterns = [`);
  const before = { ...parserWork };
  await addAuth(base, urls);
  return {
    parses: parserWork.parses - before.parses,
    charactersRead: parserWork.charactersRead - before.charactersRead,
    sourceLength: base.length + urls.length,
  };
}

describe("python editors: cost in the size of the file", () => {
  for (const [where, place] of Object.entries(PLACES)) {
    it(`grows linearly with comment lines ${where} (the parser's reads, not the clock)`, async () => {
      const small = await workFor(place, 200);
      const large = await workFor(place, 800);
      // Four times the comment lines: the same parses, at most about four times the reading.
      expect(large.parses).toBe(small.parses);
      expect(large.charactersRead).toBeLessThanOrEqual(4.5 * small.charactersRead);
      // Each parse reads the source at most twice, whatever its comments.
      expect(large.charactersRead).toBeLessThanOrEqual(2 * large.parses * large.sourceLength);
    }, 120_000);
  }

  it("edits a 5 MB settings file of comments", async () => {
    const count = Math.ceil(5_000_000 / commentLines(1).length);
    const work = await workFor(atTheEnd, count);
    expect(work.sourceLength).toBeGreaterThan(5_000_000);
    expect(work.charactersRead).toBeLessThanOrEqual(2 * work.parses * work.sourceLength);
  }, 120_000);
});
