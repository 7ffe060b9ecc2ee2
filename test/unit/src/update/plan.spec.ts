import { contentHash } from "../../../../src/rules/manifest";
import { mergeFile } from "../../../../src/update/merge-file";
import { neededByRelease, planUpdate, PlanInput } from "../../../../src/update/plan";

const buf = (text: string) => Buffer.from(text);

/** A plan over plain records: `recorded` holds the base texts, hashed as the manifest does. */
function plan(
  base: Record<string, string>,
  ours: Record<string, string>,
  theirs: Record<string, string>,
  history = true,
) {
  const byHash = new Map(Object.values(base).map((text) => [contentHash(text), buf(text)]));
  const input: PlanInput = {
    recorded: Object.fromEntries(Object.entries(base).map(([path, text]) => [path, contentHash(text)])),
    theirs: new Map(Object.entries(theirs).map(([path, text]) => [path, buf(text)])),
    ours: (path) => (path in ours ? buf(ours[path] ?? "") : null),
    base: (hash) => (history ? (byHash.get(hash) ?? null) : null),
    merge: mergeFile,
    fromVersion: "0.1.0",
    toVersion: "0.2.0",
  };
  const result = planUpdate(input);
  return {
    ...result,
    outcome: (path: string) => result.changes.find((change) => change.path === path)?.outcome,
    written: (path: string) => result.writes.get(path)?.toString("utf8"),
  };
}

const OLD = "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\ng = 7\n";
const NEW = "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\ng = 70\n";

describe("planUpdate", () => {
  it("replaces a file the owner never changed, and records the release's hash", () => {
    const result = plan({ "x.py": OLD }, { "x.py": OLD }, { "x.py": NEW });
    expect(result.outcome("x.py")).toBe("replaced");
    expect(result.written("x.py")).toBe(NEW);
    expect(result.recorded["x.py"]).toBe(contentHash(NEW));
  });

  it("merges three-way a file both changed on different lines, keeping the owner's edit", () => {
    const ours = OLD.replace("a = 1", "a = 100");
    const result = plan({ "x.py": OLD }, { "x.py": ours }, { "x.py": NEW });
    expect(result.outcome("x.py")).toBe("merged");
    expect(result.written("x.py")).toBe(NEW.replace("a = 1", "a = 100"));
    // The next update's base is what the release wrote, not the merge.
    expect(result.recorded["x.py"]).toBe(contentHash(NEW));
  });

  it("leaves standard conflict markers where both changed the same lines", () => {
    const ours = OLD.replace("g = 7", "g = 8");
    const result = plan({ "x.py": OLD }, { "x.py": ours }, { "x.py": NEW });
    expect(result.outcome("x.py")).toBe("conflict");
    expect(result.written("x.py")).toContain(
      "<<<<<<< x.py (yours)\ng = 8\n=======\ng = 70\n>>>>>>> x.py (QuickScale 0.2.0)\n",
    );
  });

  it("without the base (no history) only reports a changed file, keeping its record", () => {
    const ours = OLD.replace("a = 1", "a = 100");
    const result = plan(
      { "x.py": OLD, "y.py": OLD },
      { "x.py": ours, "y.py": OLD },
      { "x.py": NEW, "y.py": NEW },
      false,
    );
    expect(result.outcome("x.py")).toBe("kept-changed");
    expect(result.writes.has("x.py")).toBeFalse();
    expect(result.recorded["x.py"]).toBe(contentHash(OLD));
    expect(result.outcome("y.py")).toBe("replaced");
  });

  it("keeps a file the owner deleted deleted, remembered in the manifest, unless the release needs it", () => {
    const migration = "users/migrations/0001_initial.py";
    const result = plan({ "x.py": OLD, [migration]: OLD }, {}, { "x.py": NEW, [migration]: NEW });
    expect(result.outcome("x.py")).toBe("kept-deleted");
    expect(result.writes.has("x.py")).toBeFalse();
    expect(result.recorded["x.py"]).toBe(contentHash(OLD));
    expect(result.outcome(migration)).toBe("restored");
    expect(result.written(migration)).toBe(NEW);
  });

  it("creates the release's new files, and merges an owner's own file at such a path as a conflict", () => {
    const result = plan(
      {},
      { "mine.html": "<p>mine</p>\n" },
      { "new.py": NEW, "mine.html": "<p>theirs</p>\n" },
    );
    expect(result.outcome("new.py")).toBe("created");
    expect(result.outcome("mine.html")).toBe("conflict");
    expect(result.written("mine.html")).toContain("<p>mine</p>");
    expect(result.written("mine.html")).toContain("<p>theirs</p>");
  });

  it("changes nothing, and reports nothing, when the project already holds the release", () => {
    const ours = NEW.replace("a = 1", "a = 100");
    const result = plan(
      { "x.py": NEW, "y.py": NEW },
      { "x.py": ours, "y.py": NEW },
      { "x.py": NEW, "y.py": NEW },
    );
    expect(result.writes.size).toBe(0);
    expect(result.changes).toEqual([]);
  });

  it("reports a file the release no longer writes as the owner's, dropping its record", () => {
    const result = plan({ "old.py": OLD }, { "old.py": OLD }, {});
    expect(result.outcome("old.py")).toBe("dropped");
    expect("old.py" in result.recorded).toBeFalse();
  });

  it("needs Django migrations only", () => {
    expect(neededByRelease("myapp/users/migrations/0001_initial.py")).toBeTrue();
    expect(neededByRelease("myapp/users/migrations/__init__.py")).toBeTrue();
    expect(neededByRelease("templates/index.html")).toBeFalse();
  });
});
