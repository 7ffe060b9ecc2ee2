import { conflictBlock } from "../../../../src/cli/update-command";

describe("update's conflict block", () => {
  it("names each file and how to resolve it", () => {
    const block = conflictBlock(["shop/settings/base.py", "README.md"], false);
    expect(block).toContain("2 files changed by you and by the release on the same lines:");
    expect(block).toContain("  shop/settings/base.py\n  README.md\n");
    expect(block).toContain("<<<<<<<");
  });

  it("abandons the update by discarding every change after the clean-tree check", () => {
    expect(conflictBlock(["README.md"], false)).toContain("git checkout -- . && git clean -fd");
  });

  it("never advises discarding the whole tree after --allow-dirty, which left the user's changes in it", () => {
    const block = conflictBlock(["README.md"], true);
    expect(block).not.toContain("git checkout -- .");
    expect(block).not.toContain("git clean");
    expect(block).toContain("git checkout -- <file>");
    expect(block).toContain("CREATE");
  });
});
