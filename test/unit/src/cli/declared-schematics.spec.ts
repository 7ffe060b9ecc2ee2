import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addableSchematics, declaredSchematic } from "../../../../src/cli/declared-schematics";

describe("declared schematics", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "qs-declared-"));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  /** A package root with `schematics`, each with a schema of one boolean option. */
  function collection(schematics: Record<string, object>): void {
    const entries: Record<string, object> = {};
    for (const [name, extra] of Object.entries(schematics)) {
      mkdirSync(join(root, "schematics", name), { recursive: true });
      writeFileSync(
        join(root, "schematics", name, "schema.json"),
        JSON.stringify({
          type: "object",
          additionalProperties: false,
          properties: { [`${name}Only`]: { type: "boolean", description: `${name} option` } },
        }),
      );
      entries[name] = {
        description: `The ${name} schematic.`,
        factory: `./dist/schematics/${name}/index#default`,
        schema: `./schematics/${name}/schema.json`,
        ...extra,
      };
    }
    writeFileSync(join(root, "collection.json"), JSON.stringify({ schematics: entries }));
  }

  it("offers every public schematic of collection.json but init and update to quickscale add, by name", () => {
    collection({
      init: {},
      update: {},
      zebra: {},
      core: { private: true },
      internal: { hidden: true },
      alpha: {},
    });
    const addable = addableSchematics(root);
    expect(addable.map((schematic) => schematic.name)).toEqual(["alpha", "zebra"]);
    expect(addable[1]?.description).toBe("The zebra schematic.");
    expect(Object.keys(addable[1]?.schema.properties ?? {})).toEqual(["zebraOnly"]);
  });

  it("names the schema that uses what the bin cannot validate", () => {
    collection({ odd: {} });
    const schemaFile = join(root, "schematics", "odd", "schema.json");
    const schema = JSON.parse(readFileSync(schemaFile, "utf8")) as { properties: Record<string, object> };
    schema.properties["oddOnly"] = { type: "string", minLength: 2 };
    writeFileSync(schemaFile, JSON.stringify(schema));
    expect(() => declaredSchematic("odd", root)).toThrowError(
      /\.\/schematics\/odd\/schema\.json: option "oddOnly" uses unsupported keyword "minLength"/,
    );
    expect(() => declaredSchematic("missing", root)).toThrowError(
      'collection.json declares no schematic "missing".',
    );
  });

  it("reads init and every module of QuickScale's own collection, each schema within what the bin validates", () => {
    expect(() => declaredSchematic("init")).not.toThrow();
    expect(addableSchematics().map((schematic) => schematic.name)).toEqual([
      "auth",
      "billing",
      "ci",
      "docker",
      "quality",
      "teams",
    ]);
  });
});
