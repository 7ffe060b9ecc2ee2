import { guideCommands } from "./support/guide-runner";

const fence = "```";

describe("guideCommands, reading a guide's bash blocks", () => {
  it("keeps a here-document and a continued line whole, skips comments and other languages", () => {
    const guide = [
      `${fence}bash`,
      "# a comment",
      "cd client_a",
      "cat > a.py <<'EOF'",
      "x = 1",
      "",
      "# not a shell comment: part of the file",
      "EOF",
      "git subtree add --prefix=agency \\",
      "  ../toolkit.git main",
      fence,
      "",
      `${fence}text`,
      "not run",
      fence,
    ].join("\n");
    expect(guideCommands(guide).map((command) => command.text)).toEqual([
      "cd client_a",
      "cat > a.py <<'EOF'\nx = 1\n\n# not a shell comment: part of the file\nEOF",
      "git subtree add --prefix=agency \\\n  ../toolkit.git main",
    ]);
  });

  it("reads the exit code and the served path a guide announces", () => {
    const guide = [
      `${fence}bash`,
      "quickscale add auth   # exits 1",
      "python manage.py runserver   # serves /products/ until Ctrl-C",
      "pytest",
      fence,
    ].join("\n");
    expect(guideCommands(guide)).toEqual([
      { text: "quickscale add auth   # exits 1", expectedCode: 1 },
      {
        text: "python manage.py runserver   # serves /products/ until Ctrl-C",
        expectedCode: 0,
        serves: "/products/",
      },
      { text: "pytest", expectedCode: 0 },
    ]);
  });

  it("refuses a here-document that is never closed", () => {
    expect(() => guideCommands(`${fence}bash\ncat > a <<EOF\nx\n${fence}`)).toThrowError(/not closed by EOF/);
  });
});
