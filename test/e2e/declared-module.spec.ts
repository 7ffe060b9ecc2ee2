import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { removeDir, snapshot, tempDir } from "./support/files";
import {
  baseEnv,
  describeRun,
  expectOneLineError,
  expectSuccess,
  REPO_ROOT,
  required,
  run,
  RunResult,
} from "./support/process";

const BUILD_TIMEOUT_MS = 600_000;
const TIMEOUT_MS = 60_000;

/** What a package needs to build and run its bin (no specs: they are not part of a module). */
const PACKAGE_PARTS = [
  "bin",
  "src",
  "schematics",
  "scripts",
  "collection.json",
  "package.json",
  "tsconfig.json",
];

/** A fixture module, as a module author writes one: its folder under schematics/ ... */
const GREETING_FILES: Record<string, string> = {
  "schema.json": JSON.stringify(
    {
      $schema: "http://json-schema.org/draft-07/schema",
      $id: "QuickScale-greeting",
      title: "QuickScale greeting module options",
      type: "object",
      additionalProperties: false,
      properties: {
        language: {
          type: "string",
          description: "The language of the greeting.",
          enum: ["en", "fr"],
          default: "en",
        },
        shout: { type: "boolean", description: "Greet in capitals.", default: false },
        overwrite: { type: "boolean", description: "Replace files you changed.", default: false },
      },
    },
    null,
    2,
  ),
  "index.ts": `import { Rule } from "@angular-devkit/schematics";
import { concern } from "../../src/rules/concern";

interface Schema {
  language?: "en" | "fr";
  shout?: boolean;
  overwrite?: boolean;
}

export default function greeting(options: Schema): Rule {
  const word = options.language === "fr" ? "Bonjour" : "Hello";
  return concern("greeting", options, { values: { greeting: options.shout ? word.toUpperCase() : word } });
}
`,
  "files/GREETING.txt.template": "<%= greeting %>, <%= name %>!\n",
};

/** ... and its line in collection.json. */
const GREETING_ENTRY = {
  description: "A greeting file for the project.",
  factory: "./dist/schematics/greeting/index#default",
  schema: "./schematics/greeting/schema.json",
};

/**
 * Adding a module is a folder under schematics/ plus its line in collection.json: a copy
 * of the package with a fixture module added that way, and nothing else changed, is built
 * as a release is; its bin lists the module in `quickscale add --help` with the options of
 * its schema.json, validates them against it, and adds it to a project.
 */
describe("a module declared by its folder and its line in collection.json", () => {
  let root = "";
  let pkg: string | undefined;

  const quickscale = (args: string[], cwd: string): Promise<RunResult> =>
    run(
      process.execPath,
      [join(required(pkg, "the package copy was not built"), "bin", "quickscale.js"), ...args],
      {
        cwd,
        env: baseEnv(),
        timeoutMs: TIMEOUT_MS,
      },
    );

  beforeAll(async () => {
    root = tempDir("declared-module");
    const copy = join(root, "quickscale");
    for (const part of PACKAGE_PARTS) {
      cpSync(join(REPO_ROOT, part), join(copy, part), { recursive: true });
    }
    symlinkSync(join(REPO_ROOT, "node_modules"), join(copy, "node_modules"));
    for (const [path, text] of Object.entries(GREETING_FILES)) {
      mkdirSync(join(copy, "schematics", "greeting", path, ".."), { recursive: true });
      writeFileSync(join(copy, "schematics", "greeting", path), text);
    }
    const collectionFile = join(copy, "collection.json");
    const collection = JSON.parse(readFileSync(collectionFile, "utf8")) as {
      schematics: Record<string, object>;
    };
    collection.schematics["greeting"] = GREETING_ENTRY;
    writeFileSync(collectionFile, `${JSON.stringify(collection, null, 2)}\n`);

    // Nothing but the module's folder and collection.json differs from the package.
    for (const part of ["bin", "src", "schematics", "scripts"]) {
      const ours = snapshot(join(copy, part)).filter((line) => !line.startsWith("greeting"));
      expect(ours)
        .withContext(part)
        .toEqual(snapshot(join(REPO_ROOT, part)));
    }
    for (const file of ["package.json", "tsconfig.json"]) {
      expect(readFileSync(join(copy, file)))
        .withContext(file)
        .toEqual(readFileSync(join(REPO_ROOT, file)));
    }

    const build = await run("npm", ["run", "build"], {
      cwd: copy,
      env: baseEnv({ npm_config_update_notifier: "false" }),
      timeoutMs: BUILD_TIMEOUT_MS,
    });
    if (build.code !== 0) {
      throw new Error(`The package copy did not build:\n${describeRun(build)}`);
    }
    // The bin must run the factory linked into its bundle, not require the compiled file.
    rmSync(join(copy, "dist", "schematics", "greeting", "index.js"));
    pkg = copy;
  }, BUILD_TIMEOUT_MS);

  afterAll(() => {
    removeDir(root);
  });

  it(
    "is listed by quickscale add --help with its description and options from its schema.json",
    async () => {
      const help = await quickscale(["add", "--help"], root);
      expectSuccess(help);
      expect(help.stdout).toMatch(/^ {2}greeting +A greeting file for the project\.$/m);
      expect(help.stdout).toMatch(/^Options of greeting:$/m);
      expect(help.stdout).toMatch(
        /^ {2}--language <en\|fr> +The language of the greeting\. \(default: en\)$/m,
      );
      expect(help.stdout).toMatch(/^ {2}--shout +Greet in capitals\.$/m);
      const usage = await quickscale(["--help"], root);
      expect(usage.stdout).toContain(
        "Add or refresh auth, billing, ci, docker, greeting, quality, teams in the project here",
      );
    },
    TIMEOUT_MS,
  );

  it(
    "is added to a project with the options given, validated against its schema.json",
    async () => {
      const cwd = tempDir("declared-module-project");
      try {
        expectSuccess(await quickscale(["init", "shop", "--skip-git"], cwd));
        const project = join(cwd, "shop");

        const before = snapshot(project);
        const wrongValue = await quickscale(["add", "greeting", "--language", "de"], project);
        expectOneLineError(wrongValue, { code: 2, message: /"--language" takes one of en, fr, not "de"/ });
        const wrongType = await quickscale(["add", "greeting", "--shout=loudly"], project);
        expectOneLineError(wrongType, { code: 2, message: /"--shout" takes true or false/ });
        const elsewhere = await quickscale(["add", "docker", "--shout"], project);
        expectOneLineError(elsewhere, { code: 2, message: /"--shout" belongs to "quickscale add greeting"/ });
        expect(snapshot(project)).withContext("the project after refused runs").toEqual(before);

        const added = await quickscale(["add", "greeting", "--language", "fr", "--shout"], project);
        expectSuccess(added);
        expect(added.stdout).toContain("CREATE GREETING.txt");
        expect(readFileSync(join(project, "GREETING.txt"), "utf8")).toBe("BONJOUR, shop!\n");
        const manifest = JSON.parse(readFileSync(join(project, ".quickscale.json"), "utf8")) as {
          concerns: Record<string, string>;
        };
        expect(Object.keys(manifest.concerns)).toContain("greeting");

        const again = await quickscale(["add", "greeting", "--language=fr", "--shout"], project);
        expectSuccess(again);
        expect(again.stdout).toContain("Nothing to do: greeting is up to date.");
      } finally {
        removeDir(cwd);
      }
    },
    TIMEOUT_MS,
  );
});
