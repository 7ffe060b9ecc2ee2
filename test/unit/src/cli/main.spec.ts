import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../../src/cli/main";
import { PACKAGE_ROOT, QUICKSCALE_VERSION } from "../../../../src/base/version";

/** `text` matched literally in a regular expression. */
function escape(text: string | undefined): string {
  return (text ?? "(missing)").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The bin's commands run in-process (the e2e specs run the bundled bin as a process; these
 * keep the command code itself in the fast loop and in the coverage figures).
 */
describe("quickscale main()", () => {
  let cwd: string;
  let out: string;
  let err: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), "qs-main-"));
    out = "";
    err = "";
    spyOn(process.stdout, "write").and.callFake((chunk: string | Uint8Array) => {
      out += chunk.toString();
      return true;
    });
    spyOn(process.stderr, "write").and.callFake((chunk: string | Uint8Array) => {
      err += chunk.toString();
      return true;
    });
  });
  afterEach(() => {
    rmSync(cwd, { recursive: true, force: true });
  });

  it("prints help, command help and the version", async () => {
    expect(await main(["--help"], cwd)).toBe(0);
    expect(out).toContain("Usage: quickscale <command>");
    expect(await main(["init", "--help"], cwd)).toBe(0);
    expect(await main(["add", "--help"], cwd)).toBe(0);
    expect(await main(["recover", "--help"], cwd)).toBe(0);
    expect(out).toContain("Usage: quickscale recover");
    out = "";
    expect(await main(["--version"], cwd)).toBe(0);
    expect(out).toBe(`${QUICKSCALE_VERSION}\n`);
    expect(await main([], cwd)).toBe(2);
  });

  it("reports usage mistakes on one line with exit 2 and a hint", async () => {
    expect(await main(["deploy"], cwd)).toBe(2);
    expect(err).toBe('error: Unknown command "deploy". Run "quickscale --help".\n');
    err = "";
    expect(await main(["add", "docker", "--mfa"], cwd)).toBe(2);
    expect(err).toContain('"--mfa" belongs to "quickscale add auth"');
    err = "";
    expect(await main(["recover", "now"], cwd)).toBe(2);
    expect(err).toContain('Run "quickscale recover --help"');
  });

  it("reads add's concerns, their options and help text from collection.json and the schemas", async () => {
    const collection = JSON.parse(readFileSync(join(PACKAGE_ROOT, "collection.json"), "utf8")) as {
      schematics: Record<string, { description: string; schema: string }>;
    };
    const schemaOf = (name: string): { properties: Record<string, { description: string }> } =>
      JSON.parse(readFileSync(join(PACKAGE_ROOT, collection.schematics[name]?.schema ?? ""), "utf8")) as {
        properties: Record<string, { description: string }>;
      };
    expect(await main(["add", "--help"], cwd)).toBe(0);
    for (const name of ["auth", "ci", "docker", "quality"]) {
      expect(out).toMatch(
        new RegExp(`^  ${name} +${escape(collection.schematics[name]?.description)}$`, "m"),
      );
    }
    expect(out).not.toMatch(/^ {2}(init|core|settings) /m);
    expect(out).toMatch(
      new RegExp(`^  --overwrite +${escape(schemaOf("docker").properties["overwrite"]?.description)}$`, "m"),
    );
    expect(out).toMatch(
      new RegExp(
        `Options of auth:\n  --mfa +${escape(schemaOf("auth").properties["mfa"]?.description)}$`,
        "m",
      ),
    );
    out = "";
    expect(await main(["add", "docker", "--help"], cwd)).toBe(0);
    expect(out).toContain("Usage: quickscale add docker [options]");
    expect(out).not.toContain("--mfa");
    out = "";
    expect(await main(["init", "--help"], cwd)).toBe(0);
    expect(out).toContain(schemaOf("init").properties["directory"]?.description);
    expect(out).toContain(schemaOf("init").properties["skipGit"]?.description);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("refuses an option its schema does not allow in one line naming what is allowed, exit 2", async () => {
    expect(await main(["add", "auth", "--mfa=yes"], cwd)).toBe(2);
    expect(err).toBe('error: Option "--mfa" takes true or false, not "yes". Run "quickscale add --help".\n');
    err = "";
    expect(await main(["add", "docker", "--force"], cwd)).toBe(2);
    expect(err).toBe(
      'error: Unknown option "--force": quickscale add docker takes --overwrite, --dry-run, --allow-dirty, --help. Run "quickscale add --help".\n',
    );
    err = "";
    expect(await main(["init", "shop", "--frobnicate"], cwd)).toBe(2);
    expect(err).toBe(
      'error: Unknown option "--frobnicate": quickscale init takes --directory, --skip-git, --dry-run, --help. Run "quickscale init --help".\n',
    );
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("creates a project, previews one, and adds to it", async () => {
    expect(await main(["init", "shop", "--dry-run"], cwd)).toBe(0);
    expect(out).toContain("CREATE shop/manage.py");
    expect(existsSync(join(cwd, "shop"))).toBeFalse();

    expect(await main(["init", "shop", "--skip-git"], cwd)).toBe(0);
    expect(out).toContain("Created shop in ./shop:");
    const project = join(cwd, "shop");
    expect(await main(["add", "quality"], project)).toBe(0);
    expect(out).toContain("Nothing to do: quality is up to date.");

    rmSync(join(project, "Dockerfile"));
    out = "";
    expect(await main(["add", "docker", "--dry-run"], project)).toBe(0);
    expect(out).toContain("CREATE Dockerfile");
    expect(await main(["add", "docker"], project)).toBe(0);
    expect(existsSync(join(project, "Dockerfile"))).toBeTrue();

    writeFileSync(join(project, ".editorconfig"), "root = true\n");
    err = "";
    expect(await main(["add", "quality"], project)).toBe(1);
    expect(err).toContain("+++ .editorconfig");
    expect(err).toContain("--overwrite");
    expect(await main(["add", "quality", "--overwrite"], project)).toBe(0);
    expect(readFileSync(join(project, ".editorconfig"), "utf8")).not.toBe("root = true\n");

    out = "";
    expect(await main(["add", "auth", "--dry-run"], project)).toBe(0);
    expect(out).toContain("UPDATE shop/settings/base.py");
    expect(out).toContain('+    "allauth",');
    expect(await main(["recover"], project)).toBe(0);
    expect(out).toContain("Nothing to recover.");
  });

  it("refuses bad input with one line and exit 1", async () => {
    expect(await main(["init", "Bad-Name"], cwd)).toBe(1);
    expect(err).toMatch(/^error: Invalid project name: .* Try "bad_name"\.\n$/);
    err = "";
    writeFileSync(join(cwd, "taken"), "a file");
    expect(await main(["init", "shop", "--directory", "taken"], cwd)).toBe(1);
    expect(err).toContain("is a file");
    err = "";
    expect(await main(["add", "docker"], cwd)).toBe(1);
    expect(err).toContain("Not a QuickScale project");
  });
});
