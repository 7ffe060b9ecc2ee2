import { FlagSpec, parseArgs, UsageError } from "../../../../src/cli/args";

const SPECS: Record<string, FlagSpec> = {
  directory: { type: "string", description: "" },
  "dry-run": { type: "boolean", description: "" },
};

describe("parseArgs", () => {
  it("reads positionals and kebab-case flags", () => {
    expect(parseArgs(["myapp", "--directory", "out", "--dry-run"], SPECS)).toEqual({
      positionals: ["myapp"],
      flags: { directory: "out", "dry-run": true },
    });
  });

  it("treats --flag=false and --no-flag as false (unlike the stock CLI)", () => {
    expect(parseArgs(["--dry-run=false"], SPECS).flags["dry-run"]).toBeFalse();
    expect(parseArgs(["--no-dry-run"], SPECS).flags["dry-run"]).toBeFalse();
    expect(parseArgs(["--dry-run=true"], SPECS).flags["dry-run"]).toBeTrue();
  });

  it("accepts a camelCase spelling as its kebab-case flag instead of crashing", () => {
    expect(parseArgs(["--dryRun"], SPECS).flags["dry-run"]).toBeTrue();
  });

  it("keeps positional names as strings", () => {
    expect(parseArgs(["123"], SPECS).positionals).toEqual(["123"]);
  });

  it("refuses unknown options and wrong types with one line", () => {
    expect(() => parseArgs(["--force"], SPECS)).toThrowMatching(
      (e: unknown) => e instanceof UsageError && e.message === 'Unknown option "--force".',
    );
    expect(() => parseArgs(["-x"], SPECS)).toThrowError(UsageError, 'Unknown option "-x".');
    expect(() => parseArgs(["--directory"], SPECS)).toThrowError(UsageError, /needs a value/);
    expect(() => parseArgs(["--dry-run=maybe"], SPECS)).toThrowError(UsageError, /true or false/);
  });
});
