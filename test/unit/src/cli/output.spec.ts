import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shellQuote, useColour } from "../../../../src/cli/output";

describe("useColour", () => {
  const terminal = { isTTY: true };
  const pipe = { isTTY: false };

  it("colours a terminal only", () => {
    expect(useColour(terminal, { TERM: "xterm-256color" })).toBeTrue();
    expect(useColour(pipe, { TERM: "xterm-256color" })).toBeFalse();
  });

  it("honours TERM=dumb and a non-empty NO_COLOR", () => {
    expect(useColour(terminal, { TERM: "dumb" })).toBeFalse();
    expect(useColour(terminal, { TERM: "xterm", NO_COLOR: "1" })).toBeFalse();
    // no-color.org: an empty NO_COLOR does not count.
    expect(useColour(terminal, { TERM: "xterm", NO_COLOR: "" })).toBeTrue();
  });
});

describe("shellQuote", () => {
  let root: string;
  beforeEach(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), "qs-quote-")));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("leaves a plain path as it is", () => {
    expect(shellQuote("myapp")).toBe("myapp");
    expect(shellQuote("../projects/my_app-2.0")).toBe("../projects/my_app-2.0");
    expect(shellQuote("/srv/app")).toBe("/srv/app");
  });

  for (const folder of ["my project", "it's", "new\nline", "-rf", "$HOME", "`id`", "a;b", "~x", "*", "é"]) {
    it(`makes ${JSON.stringify(folder)} one word for sh`, () => {
      mkdirSync(join(root, folder));
      const shell = spawnSync("sh", ["-c", `cd ${shellQuote(folder)} && pwd -P`], {
        cwd: root,
        encoding: "utf8",
      });
      expect(shell.stderr).toBe("");
      expect(shell.stdout).toBe(`${join(root, folder)}\n`);
    });
  }
});
