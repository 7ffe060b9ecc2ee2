import { Rule, SchematicContext, SchematicsException, Tree } from "@angular-devkit/schematics";
import { readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { readManifest } from "./manifest";
import { schematicDir } from "../templates/render";

/** Where a project's own templates live (base.py's TEMPLATES DIRS). */
export const TEMPLATES_DIR = "templates";

/** The template every page of a project and of its modules extends. */
export const BASE_TEMPLATE = `${TEMPLATES_DIR}/base.html`;

interface Scan {
  /** Every block, at any depth, in order of appearance. */
  blocks: string[];
  /** The blocks outside any other block: what a child template fills. */
  topLevel: string[];
  /** The template named by `{% extends %}`, when it is a literal. */
  parent: string | undefined;
}

/**
 * Reads the `{% block %}`, `{% endblock %}` and `{% extends %}` tags of a Django template,
 * skipping `{# … #}` and `{% comment %}…{% endcomment %}` (whose content Django ignores).
 * One pass, each character read once or twice: a hostile file cannot make it quadratic
 * (an opening delimiter without its closing one ends the scan).
 */
function scan(template: string): Scan {
  const result: Scan = { blocks: [], topLevel: [], parent: undefined };
  const opener = /{[%#]/g;
  let depth = 0;
  let inComment = false;
  for (let open = opener.exec(template); open !== null; open = opener.exec(template)) {
    const isTag = open[0] === "{%";
    const close = template.indexOf(isTag ? "%}" : "#}", open.index + 2);
    if (close === -1) {
      break;
    }
    opener.lastIndex = close + 2;
    if (!isTag) {
      continue;
    }
    const [tag = "", ...args] = template
      .slice(open.index + 2, close)
      .trim()
      .split(/\s+/);
    if (inComment) {
      inComment = tag !== "endcomment";
    } else if (tag === "comment") {
      inComment = true;
    } else if (tag === "block") {
      const name = args[0] ?? "";
      result.blocks.push(name);
      if (depth === 0) {
        result.topLevel.push(name);
      }
      depth += 1;
    } else if (tag === "endblock") {
      depth = Math.max(0, depth - 1);
    } else if (tag === "extends") {
      result.parent = /^(["'])(.+)\1$/.exec(args.join(" "))?.[2];
    }
  }
  return result;
}

/** The blocks a child template fills: those outside any other of its blocks, in order. */
export function topLevelBlocks(template: string): string[] {
  return scan(template).topLevel;
}

/**
 * Which of `needed` the project's base.html does not define, following its `{% extends %}`
 * to parents in the project's templates folder (a page fills a block that any of them
 * defines). A missing base.html lacks them all.
 */
export function missingBaseBlocks(tree: Tree, needed: readonly string[]): string[] {
  const defined = new Set<string>();
  const seen = new Set<string>();
  let path: string | undefined = BASE_TEMPLATE;
  while (path !== undefined && !seen.has(path) && tree.exists(path)) {
    seen.add(path);
    const { blocks, parent } = scan(tree.readText(path));
    blocks.forEach((name) => defined.add(name));
    path = parent === undefined ? undefined : `${TEMPLATES_DIR}/${parent}`;
  }
  return needed.filter((name) => !defined.has(name));
}

/**
 * The blocks of base.html that a module's own templates fill: the top-level blocks of
 * each template under its `files/templates/` that extends "base.html" directly.
 */
export function blocksFilledBy(filesDir: string): string[] {
  const blocks = new Set<string>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        visit(path);
      } else if (/\.html(\.template)?$/.test(entry.name)) {
        const template = readFileSync(path, "utf8");
        const { parent, topLevel } = scan(template);
        if (parent === "base.html") {
          topLevel.forEach((name) => blocks.add(name));
        }
      }
    }
  };
  visit(join(filesDir, TEMPLATES_DIR));
  return [...blocks];
}

/**
 * A rule that refuses, writing nothing, a project whose base.html lacks a block the
 * module's pages fill (the user renamed `content`, say): Django would render those pages
 * empty, silently. Runs after the manifest check, so a folder that is no project says so.
 */
export function requireBaseBlocks(moduleName: string): Rule {
  return (tree: Tree, context: SchematicContext) => {
    readManifest(tree);
    if (!tree.exists(BASE_TEMPLATE)) {
      const folder = posix.dirname(BASE_TEMPLATE);
      if (tree.exists(folder)) {
        // The same words as the committer's check of a target's folders.
        throw new SchematicsException(
          `"${folder}" is a file where QuickScale needs a folder (to read "${BASE_TEMPLATE}"): rename or remove it, then run again.`,
        );
      }
      throw new SchematicsException(
        `${BASE_TEMPLATE} is missing: the ${moduleName} module's pages extend it. ` +
          `Restore it (git checkout -- ${BASE_TEMPLATE}), then run again.`,
      );
    }
    const missing = missingBaseBlocks(tree, blocksFilledBy(join(schematicDir(context), "files")));
    if (missing.length > 0) {
      const tags = missing.map((name) => `{% block ${name} %}`).join(", ");
      throw new SchematicsException(
        `${BASE_TEMPLATE} has no ${tags}, which the ${moduleName} module's pages fill: ` +
          `add ${missing.length === 1 ? "it" : "them"} back where the page content goes, then run again.`,
      );
    }
  };
}
