import { UsageError } from "../../../../src/cli/args";
import {
  assertSupportedSchema,
  flagsOfSchema,
  OptionsSchema,
  optionsFromArgs,
  validateOptions,
} from "../../../../src/cli/schema-options";

/** A schema with one option of each kind the bin reads. */
const SCHEMA: OptionsSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    name: {
      type: "string",
      description: "The name.",
      $default: { $source: "argv", index: 0 },
      "x-prompt": "Name?",
    },
    withTests: { type: "boolean", description: "Add tests.", default: false },
    plan: { type: "string", description: "The plan.", enum: ["free", "pro"], default: "free" },
    seats: { type: "integer", description: "Seats." },
    logo: { type: "string", description: "The logo.", "x-placeholder": "file" },
  },
  required: ["name"],
};

describe("schema options", () => {
  it("turns each non-positional property into a kebab-case flag with its help and default", () => {
    expect(flagsOfSchema(SCHEMA)).toEqual({
      "with-tests": { type: "boolean", description: "Add tests." },
      plan: { type: "string", description: "The plan. (default: free)", value: "free|pro" },
      seats: { type: "string", description: "Seats.", value: "seats" },
      logo: { type: "string", description: "The logo.", value: "file" },
    });
  });

  it("builds options from positionals and flags, with the schema's defaults for the rest", () => {
    expect(optionsFromArgs(SCHEMA, ["shop"], { "with-tests": true, seats: "3", "dry-run": true })).toEqual({
      name: "shop",
      withTests: true,
      plan: "free",
      seats: 3,
    });
    expect(optionsFromArgs(SCHEMA, [], {})).toEqual({ withTests: false, plan: "free" });
  });

  it("accepts options that match the schema, and a missing required option it can ask for", () => {
    expect(() => {
      validateOptions(SCHEMA, { name: "shop", withTests: true, plan: "pro", seats: 2 });
    }).not.toThrow();
    expect(() => {
      validateOptions(SCHEMA, { plan: "free" });
    }).not.toThrow();
  });

  it("refuses what the schema does not allow, in one line naming the flag and what it takes", () => {
    const refusal = (options: Record<string, unknown>): string => {
      try {
        validateOptions(SCHEMA, options);
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      return "accepted";
    };
    expect(refusal({ withTests: "yes" })).toBe('Option "--with-tests" takes true or false, not "yes".');
    expect(refusal({ plan: "gold" })).toBe('Option "--plan" takes one of free, pro, not "gold".');
    expect(refusal({ seats: "many" })).toBe('Option "--seats" takes a whole number, not "many".');
    expect(refusal({ seats: 1.5 })).toBe('Option "--seats" takes a whole number, not 1.5.');
    expect(refusal({ name: true })).toBe('Option "<name>" takes a text value, not true.');
    expect(refusal({ force: true })).toBe('Unknown option "--force".');
    const strict: OptionsSchema = { ...SCHEMA, required: ["seats"] };
    expect(() => {
      validateOptions(strict, {});
    }).toThrowError(UsageError, 'Missing option "--seats".');
  });

  it("refuses a schema using JSON Schema it does not validate, naming the file and the keyword", () => {
    const withPattern = {
      ...SCHEMA,
      properties: { slug: { type: "string", pattern: "^[a-z]+$" } },
    } as unknown as OptionsSchema;
    expect(() => {
      assertSupportedSchema(withPattern, "schematics/x/schema.json");
    }).toThrowError(/^schematics\/x\/schema\.json: option "slug" uses unsupported keyword "pattern"/);
    const open = { ...SCHEMA, additionalProperties: true } as unknown as OptionsSchema;
    expect(() => {
      assertSupportedSchema(open, "s.json");
    }).toThrowError(/"additionalProperties": false/);
    const untyped = { ...SCHEMA, properties: { x: { description: "x" } } } as unknown as OptionsSchema;
    expect(() => {
      assertSupportedSchema(untyped, "s.json");
    }).toThrowError(/option "x" needs a "type"/);
    const allOf = { ...SCHEMA, allOf: [] } as unknown as OptionsSchema;
    expect(() => {
      assertSupportedSchema(allOf, "s.json");
    }).toThrowError(/unsupported keyword "allOf"/);
    expect(() => {
      assertSupportedSchema(SCHEMA, "s.json");
    }).not.toThrow();
  });
});
