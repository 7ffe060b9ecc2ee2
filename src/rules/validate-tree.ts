import { Rule, SchematicsException, Tree } from "@angular-devkit/schematics";
import { parse as parseToml } from "smol-toml";
import { isCheckedRender } from "../templates/checked";
import { pythonSyntaxProblem } from "../editors/python/parser";
import { messageOf } from "../base/errors";
import { timed } from "../base/profile";

/** Markers the template engine leaves behind when a file escaped rendering. */
const TEMPLATE_MARKERS = /<%[=-]?|%>/;

/**
 * Checks every file the run creates or changes (never the untouched rest of a project)
 * before anything is written (or only those `select` picks): the path stays inside `root`,
 * no template marker is left, and `.py`, `.json`, `.toml`, `.yaml`/`.yml` files parse
 * (a render of a template the build checked is known to). Throws naming the first
 * offending file.
 */
export function validateTree(root: string, select: (tree: Tree) => string[] = touchedPaths): Rule {
  return async (tree: Tree) => {
    const prefix = rootPrefix(root);
    for (const path of select(tree)) {
      assertInside(path, prefix);
      // A render of a template checked at build time parses (see checked-templates.ts).
      if (isCheckedRender(path, tree.read(path) ?? Buffer.alloc(0))) {
        continue;
      }
      const content = tree.readText(path);
      const problem = await timed("validation", () => contentProblem(path, content));
      if (problem !== null) {
        throw new SchematicsException(`Invalid file "${path}": ${problem}.`);
      }
    }
  };
}

/**
 * Checks only that every file the run creates or changes lies inside `root`: the last
 * rule of `init`, whose concerns each validated the contents they created or changed
 * (concern.ts), so parsing them all again would check nothing new.
 */
export function validatePaths(root: string): Rule {
  return (tree: Tree) => {
    const prefix = rootPrefix(root);
    for (const path of touchedPaths(tree)) {
      assertInside(path, prefix);
    }
  };
}

function rootPrefix(root: string): string {
  return root === "" || root === "/" ? "/" : `/${root.replace(/^\/+|\/+$/g, "")}/`;
}

function assertInside(path: string, prefix: string): void {
  if (!path.startsWith(prefix)) {
    throw new SchematicsException(`Invalid file "${path}": it is outside the target "${prefix}".`);
  }
}

/** Paths the tree would create or overwrite, sorted. */
export function touchedPaths(tree: Tree): string[] {
  const paths = new Set<string>();
  for (const action of tree.actions) {
    if (action.kind === "c" || action.kind === "o") {
      paths.add(action.path);
    } else if (action.kind === "r") {
      paths.add(action.to);
    }
  }
  return [...paths].filter((path) => tree.exists(path)).sort();
}

/**
 * The content of each path {@link touchedPaths} gives, in its order. One pass over
 * `tree.actions`, which already carries (a copy of) each created or overwritten file: the
 * rules that snapshot, compare and hash the touched files once per concern read each file
 * once instead of twice. Only a renamed file's content is read from the tree.
 */
export function touchedContents(tree: Tree): Map<string, Buffer> {
  const carried = new Map<string, Buffer | null>();
  for (const action of tree.actions) {
    if (action.kind === "c" || action.kind === "o") {
      carried.set(action.path, action.content);
    } else if (action.kind === "r" && !carried.has(action.to)) {
      carried.set(action.to, null);
    }
  }
  const contents = new Map<string, Buffer>();
  for (const path of [...carried.keys()].sort()) {
    const content = tree.exists(path) ? (carried.get(path) ?? tree.read(path)) : null;
    if (content !== null) {
      contents.set(path, content);
    }
  }
  return contents;
}

/** Why a file's content is not acceptable, or `null`. */
export async function contentProblem(path: string, content: string): Promise<string | null> {
  const marker = TEMPLATE_MARKERS.exec(content);
  if (marker !== null) {
    const line = content.slice(0, marker.index).split("\n").length;
    return `line ${line}: unrendered template marker "${marker[0]}"`;
  }
  try {
    if (path.endsWith(".py")) {
      return await pythonSyntaxProblem(content);
    }
    if (path.endsWith(".json")) {
      JSON.parse(content);
    } else if (path.endsWith(".toml")) {
      parseToml(content);
    } else if (path.endsWith(".yaml") || path.endsWith(".yml")) {
      // Loaded when needed: most runs write only renders of checked YAML templates.
      const { parseAllDocuments } = await import("yaml");
      const errors = parseAllDocuments(content).flatMap((doc) => ("errors" in doc ? doc.errors : []));
      const [first] = errors;
      if (first !== undefined) {
        return firstLine(first.message);
      }
    }
  } catch (error) {
    return firstLine(messageOf(error));
  }
  return null;
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0] ?? text;
}
