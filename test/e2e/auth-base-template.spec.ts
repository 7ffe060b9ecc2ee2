import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { removeDir, snapshot } from "./support/files";
import { generateProject } from "./support/generated-project";
import { describeRun, runBin } from "./support/process";

const NAME = "myapp";
const COMMAND_TIMEOUT_MS = 60_000;

/**
 * `quickscale add auth` on a project whose base.html lost a block the module's pages fill
 * (the user renamed `content`): Django would render those pages empty, so the bin stops
 * with one line on stderr and writes nothing.
 */
describe("quickscale add auth, on a base.html without the blocks its pages fill", () => {
  let root = "";
  let dir = "";

  beforeAll(async () => {
    ({ root, dir } = await generateProject("auth-base-template", NAME));
    const base = join(dir, "templates", "base.html");
    const original = readFileSync(base, "utf8");
    const renamed = original.replace(
      "{% block content %}{% endblock content %}",
      "{% block main %}{% endblock main %}",
    );
    if (renamed === original) {
      throw new Error("base.html has no empty content block to rename");
    }
    writeFileSync(base, renamed);
  }, COMMAND_TIMEOUT_MS);

  afterAll(() => {
    removeDir(root);
  });

  for (const flags of [[], ["--dry-run"]]) {
    it(
      `refuses in one line${flags.length === 0 ? "" : ` with ${flags.join(" ")}`}, naming the block, and writes nothing`,
      async () => {
        const before = snapshot(dir);
        const refused = await runBin(["add", "auth", "--allow-dirty", ...flags], dir);
        expect(refused.code).withContext(describeRun(refused)).toBe(1);
        expect(refused.stdout).withContext(describeRun(refused)).toBe("");
        expect(refused.stderr).toMatch(
          /^error: templates\/base\.html has no {% block content %}, which the auth module's pages fill: [^\n]+\n$/,
        );
        expect(snapshot(dir)).toEqual(before);
      },
      COMMAND_TIMEOUT_MS,
    );
  }
});
