import { lstatSync, readFileSync, realpathSync, statSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join } from "node:path";

/**
 * The folder whose `.git` makes `dir` part of another work tree, or null: read from the file
 * system the way git discovers a repository (`git rev-parse --is-inside-work-tree` without
 * the process), from `dir`'s physical path upwards. Like git it stops below a folder named
 * in GIT_CEILING_DIRECTORIES and at the edge of `dir`'s file system (unless
 * GIT_DISCOVERY_ACROSS_FILESYSTEM is set). It is stricter than git in one way: a
 * repository owned by another user counts (git would refuse to use it, not ignore it).
 */
export function enclosingRepository(dir: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const start = realpathSync(dir);
  const device = statSync(start).dev;
  const ceilings = ceilingDirectories(env);
  const acrossFileSystems = isTrue(env["GIT_DISCOVERY_ACROSS_FILESYSTEM"]);
  for (let current = start; ;) {
    if (holdsRepository(current)) {
      return current;
    }
    const parent = dirname(current);
    if (parent === current || ceilings.has(parent)) {
      return null;
    }
    if (!acrossFileSystems && statSync(parent).dev !== device) {
      return null;
    }
    current = parent;
  }
}

/** A `.git` folder with HEAD, objects and refs, or a `.git` file naming one (`gitdir: …`). */
function holdsRepository(folder: string): boolean {
  const dotGit = join(folder, ".git");
  try {
    const stats = lstatSync(dotGit);
    if (stats.isFile()) {
      return readFileSync(dotGit, "utf8").startsWith("gitdir:");
    }
    const kind = statSync(dotGit);
    return (
      kind.isDirectory() &&
      statSync(join(dotGit, "HEAD")).isFile() &&
      statSync(join(dotGit, "objects")).isDirectory() &&
      statSync(join(dotGit, "refs")).isDirectory()
    );
  } catch {
    return false;
  }
}

/** GIT_CEILING_DIRECTORIES' absolute entries, with symbolic links resolved where they exist. */
function ceilingDirectories(env: NodeJS.ProcessEnv): Set<string> {
  const entries = (env["GIT_CEILING_DIRECTORIES"] ?? "").split(delimiter).filter(isAbsolute);
  return new Set(
    entries.map((entry) => {
      try {
        return realpathSync(entry);
      } catch {
        return entry;
      }
    }),
  );
}

/** Git's reading of a boolean variable: 1, true, yes and on, in any case. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}
