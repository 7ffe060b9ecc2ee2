import { ensureSection, h2Headings } from "../../../../../src/editors/markdown/sections";

const README =
  "# shop\n\nIntro.\n\n## Tests\n\n```bash\n## not a heading\npytest\n```\n\n## Deployment\n\nShip it.\n";
const DOCKER = "## Docker\n\n```bash\ndocker compose up\n```\n";

describe("markdown editor", () => {
  it("finds level-2 headings outside fenced code", () => {
    expect(h2Headings(README)).toEqual([
      { title: "Tests", line: 4 },
      { title: "Deployment", line: 11 },
    ]);
  });

  it("inserts a section before the anchor heading, keeping every other byte", () => {
    expect(ensureSection(README, DOCKER, "Deployment")).toBe(
      "# shop\n\nIntro.\n\n## Tests\n\n```bash\n## not a heading\npytest\n```\n\n" +
        "## Docker\n\n```bash\ndocker compose up\n```\n\n## Deployment\n\nShip it.\n",
    );
  });

  it("appends at the end when there is no anchor", () => {
    expect(ensureSection("# shop\n", DOCKER, "Deployment")).toBe(`# shop\n\n${DOCKER}`);
    expect(ensureSection("# shop", DOCKER, "Deployment")).toBe(`# shop\n\n${DOCKER}`);
  });

  it("is idempotent and leaves a section the user edited alone", () => {
    const once = ensureSection(README, DOCKER, "Deployment");
    expect(ensureSection(once, DOCKER, "Deployment")).toBe(once);
    const edited = once.replace("docker compose up", "docker compose up -d");
    expect(ensureSection(edited, DOCKER, "Deployment")).toBe(edited);
  });

  it("keeps CRLF line endings", () => {
    const crlf = README.split("\n").join("\r\n");
    const result = ensureSection(crlf, DOCKER, "Deployment");
    expect(result.replace(/\r\n/g, "")).not.toContain("\n");
    expect(result).toContain("## Docker\r\n\r\n```bash\r\n");
  });

  it("refuses a section without a heading", () => {
    expect(() => ensureSection(README, "no heading\n", "Deployment")).toThrowError(/level-2 heading/);
  });
});
