import { normalize } from "@angular-devkit/core";
import { FileEntry, SchematicContext, SchematicsException } from "@angular-devkit/schematics";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { noteRender } from "./checked";
import { compileTemplate } from "./compile";
import type { TemplateValues } from "./values";
import { messageOf } from "../base/errors";

const TEMPLATE_SUFFIX = ".template";

/**
 * The files of the `files/` folder beside the schematic, rendered with `values`.
 *
 * Unlike the stock `applyTemplates`, a path part is replaced only when it names a known
 * value (so `__init__.py` stays `__init__.py`), a failing template is reported with its
 * file name, and a `files/` folder that was not copied next to the compiled factory is an
 * error instead of a silently empty source.
 *
 * Each file is read and rendered in one pass into a list (in path order), which the
 * concern merges into its tree: what `apply(url("./files"), [forEach(...)])` does, without
 * the devkit's file-system host, which reads each file through an rxjs pipeline into a
 * temporary tree, copies it into the source's tree, then renames and overwrites it there,
 * nor a tree of our own to visit again (~8 ms of `init` each). It takes regular files only
 * (that host also followed symbolic links; the build copies templates as files).
 */
export function templateFiles(values: TemplateValues, context: SchematicContext): FileEntry[] {
  const dir = join(schematicDir(context), "files");
  if (!existsSync(dir) || readdirSync(dir).length === 0) {
    throw new SchematicsException(
      `Templates of schematic "${context.schematic.description.name}" are missing at "${dir}": rebuild QuickScale (npm run build).`,
    );
  }
  const render = renderEntry(values);
  const files: FileEntry[] = [];
  for (const file of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (file.isFile()) {
      const full = join(file.parentPath, file.name);
      files.push(
        render({
          path: normalize(`/${relative(dir, full).split(sep).join("/")}`),
          content: readFileSync(full),
        }),
      );
    }
  }
  // In path order, whatever order the file system lists them in.
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The folder of the running schematic's compiled factory, where its assets are copied. */
export function schematicDir(context: SchematicContext): string {
  const description = context.schematic.description;
  const path = "path" in description ? description.path : undefined;
  if (typeof path !== "string") {
    throw new SchematicsException(`Schematic "${description.name}" has no folder.`);
  }
  return path;
}

/** Renders one file: its path always, its content when it ends in `.template`. */
export function renderEntry(values: TemplateValues): (entry: FileEntry) => FileEntry {
  return (entry) => {
    const rendered = renderFile(entry, values);
    noteRender(entry.content, rendered.path, rendered.content, values);
    return rendered;
  };
}

/** The file a template at `path` renders to with `values` (for the build's template check). */
export function renderTemplate(path: string, template: Buffer, values: TemplateValues): FileEntry {
  return renderFile({ path: normalize(path), content: template }, values);
}

function renderFile(entry: FileEntry, values: TemplateValues): FileEntry {
  const path = renderPath(entry.path, values);
  if (!path.endsWith(TEMPLATE_SUFFIX)) {
    return path === entry.path ? entry : { path: normalize(path), content: entry.content };
  }
  let content: string;
  try {
    content = compileTemplate(entry.content.toString("utf-8"))(values);
  } catch (error) {
    throw new SchematicsException(`Template "${entry.path}" failed to render: ${messageOf(error)}`);
  }
  return {
    path: normalize(path.slice(0, -TEMPLATE_SUFFIX.length)),
    content: Buffer.from(content, "utf-8"),
  };
}

/**
 * Path values every template has: `__dot__gitignore` is `.gitignore`, since `npm pack`
 * drops every file named `.gitignore` from the package (Angular's schematics do the same).
 */
const PATH_CONSTANTS: TemplateValues = { dot: "." };

/** Replaces `__key__` in each path part where `key` is one of `values`, nothing else. */
export function renderPath(path: string, values: TemplateValues): string {
  return path
    .split("/")
    .map((part) =>
      part.replace(/__([A-Za-z][A-Za-z0-9]*)__/g, (match, key: string) => {
        const known = Object.prototype.hasOwnProperty.call(values, key) ? values : PATH_CONSTANTS;
        return Object.prototype.hasOwnProperty.call(known, key) ? (known[key] ?? match) : match;
      }),
    )
    .join("/");
}
