import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { listFiles, sha256 } from "./files";

/** The development key line of `<name>/settings/local.py`: the one line that differs per project. */
const LOCAL_KEY_LINE = /^SECRET_KEY = "django-insecure-[^"\n]{50}"( {2}# noqa: S105)?$/m;

/** The key of the project at `dir` named `name`: the `django-insecure-…` value of its local settings. */
export function localSecretKey(dir: string, name: string): string {
  const text = readFileSync(join(dir, name, "settings", "local.py"), "utf8");
  const match = /^SECRET_KEY = "(django-insecure-[^"\n]*)"/m.exec(text);
  if (match?.[1] === undefined) {
    throw new Error(`No SECRET_KEY = "django-insecure-…" line in ${join(dir, name, "settings", "local.py")}`);
  }
  return match[1];
}

/**
 * A file's content with what may differ between two projects of the same name replaced by
 * a placeholder: the key line of the local settings and that file's hash in the manifest.
 * Nothing else is touched, so any other difference still shows.
 */
function withoutSecrets(path: string, content: string, name: string): string {
  const local = `${name}/settings/local.py`;
  if (path === local) {
    return content.replace(LOCAL_KEY_LINE, 'SECRET_KEY = "django-insecure-<key>"$1');
  }
  if (path === ".quickscale.json") {
    const hashLine = new RegExp(
      `^( *"${local.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}": )"sha256-[0-9a-f]{64}"`,
      "m",
    );
    return content.replace(hashLine, '$1"sha256-<hash of the local settings>"');
  }
  return content;
}

/**
 * Every difference between the projects at `expected` and `actual` (both named `name`):
 * files only in one of them, modes, and content, apart from the development key and its
 * hash in `.quickscale.json`. Empty when the trees are identical apart from secrets.
 */
export function treeDifferences(expected: string, actual: string, name: string): string[] {
  const left = listFiles(expected);
  const right = listFiles(actual);
  const differences: string[] = [
    ...left.filter((path) => !right.includes(path)).map((path) => `missing: ${path}`),
    ...right.filter((path) => !left.includes(path)).map((path) => `unexpected: ${path}`),
  ];
  for (const path of left.filter((file) => right.includes(file))) {
    const [a, b] = [join(expected, path), join(actual, path)];
    const [modeA, modeB] = [statSync(a).mode, statSync(b).mode];
    if (modeA !== modeB) {
      differences.push(`mode of ${path}: ${modeA.toString(8)} != ${modeB.toString(8)}`);
    }
    const textA = withoutSecrets(path, readFileSync(a, "utf8"), name).split("\n");
    const textB = withoutSecrets(path, readFileSync(b, "utf8"), name).split("\n");
    const line = textA.findIndex((text, index) => text !== textB[index]);
    if (line !== -1 || textA.length !== textB.length) {
      const at = line === -1 ? Math.min(textA.length, textB.length) : line;
      differences.push(
        `${path} line ${at + 1}: ${JSON.stringify(textA[at] ?? "<end>")} != ${JSON.stringify(textB[at] ?? "<end>")}`,
      );
    }
  }
  return differences;
}

/**
 * What is wrong with a project against its own `.quickscale.json`: a recorded file that is
 * missing or whose hash differs, or a file on disk that the manifest does not record.
 * Empty for a complete project as QuickScale wrote it.
 */
export function manifestProblems(dir: string): string[] {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(join(dir, ".quickscale.json"), "utf8"));
  } catch (error) {
    return [`.quickscale.json: ${error instanceof Error ? error.message : String(error)}`];
  }
  const files =
    typeof manifest === "object" && manifest !== null && "files" in manifest ? manifest.files : undefined;
  if (typeof files !== "object" || files === null) {
    return [".quickscale.json has no files record"];
  }
  const recorded = new Map(Object.entries(files as Record<string, unknown>));
  const onDisk = listFiles(dir).filter((path) => path !== ".quickscale.json");
  const problems = onDisk.filter((path) => !recorded.has(path)).map((path) => `not recorded: ${path}`);
  for (const [path, hash] of recorded) {
    if (!onDisk.includes(path)) {
      problems.push(`missing: ${path}`);
    } else if (sha256(readFileSync(join(dir, path))) !== hash) {
      problems.push(`hash differs: ${path}`);
    }
  }
  return problems;
}

/** Runs `task` on every item with at most `limit` running at once; results in item order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
