import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import { projectNameProblem } from "../names/project-name";
import { isSecretKey, SECRET_KEY_CHARS } from "./secret-key";
import { PACKAGE_ROOT } from "../base/version";
import type { TemplateValues } from "./values";

/**
 * Templates proven valid when QuickScale is built, so a run need not parse their renders.
 *
 * Parsing Python needs tree-sitter's WebAssembly grammar, and YAML a large parser: for
 * `init`, whose files are all plain renders of our templates, that was a third of the run
 * and 7 MiB. `npm run build` renders every template with sample values covering the edge
 * members of each value's class (short and long names, soft keywords, a key starting with
 * each character it may hold), checks each render with the run-time validator, and records
 * the hash of every template that passed in `dist/checked-templates.json`.
 *
 * A template's text only ever has a value inserted where the samples went, so its render
 * with any member of the same classes parses as the samples did. At run time a file is
 * taken as valid without parsing only when it is exactly such a render: its template was
 * checked and every value passed to the renderer belongs to its class. Anything else (an
 * edited file, a template changed since the build, a value of another shape) is parsed.
 */
export const VALUE_CLASSES: Readonly<Record<string, ValueClass>> = {
  name: {
    isMember: (value) => projectNameProblem(value) === null,
    samples: ["a", "a0_b9", "match", "type", "case", `a${"b".repeat(56)}z`],
  },
  secretKey: {
    isMember: isSecretKey,
    samples: Array.from({ length: SECRET_KEY_CHARS.length }, (_, index) => rotate(SECRET_KEY_CHARS, index)),
  },
  // Billing's templates with the teams module ("teams") or without it (""): a flag, which
  // `<% if (teams) { %>` tests. Its samples are all its members, rendered with every sample
  // of the other classes, so each branch is checked as a plain render is.
  teams: {
    isMember: (value) => value === "" || value === "teams",
    samples: ["", "teams"],
    flag: true,
  },
};

export interface ValueClass {
  isMember(value: string): boolean;
  samples: readonly string[];
  /** A condition, not inserted text: its samples are all its members. */
  flag?: boolean;
}

/** Where the build records the checked templates, relative to the package root. */
export const CHECKED_TEMPLATES_FILE = join("dist", "checked-templates.json");

/** Hashes of renders known valid in this process. */
const checkedRenders = new Set<string>();
let checkedTemplates: ReadonlySet<string> | undefined;

/**
 * Notes that `rendered` (the file at `path`) was made from `template` with `values`: it is
 * a checked render when the template was checked at build time and every value is a member
 * of its class.
 */
export function noteRender(template: Buffer, path: string, rendered: Buffer, values: TemplateValues): void {
  checkedTemplates ??= loadCheckedTemplates();
  if (checkedTemplates.has(hash(template)) && valuesInClass(values)) {
    checkedRenders.add(renderKey(path, rendered));
  }
}

/**
 * True when `content` at `path` is a checked render (see {@link noteRender}): it need not
 * be parsed. The file's extension is part of the match, since it decides the parser.
 */
export function isCheckedRender(path: string, content: Buffer): boolean {
  return checkedRenders.size > 0 && checkedRenders.has(renderKey(path, content));
}

function renderKey(path: string, content: Buffer): string {
  return `${extname(path)} ${hash(content)}`;
}

function valuesInClass(values: TemplateValues): boolean {
  return Object.entries(values).every(([key, value]) => VALUE_CLASSES[key]?.isMember(value) === true);
}

function loadCheckedTemplates(): ReadonlySet<string> {
  const file = join(PACKAGE_ROOT, CHECKED_TEMPLATES_FILE);
  // Without the record (a build that skipped the check), every file is parsed.
  if (!existsSync(file)) {
    return new Set();
  }
  const hashes: unknown = JSON.parse(readFileSync(file, "utf8"));
  return new Set(Array.isArray(hashes) ? hashes.filter((entry) => typeof entry === "string") : []);
}

/**
 * The build's check: what each template under `schematicsDir` renders to with the samples.
 * Only templates that insert values of `VALUE_CLASSES` and nothing else (`<%= name %>`,
 * no logic, no other value) can be checked this way; the others stay `unchecked`, and
 * their renders are parsed on every run.
 */
export async function checkTemplates(
  schematicsDir: string,
  render: (path: string, template: Buffer, values: TemplateValues) => { path: string; content: Buffer },
  problemOf: (path: string, content: string) => Promise<string | null>,
): Promise<{ checked: string[]; unchecked: string[]; problems: string[] }> {
  const checked: string[] = [];
  const unchecked: string[] = [];
  const problems: string[] = [];
  for (const file of filesOfTemplates(schematicsDir)) {
    const name = relative(schematicsDir, file).split(sep).join("/");
    const template = readFileSync(file);
    if (!insertsValuesOnly(template)) {
      unchecked.push(name);
      continue;
    }
    const path = `/${name.split("/").slice(2).join("/")}`;
    const renders = new Map<string, { path: string; content: Buffer; values: TemplateValues }>();
    for (const values of sampleValues()) {
      const output = render(path, template, values);
      renders.set(`${output.path}\0${hash(output.content)}`, { ...output, values });
    }
    let problem: string | null = null;
    for (const output of renders.values()) {
      problem = await problemOf(output.path, output.content.toString("utf-8"));
      if (problem !== null) {
        problems.push(`${name} with ${JSON.stringify(output.values)}: ${problem}`);
        break;
      }
    }
    if (problem === null) {
      checked.push(hash(template));
    }
  }
  return { checked: [...new Set(checked)].sort(), unchecked, problems };
}

/**
 * True when every template marker of `template` inserts a value of a known class: the
 * premise of the check (a render with other members of the classes only differs where
 * the samples went). Logic (`<% if %>`, expressions) or another value rules it out.
 */
function insertsValuesOnly(template: Buffer): boolean {
  const markers = template.toString("utf-8").match(/<%[\s\S]*?%>/g) ?? [];
  const known = (key: string | undefined, flag: boolean): boolean =>
    key !== undefined &&
    Object.prototype.hasOwnProperty.call(VALUE_CLASSES, key) &&
    (VALUE_CLASSES[key]?.flag === true) === flag;
  return markers.every(
    (marker) =>
      known(/^<%=\s*([A-Za-z_$][\w$]*)\s*%>$/.exec(marker)?.[1], false) ||
      known(/^<%\s*if\s*\(\s*([A-Za-z_$][\w$]*)\s*\)\s*\{\s*%>$/.exec(marker)?.[1], true) ||
      /^<%\s*\}\s*(else\s*\{\s*)?%>$/.test(marker),
  );
}

/**
 * One set of values per sample: each inserted class's samples in turn, the others at their
 * first; and each such set with every member of each flag.
 */
export function sampleValues(): TemplateValues[] {
  const classes = Object.entries(VALUE_CLASSES);
  const inserted = classes.filter(([, { flag }]) => flag !== true);
  const first = Object.fromEntries(classes.map(([key, { samples }]) => [key, samples[0] ?? ""]));
  const sets = inserted.flatMap(([key, { samples }]) =>
    samples.map((sample) => ({ ...first, [key]: sample })),
  );
  return classes
    .filter(([, { flag }]) => flag === true)
    .reduce<TemplateValues[]>(
      (all, [key, { samples }]) =>
        all.flatMap((values) => samples.map((sample) => ({ ...values, [key]: sample }))),
      sets,
    );
}

/** Every file of every schematic's `files/` folder. */
function filesOfTemplates(schematicsDir: string): string[] {
  return readdirSync(schematicsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(schematicsDir, entry.name, "files"))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) =>
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name)),
    )
    .sort();
}

function hash(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

function rotate(text: string, start: number): string {
  return text.slice(start) + text.slice(0, start);
}
