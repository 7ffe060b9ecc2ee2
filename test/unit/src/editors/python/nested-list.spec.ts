import { addToNestedList } from "../../../../../src/editors/python";
import { fixture, refusal, replaced } from "./support";

const BASE = fixture("base.py");
const EDITED = fixture("base-edited.py");
const STARTPROJECT = fixture("startproject-settings.py");
const CONTEXT_PROCESSORS = ["TEMPLATES", 0, "OPTIONS", "context_processors"] as const;

describe("python editors: addToNestedList", () => {
  it("adds a context processor to TEMPLATES in the generated base.py", async () => {
    const result = await addToNestedList(BASE, "base.py", CONTEXT_PROCESSORS, [
      '"django.template.context_processors.debug"',
    ]);
    expect(result).toBe(
      replaced(
        BASE,
        '                "django.contrib.messages.context_processors.messages",\n',
        '                "django.contrib.messages.context_processors.messages",\n' +
          '                "django.template.context_processors.debug",\n',
      ),
    );
    expect(
      await addToNestedList(result, "base.py", CONTEXT_PROCESSORS, [
        "'django.template.context_processors.debug'",
      ]),
    ).toBe(result);
  });

  it("keeps startproject's single quotes", async () => {
    const result = await addToNestedList(STARTPROJECT, "settings.py", CONTEXT_PROCESSORS, [
      '"myapp.context.site"',
    ]);
    expect(result).toBe(
      replaced(
        STARTPROJECT,
        "                'django.contrib.messages.context_processors.messages',\n",
        "                'django.contrib.messages.context_processors.messages',\n" +
          '                "myapp.context.site",\n',
      ),
    );
  });

  it("explodes a nested single-line list that grows past 88 columns, at its own indentation", async () => {
    const result = await addToNestedList(EDITED, "base.py", CONTEXT_PROCESSORS, [
      '"django.contrib.auth.context_processors.auth"',
    ]);
    expect(result).toBe(
      replaced(
        EDITED,
        '            "context_processors": ["django.template.context_processors.request"],\n',
        '            "context_processors": [\n' +
          '                "django.template.context_processors.request",\n' +
          '                "django.contrib.auth.context_processors.auth",\n' +
          "            ],\n",
      ),
    );
  });

  it("breaks the outermost group of a one-line setting first, as ruff does", async () => {
    const source = 'TEMPLATES = [{"OPTIONS": {"context_processors": ["a.request"]}}]\n';
    expect(
      await addToNestedList(source, "s.py", CONTEXT_PROCESSORS, [
        '"django.template.context_processors.debug"',
      ]),
    ).toBe(
      "TEMPLATES = [\n" +
        "    {\n" +
        '        "OPTIONS": {\n' +
        '            "context_processors": [\n' +
        '                "a.request",\n' +
        '                "django.template.context_processors.debug",\n' +
        "            ]\n" +
        "        }\n" +
        "    }\n" +
        "]\n",
    );
  });

  it("follows negative indexes and the last of duplicated keys, as Python does", async () => {
    const source = 'X = {"a": [1], "b": [[2], [3]], "a": [4]}\n';
    expect(await addToNestedList(source, "s.py", ["X", "a"], ["5"])).toBe(
      'X = {"a": [1], "b": [[2], [3]], "a": [4, 5]}\n',
    );
    expect(await addToNestedList(source, "s.py", ["X", "b", -1], ["5"])).toBe(
      'X = {"a": [1], "b": [[2], [3, 5]], "a": [4]}\n',
    );
  });

  it("works as addToListSetting for a one-step path", async () => {
    expect(await addToNestedList("A = [1]\n", "s.py", ["A"], ["2"])).toBe("A = [1, 2]\n");
  });

  describe("refuses, with the line of the offending code", () => {
    it("a key that does not exist", async () => {
      const error = await refusal(
        addToNestedList(BASE, "base.py", ["TEMPLATES", 0, "OPTIONS", "loaders"], ['"x"']),
      );
      expect(error.message).toBe(
        'base.py:119: expected a key "loaders" in the dict at TEMPLATES[0]["OPTIONS"], found no such key.',
      );
    });

    it("a key missing from a dict that spreads another", async () => {
      const source = 'DATABASES = {"default": {**env.db(), "OPTIONS": {}}}\n';
      expect(
        (await refusal(addToNestedList(source, "s.py", ["DATABASES", "default", "TEST"], ['"x"']))).found,
      ).toBe("no such key written out (the dict spreads another with **)");
    });

    it("a step that is not a literal", async () => {
      const source = 'TEMPLATES = [\n    {\n        "OPTIONS": get_options(),\n    },\n]\n';
      const error = await refusal(addToNestedList(source, "s.py", CONTEXT_PROCESSORS, ['"x"']));
      expect(error.message).toBe(
        's.py:3: expected a dict literal at TEMPLATES[0]["OPTIONS"], found a call to get_options.',
      );
    });

    it("an index past the end, or a target that is not a list", async () => {
      expect(
        (await refusal(addToNestedList(BASE, "base.py", ["TEMPLATES", 1, "OPTIONS"], ['"x"']))).message,
      ).toBe("base.py:114: expected an item 1 in the list at TEMPLATES, found 1 items.");
      expect(
        (await refusal(addToNestedList(BASE, "base.py", ["TEMPLATES", 0, "OPTIONS"], ['"x"']))).message,
      ).toBe('base.py:119: expected a list literal at TEMPLATES[0]["OPTIONS"], found a dict.');
      expect((await refusal(addToNestedList(BASE, "base.py", ["TEMPLATES", "OPTIONS"], ['"x"']))).found).toBe(
        "a list",
      );
    });

    it("a setting that is missing or assigned twice", async () => {
      expect((await refusal(addToNestedList("A = 1\n", "s.py", CONTEXT_PROCESSORS, ['"x"']))).message).toBe(
        "s.py:1: expected a top-level TEMPLATES = ..., found no assignment.",
      );
      const twice = "TEMPLATES = []\nTEMPLATES = []\n";
      expect((await refusal(addToNestedList(twice, "s.py", CONTEXT_PROCESSORS, ['"x"']))).line).toBe(2);
    });
  });
});
