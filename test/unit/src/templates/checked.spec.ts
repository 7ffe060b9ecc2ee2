import { normalize } from "@angular-devkit/core";
import { callRule, HostTree, SchematicContext } from "@angular-devkit/schematics";
import { lastValueFrom, of } from "rxjs";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  checkTemplates,
  isCheckedRender,
  sampleValues,
  VALUE_CLASSES,
} from "../../../../src/templates/checked";
import { randomSecretKey } from "../../../../src/templates/secret-key";
import { renderEntry, renderTemplate } from "../../../../src/templates/render";
import * as pythonParserModule from "../../../../src/editors/python/parser";
import { contentProblem, validateTree } from "../../../../src/rules/validate-tree";
import { PACKAGE_ROOT } from "../../../../src/base/version";

const SCHEMATICS = join(PACKAGE_ROOT, "schematics");

describe("checked templates", () => {
  it("draws every sample from its own class", () => {
    for (const [key, valueClass] of Object.entries(VALUE_CLASSES)) {
      for (const sample of valueClass.samples) {
        expect(valueClass.isMember(sample)).withContext(`${key} = ${sample}`).toBeTrue();
      }
    }
    expect(VALUE_CLASSES["secretKey"]?.isMember(randomSecretKey())).toBeTrue();
    expect(VALUE_CLASSES["name"]?.isMember("import")).toBeFalse();
    expect(VALUE_CLASSES["secretKey"]?.isMember(`"${randomSecretKey().slice(1)}`)).toBeFalse();
  });

  it("tries each sample of each inserted value once, holding the others at their first, with every member of each flag", () => {
    const samples = sampleValues();
    const classes = Object.values(VALUE_CLASSES);
    const inserted = classes.filter((valueClass) => valueClass.flag !== true);
    const flags = classes.filter((valueClass) => valueClass.flag === true);
    expect(samples.length).toBe(
      inserted.reduce((sum, valueClass) => sum + valueClass.samples.length, 0) *
        flags.reduce((product, valueClass) => product * valueClass.samples.length, 1),
    );
    expect(new Set(samples.map((values) => values["teams"]))).toEqual(new Set(["", "teams"]));
    expect(new Set(samples.map((values) => values["secretKey"])).size).toBe(
      VALUE_CLASSES["secretKey"]?.samples.length ?? 0,
    );
  });

  describe("at build time", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "qs-checked-"));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    function template(path: string, content: string): void {
      const file = join(dir, "demo", "files", path);
      mkdirSync(join(file, ".."), { recursive: true });
      writeFileSync(file, content);
    }

    it("checks both branches of a flag's condition, and refuses other logic", async () => {
      template("__name__/a.py.template", "<% if (teams) { %>x = 1\n<% } else { %>x = (\n<% } %>");
      template("__name__/b.py.template", "<% if (name) { %>x = 1\n<% } %>");
      const { checked, unchecked, problems } = await checkTemplates(dir, renderTemplate, contentProblem);
      expect(problems.length).toBe(1);
      expect(problems[0]).toContain("demo/files/__name__/a.py.template");
      expect(problems[0]).toContain('"teams":""');
      expect(checked).toEqual([]);
      expect(unchecked).toEqual(["demo/files/__name__/b.py.template"]);
    });

    it("records templates whose every sample render parses", async () => {
      template("__name__/apps.py.template", 'name = "<%= name %>"\nimport <%= name %>.settings\n');
      template("static.yml", "a: [1, 2]\n");
      const { checked, problems } = await checkTemplates(dir, renderTemplate, contentProblem);
      expect(problems).toEqual([]);
      expect(checked.length).toBe(2);
    });

    it("refuses a template that breaks for one sample, naming it and the values", async () => {
      // A hexadecimal literal for the first names ("0xa", "0xa0_b9"), a syntax error for "match".
      template("__name__/local.py.template", "X = 0x<%= name %>\n");
      template("ok.toml", 'a = "b"\n');
      const { checked, problems } = await checkTemplates(dir, renderTemplate, contentProblem);
      expect(checked.length).toBe(1);
      expect(problems.length).toBe(1);
      expect(problems[0]).toMatch(
        /^demo\/files\/__name__\/local\.py\.template with \{.*"name":"match".*\}: line 1: /,
      );
    });

    it("leaves templates with logic or values of no known class unchecked, without rendering them", async () => {
      template("logic.py.template", 'X = <%= name.length === 7 ? "(" : "1" %>\n');
      template("title.py.template", 'TITLE = "<%= title %>"\n');
      template("plain.py.template", 'NAME = "<%= name %>"\n');
      const render = jasmine.createSpy("render", renderTemplate).and.callThrough();
      const { checked, unchecked, problems } = await checkTemplates(dir, render, contentProblem);
      expect(unchecked).toEqual(["demo/files/logic.py.template", "demo/files/title.py.template"]);
      expect(checked.length).toBe(1);
      expect(problems).toEqual([]);
      expect(render.calls.allArgs().every(([path]) => path === "/plain.py.template")).toBeTrue();
    });

    it("refuses YAML that a sample value turns into something else", async () => {
      // A key starting with "*" is a YAML alias to an anchor that does not exist.
      template("conf.yml.template", "key: <%= secretKey %>\n");
      const { problems } = await checkTemplates(dir, renderTemplate, contentProblem);
      expect(problems.length).toBe(1);
    });
  });

  describe("at run time", () => {
    const managePy = readFileSync(join(SCHEMATICS, "core", "files", "manage.py.template"));
    const render = (values: Record<string, string>): Buffer =>
      renderEntry(values)({ path: normalize("/manage.py.template"), content: managePy }).content;

    it("takes a render of a checked template with values of their classes as valid", () => {
      expect(isCheckedRender("/manage.py", render({ name: "shop_api" }))).toBeTrue();
      expect(isCheckedRender("/elsewhere/manage.py", render({ name: "shop_api" }))).toBeTrue();
    });

    it("parses anything else: other values, edited renders, other extensions, unknown values or templates", () => {
      expect(isCheckedRender("/manage.py", render({ name: "Shop-API" }))).toBeFalse();
      expect(isCheckedRender("/manage.py", render({ name: "billing", extra: "x" }))).toBeFalse();
      const edited = Buffer.concat([render({ name: "orders" }), Buffer.from("(\n")]);
      expect(isCheckedRender("/manage.py", edited)).toBeFalse();
      // The same bytes under another extension go to another parser: not covered by the check.
      expect(isCheckedRender("/manage.yml", render({ name: "shop_api" }))).toBeFalse();
      const unknown = renderEntry({ name: "shop" })({
        path: normalize("/x.py.template"),
        content: Buffer.from("import <%= name %>\n"),
      }).content;
      expect(isCheckedRender("/x.py", unknown)).toBeFalse();
    });

    it("lets validateTree skip a checked render but still parse every other file", async () => {
      const parse = spyOn(pythonParserModule, "pythonSyntaxProblem").and.callThrough();
      const tree = new HostTree();
      tree.create("/shop/manage.py", render({ name: "shop" }));
      tree.create("/shop/edited.py", Buffer.concat([render({ name: "shop" }), Buffer.from("x = 1\n")]));
      await lastValueFrom(callRule(validateTree("shop"), of(tree), {} as SchematicContext));
      expect(parse.calls.allArgs().map(([source]) => source.endsWith("x = 1\n"))).toEqual([true]);

      tree.create("/shop/broken.py", Buffer.concat([render({ name: "shop" }), Buffer.from("(\n")]));
      await expectAsync(
        lastValueFrom(callRule(validateTree("shop"), of(tree), {} as SchematicContext)),
      ).toBeRejectedWithError(/Invalid file "\/shop\/broken\.py"/);
    });

    it("matches what the build recorded: every shipped template is checked", async () => {
      const { checked, unchecked, problems } = await checkTemplates(
        SCHEMATICS,
        renderTemplate,
        contentProblem,
      );
      expect(problems).toEqual([]);
      expect(unchecked).toEqual([]);
      const recorded: unknown = JSON.parse(
        readFileSync(join(PACKAGE_ROOT, "dist", "checked-templates.json"), "utf8"),
      );
      expect(recorded).toEqual(checked);
    });

    it("holds for random members too: every shipped template parses with random names and keys", async () => {
      for (let round = 0; round < 3; round++) {
        const values = {
          name: randomName(),
          secretKey: randomSecretKey(),
          teams: round % 2 === 0 ? "" : "teams",
        };
        const { problems } = await checkTemplates(
          SCHEMATICS,
          (path, template) => renderTemplate(path, template, values),
          contentProblem,
        );
        expect(problems).withContext(JSON.stringify(values)).toEqual([]);
      }
    });
  });
});

/** A random valid project name, up to 30 characters. */
function randomName(): string {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const chars = `${letters}0123456789_`;
  for (;;) {
    const length = 1 + Math.floor(Math.random() * 30);
    let name = letters.charAt(Math.floor(Math.random() * letters.length));
    while (name.length < length) {
      name += chars.charAt(Math.floor(Math.random() * chars.length));
    }
    if (VALUE_CLASSES["name"]?.isMember(name) === true) {
      return name;
    }
  }
}
