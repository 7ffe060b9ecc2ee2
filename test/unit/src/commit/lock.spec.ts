import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import {
  acquireProjectLock,
  assertNotLocked,
  LOCK_FILE,
  takeOverStaleLock,
} from "../../../../src/commit/lock";

/** The pid of a process that has ended. */
function deadPid(): number {
  return Number(
    spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" })
      .stdout,
  );
}

function lockOf(pid: number, nonce = "0"): string {
  return JSON.stringify({ quickscale: "lock", pid, host: hostname(), boot: null, start: null, nonce });
}

describe("acquireProjectLock", () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "qs-lock-"));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("is exclusive while held, and gone once released", () => {
    const lock = acquireProjectLock(root);
    expect(() => acquireProjectLock(root)).toThrowError(
      /^Another QuickScale run \(pid \d+ on .+\) is changing this project/,
    );
    expect(() => {
      assertNotLocked(root);
    }).toThrowError(/Another QuickScale run/);
    lock.release();
    expect(readdirSync(root)).toEqual([]);
    acquireProjectLock(root).release();
  });

  it("takes over the lock of a dead process, and a takeover left by a dead process", () => {
    const stale = lockOf(deadPid());
    writeFileSync(join(root, LOCK_FILE), stale);
    // A run that died while taking this lock over: its takeover file names the stale lock.
    const takeover = `${LOCK_FILE}.takeover-${createHash("sha256").update(stale).digest("hex").slice(0, 16)}`;
    writeFileSync(join(root, takeover), lockOf(deadPid(), "1"));
    writeFileSync(join(root, `${LOCK_FILE}.new-${deadPid()}-abcd`), "half");
    const lock = acquireProjectLock(root);
    expect(readdirSync(root)).toEqual([LOCK_FILE]);
    expect(readFileSync(join(root, LOCK_FILE), "utf8")).toContain(`"pid":${process.pid}`);
    lock.release();
    expect(existsSync(join(root, LOCK_FILE))).toBeFalse();
  });

  it("does not trust a lock it cannot read", () => {
    writeFileSync(join(root, LOCK_FILE), "garbage");
    expect(() => acquireProjectLock(root)).toThrowError(
      /is not a lock QuickScale wrote .*delete it, then run again/,
    );
    expect(readFileSync(join(root, LOCK_FILE), "utf8")).toBe("garbage");
  });

  it("never removes a lock another run took over meanwhile (the race, step by step)", () => {
    // Runs A and B both read the same stale lock; A takes it over first and holds it.
    const stale = lockOf(deadPid());
    writeFileSync(join(root, LOCK_FILE), stale);
    const a = acquireProjectLock(root);
    const held = readFileSync(join(root, LOCK_FILE), "utf8");
    // B, late, takes over what it read: it must see that the lock is no longer the stale one.
    takeOverStaleLock(root, stale, lockOf(process.pid, "b"));
    expect(readFileSync(join(root, LOCK_FILE), "utf8")).toBe(held);
    expect(() => acquireProjectLock(root)).toThrowError(/Another QuickScale run/);
    a.release();
    expect(readdirSync(root)).toEqual([]);
  });

  it("refuses while another live run is taking over the same stale lock", () => {
    const stale = lockOf(deadPid());
    writeFileSync(join(root, LOCK_FILE), stale);
    const takeover = `${LOCK_FILE}.takeover-${createHash("sha256").update(stale).digest("hex").slice(0, 16)}`;
    writeFileSync(join(root, takeover), lockOf(process.pid, "a"));
    expect(() => acquireProjectLock(root)).toThrowError(/Another QuickScale run/);
    expect(readFileSync(join(root, LOCK_FILE), "utf8")).toBe(stale);
  });

  it("lets one process at a time in when many race to take over a stale lock", async () => {
    writeFileSync(join(root, LOCK_FILE), lockOf(deadPid()));
    const log = join(root, "..", `${root.split("/").pop() ?? "x"}.log`);
    const go = join(root, "..", `${root.split("/").pop() ?? "x"}.go`);
    // Each child waits for the start signal, takes the lock (or is refused), and while it
    // holds the lock writes "in" then "out" around a pause: overlapping holders would interleave.
    const script = `
      const fs = require("node:fs");
      const { acquireProjectLock } = require(${JSON.stringify(require.resolve("../../../../src/commit/lock"))});
      const sleeper = new Int32Array(new SharedArrayBuffer(4));
      while (!fs.existsSync(${JSON.stringify(go)})) Atomics.wait(sleeper, 0, 0, 2);
      let lock;
      try { lock = acquireProjectLock(${JSON.stringify(root)}); } catch (error) { process.exit(3); }
      fs.appendFileSync(${JSON.stringify(log)}, "in " + process.pid + "\\n");
      Atomics.wait(sleeper, 0, 0, 50);
      fs.appendFileSync(${JSON.stringify(log)}, "out " + process.pid + "\\n");
      lock.release();`;
    const children = Array.from(
      { length: 8 },
      () =>
        new Promise<number | null>((resolve) => {
          spawn(process.execPath, ["-e", script]).on("close", resolve);
        }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    writeFileSync(go, "");
    const codes = await Promise.all(children);
    const lines = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
    rmSync(log, { force: true });
    rmSync(go, { force: true });
    expect(codes.every((code) => code === 0 || code === 3))
      .withContext(codes.join(","))
      .toBeTrue();
    expect(lines.length).toBeGreaterThan(0);
    for (let at = 0; at < lines.length; at += 2) {
      const pid = (lines[at] ?? "").split(" ")[1];
      expect([lines[at], lines[at + 1]])
        .withContext(lines.join("\n"))
        .toEqual([`in ${pid}`, `out ${pid}`]);
    }
    expect(readdirSync(root)).toEqual([]);
  }, 20_000);
});
