import { spawnSync, SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contentHash } from "../rules/manifest";

/**
 * The project's git repository, read and written offline with git's plumbing only. The
 * project folder is untrusted: no command here runs a hook, a filter or an fsmonitor, and
 * paths from the manifest are given to git as literal pathspecs after `--`.
 */
const SAFE = ["-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "--literal-pathspecs"];

/** Where QuickScale keeps what it wrote at its last update, so the next one has a base. */
export const PRISTINE_REF = "refs/quickscale/pristine";

function git(root: string, args: readonly string[], input?: string | Buffer, env?: NodeJS.ProcessEnv) {
  return spawnSync("git", [...SAFE, ...args], {
    cwd: root,
    input,
    env: { ...process.env, GIT_OPTIONAL_LOCKS: "0", GIT_TERMINAL_PROMPT: "0", ...env },
    maxBuffer: 1024 * 1024 * 1024,
  });
}

/** Whether `root` is the top of a git work tree with at least one commit. */
export function hasGitHistory(root: string): boolean {
  const top = git(root, ["rev-parse", "--show-toplevel"]);
  if (top.status !== 0 || top.error !== undefined) {
    return false;
  }
  // A project folder inside another repository has no history of its own.
  if (realpathSync.native(top.stdout.toString("utf8").trim()) !== realpathSync.native(root)) {
    return false;
  }
  return git(root, ["rev-parse", "--verify", "--quiet", "HEAD"]).status === 0;
}

/**
 * The contents QuickScale wrote, found by the manifest's hashes: every blob the given paths
 * ever held in any commit of any ref (the pristine ref included) is read once and kept
 * when its sha256 is one of `hashes`. Returns content by hash; an empty map without history.
 */
export function findRecordedContents(
  root: string,
  paths: readonly string[],
  hashes: ReadonlySet<string>,
): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  if (paths.length === 0 || hashes.size === 0 || !hasGitHistory(root)) {
    return found;
  }
  // Every blob id the paths held: the raw diff of each commit (the root commit against nothing).
  const log = git(root, [
    "log",
    "--all",
    "--no-renames",
    "--no-textconv",
    "--no-ext-diff",
    "--raw",
    "--no-abbrev",
    "--root",
    "--format=",
    "--",
    ...paths,
  ]);
  if (log.status !== 0) {
    return found;
  }
  const blobs = new Set<string>();
  for (const line of log.stdout.toString("utf8").split("\n")) {
    // ":100644 100644 <old> <new> M\tpath"
    const fields = /^:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) /.exec(line);
    if (fields?.[1] !== undefined && !/^0+$/.test(fields[1])) {
      blobs.add(fields[1]);
    }
  }
  if (blobs.size === 0) {
    return found;
  }
  const ids = [...blobs];
  const batch = git(root, ["cat-file", "--batch"], `${ids.join("\n")}\n`);
  if (batch.status !== 0) {
    return found;
  }
  const out = batch.stdout;
  let offset = 0;
  while (offset < out.length) {
    const end = out.indexOf(10, offset);
    if (end < 0) {
      break;
    }
    const header = out.subarray(offset, end).toString("utf8").split(" ");
    offset = end + 1;
    if (header[1] !== "blob") {
      continue; // "<id> missing": a shallow or partial clone
    }
    const size = Number(header[2]);
    const content = out.subarray(offset, offset + size);
    offset += size + 1;
    const hash = contentHash(content);
    if (hashes.has(hash) && !found.has(hash)) {
      found.set(hash, Buffer.from(content));
    }
  }
  return found;
}

/**
 * Records `files` (what this QuickScale writes, whatever the project made of it) as a commit
 * on {@link PRISTINE_REF}, so that the next update finds them as its base even where the
 * project's own commits hold merged content. Without git history it does nothing. Returns
 * whether it recorded them.
 */
export function recordPristine(root: string, files: ReadonlyMap<string, Buffer>, message: string): boolean {
  if (!hasGitHistory(root)) {
    return false;
  }
  const scratch = mkdtempSync(join(tmpdir(), "quickscale-pristine-"));
  try {
    const env = { GIT_INDEX_FILE: join(scratch, "index") };
    const ok = (result: SpawnSyncReturns<Buffer>) => result.status === 0 && result.error === undefined;
    // Every blob written by one git process (one per file cost about 10 ms each): the
    // contents go to numbered files of the scratch folder, whose paths git reads on stdin.
    const paths = [...files.keys()];
    const sources = paths.map((path, index) => {
      const source = join(scratch, `blob-${index}`);
      writeFileSync(source, files.get(path) ?? Buffer.alloc(0));
      return source;
    });
    const blobs = git(
      root,
      ["hash-object", "-w", "--no-filters", "--stdin-paths"],
      `${sources.join("\n")}\n`,
    );
    const ids = blobs.stdout.toString("utf8").trim().split("\n");
    if (!ok(blobs) || ids.length !== paths.length) {
      return false;
    }
    const entries = paths.map((path, index) => `100644 ${ids[index] ?? ""}\t${path}`);
    if (!ok(git(root, ["update-index", "--add", "--index-info"], `${entries.join("\n")}\n`, env))) {
      return false;
    }
    const tree = git(root, ["write-tree"], undefined, env);
    if (!ok(tree)) {
      return false;
    }
    const parent = git(root, ["rev-parse", "--verify", "--quiet", PRISTINE_REF]);
    const parentArgs = parent.status === 0 ? ["-p", parent.stdout.toString("utf8").trim()] : [];
    const identity = {
      GIT_AUTHOR_NAME: "QuickScale",
      GIT_AUTHOR_EMAIL: "quickscale@localhost",
      GIT_COMMITTER_NAME: "QuickScale",
      GIT_COMMITTER_EMAIL: "quickscale@localhost",
    };
    const commit = git(
      root,
      ["commit-tree", tree.stdout.toString("utf8").trim(), ...parentArgs, "-m", message],
      undefined,
      identity,
    );
    return ok(commit) && ok(git(root, ["update-ref", PRISTINE_REF, commit.stdout.toString("utf8").trim()]));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
