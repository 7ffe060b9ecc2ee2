import { copyFileSync, cpSync, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import dockerignore from "@balena/dockerignore";
import {
  DockerfileParser,
  From,
  Instruction,
  ModifiableInstruction,
  PropertyInstruction,
} from "dockerfile-ast";
import { listFiles } from "./files";
import { describeRun, run, RunResult } from "./process";

/** One instruction of a Dockerfile, as dockerfile-ast reads it. */
export interface DockerInstruction {
  /** Upper case: `FROM`, `RUN`, `COPY`, … */
  keyword: string;
  /**
   * Everything after the keyword, its flags first: continuation lines joined, the comment
   * lines inside them dropped, white space folded.
   */
  args: string;
  /** `--name=value` flags (`COPY --from`, `HEALTHCHECK --interval`, …); a bare flag has "". */
  flags: Record<string, string>;
  /** The arguments without the flags. */
  operands: string;
  /** `ENV`, `ARG` and `LABEL`: each key, its value unquoted (undefined: `ARG` without one). */
  properties: DockerProperty[];
  /** 1-based line of the keyword. */
  line: number;
}

export interface DockerProperty {
  name: string;
  value: string | undefined;
  /** Single-quoted: no `$VAR` is expanded in it. */
  literal: boolean;
}

/** A build stage: its `FROM` and the instructions up to the next one. */
export interface DockerStage {
  image: string;
  name?: string;
  instructions: DockerInstruction[];
}

/** A parsed Dockerfile: instructions before the first `FROM` (global `ARG`s) and its stages. */
export interface Dockerfile {
  globals: DockerInstruction[];
  stages: DockerStage[];
}

/**
 * Parses a Dockerfile with dockerfile-ast (the parser of the Dockerfile language server):
 * parser directives, `\` continuations, comment lines inside them, flags and quoting are
 * its business; this only shapes its instructions into stages.
 */
export function parseDockerfile(text: string): Dockerfile {
  const ast = DockerfileParser.parse(text);
  const lines = text.split(/\r?\n/);
  const comments = ast.getComments();
  const dockerfile: Dockerfile = { globals: [], stages: [] };
  for (const instruction of ast.getInstructions()) {
    const range = instruction.getRange();
    const inside = comments.filter(
      (comment) =>
        comment.getRange().start.line > range.start.line && comment.getRange().start.line < range.end.line,
    );
    // getArgumentsContent() keeps a comment line inside a continuation: BuildKit drops it.
    const operands = inside
      .reduce((content, comment) => {
        const { start, end } = comment.getRange();
        return content.replace(lines[start.line]?.slice(start.character, end.character) ?? "", " ");
      }, instruction.getArgumentsContent() ?? "")
      .replace(/\s+/g, " ")
      .trim();
    const flags = Object.fromEntries(
      (instruction instanceof ModifiableInstruction ? instruction.getFlags() : []).map((flag) => [
        flag.getName(),
        flag.getValue() ?? "",
      ]),
    );
    const parsed: DockerInstruction = {
      keyword: instruction.getKeyword(),
      args: [...Object.entries(flags).map(([name, value]) => `--${name}=${value}`), operands]
        .join(" ")
        .trim(),
      flags,
      operands,
      properties: propertiesOf(instruction, lines),
      line: range.start.line + 1,
    };
    if (instruction instanceof From) {
      const name = instruction.getBuildStage();
      dockerfile.stages.push({
        image: instruction.getImage() ?? "",
        ...(name === null ? {} : { name }),
        instructions: [],
      });
    } else {
      (dockerfile.stages.at(-1)?.instructions ?? dockerfile.globals).push(parsed);
    }
  }
  return dockerfile;
}

function propertiesOf(instruction: Instruction, lines: string[]): DockerProperty[] {
  if (!(instruction instanceof PropertyInstruction)) {
    return [];
  }
  return instruction.getProperties().map((property) => {
    const valueRange = property.getValueRange();
    const raw =
      valueRange === null ? "" : (lines[valueRange.start.line]?.slice(valueRange.start.character) ?? "");
    return {
      name: property.getName(),
      value: property.getValue() ?? undefined,
      literal: raw.startsWith("'"),
    };
  });
}

/** The argv of an exec-form instruction (`["gunicorn", …]`), or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith("[")) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((item): item is string => typeof item === "string")
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

/** `HEALTHCHECK [--option=value …] CMD …`: its options and its command. */
export function parseHealthcheck(instruction: DockerInstruction): {
  options: Record<string, string>;
  command: string;
} {
  const match = /^CMD\s+([\s\S]+)$/i.exec(instruction.operands);
  if (instruction.keyword !== "HEALTHCHECK" || match === null) {
    throw new Error(`Not a HEALTHCHECK with a CMD: ${instruction.args}`);
  }
  return { options: instruction.flags, command: match[1] ?? "" };
}

/**
 * The `KEY=value` pairs of an `ENV`, `ARG` or `LABEL` instruction (quotes removed,
 * `$VAR` and `${VAR}` expanded from `vars` outside single quotes). An `ARG` without a
 * value gives an empty one.
 */
export function keyValues(
  instruction: DockerInstruction,
  vars: Record<string, string | undefined>,
): [string, string][] {
  return instruction.properties.map(({ name, value, literal }) => [
    name,
    value === undefined || literal ? (value ?? "") : expandVariables(value, vars),
  ]);
}

function expandVariables(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_whole, braced: string | undefined, bare: string | undefined) => vars[braced ?? bare ?? ""] ?? "",
  );
}

/**
 * Whether `.dockerignore` (its text) leaves the context path `relative` out of the build
 * context, by @balena/dockerignore (Docker's own rules, ported from moby: `*` and `?` stop
 * at `/`, `**` spans folders, a pattern that matches a folder excludes what is inside it,
 * `!` re-includes, the last matching pattern decides).
 */
export function dockerignoreMatcher(text: string): (relative: string) => boolean {
  const rules = dockerignore().add(text);
  return (relative) => rules.ignores(relative);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Every file of `root` that a build context with this `.dockerignore` would hold, sorted. */
export function buildContextFiles(root: string, dockerignore: string): string[] {
  return listFiles(root, dockerignoreMatcher(dockerignore));
}

/** Where a local stand-in for `docker build` runs the build steps of a Dockerfile. */
export interface LocalBuildOptions {
  dockerfile: Dockerfile;
  /** The build context (the project folder). */
  context: string;
  /** Its `.dockerignore`, applied to `COPY` from the context. */
  dockerignore: string;
  /** An empty folder standing in for the image's file system: `/app` becomes `<root>/app`. */
  root: string;
  /** The environment of the base image (PATH holding its `python`, a pip cache, …). */
  env: NodeJS.ProcessEnv;
  /** `--build-arg` values. */
  buildArgs?: Record<string, string>;
  /** `RUN` commands this machine must not run (creating system users, …): skipped and listed. */
  skip: (command: string) => boolean;
  timeoutMs: number;
}

/** What a local build did, and what its last stage would run. */
export interface LocalBuild {
  /** The `RUN` commands that ran, with their results (all succeeded). */
  ran: { line: number; command: string; result: RunResult }[];
  skipped: { line: number; command: string }[];
  /** The last stage's environment (its `ENV` values, container paths mapped). */
  env: NodeJS.ProcessEnv;
  /** The last stage's working directory, mapped. */
  workdir: string;
  /** Maps the container paths the Dockerfile uses (its `WORKDIR`s, `COPY` targets) into `root`. */
  mapPaths(text: string): string;
}

/**
 * Runs a Dockerfile's build steps on this machine instead of in Docker: every stage shares
 * one file system under `root`, into which the paths the Dockerfile names are mapped;
 * `WORKDIR`, `ENV`, `ARG`, `COPY` (from the context, honouring `.dockerignore`, or
 * `--from` another stage) and `RUN` are carried out, the other instructions recorded.
 * Fails at the first step that fails, naming its line.
 */
export async function runDockerfileLocally(options: LocalBuildOptions): Promise<LocalBuild> {
  // The image's `/`: the working directory of the steps before the first WORKDIR.
  mkdirSync(options.root, { recursive: true });
  const containerPaths = containerRoots(options.dockerfile);
  const mapPaths = (text: string): string =>
    containerPaths.reduce(
      (result, path) =>
        result.replace(
          new RegExp(`(^|[\\s"'=:])${escapeRegex(path)}(?=$|[\\s"'/:])`, "g"),
          (_whole, before: string) => `${before}${join(options.root, path)}`,
        ),
      text,
    );
  const build: LocalBuild = { ran: [], skipped: [], env: {}, workdir: options.root, mapPaths };
  const globalArgs: Record<string, string> = {};
  for (const instruction of options.dockerfile.globals.filter((item) => item.keyword === "ARG")) {
    for (const [key, value] of keyValues(instruction, globalArgs)) {
      globalArgs[key] = options.buildArgs?.[key] ?? value;
    }
  }
  for (const stage of options.dockerfile.stages) {
    const env: NodeJS.ProcessEnv = { ...options.env };
    const args: Record<string, string> = {};
    let workdir = options.root;
    let shell = ["/bin/sh", "-c"];
    for (const instruction of stage.instructions) {
      const where = `Dockerfile line ${instruction.line} (${instruction.keyword} ${instruction.args})`;
      const vars = { ...env, ...args };
      switch (instruction.keyword) {
        case "ARG":
          for (const [key, value] of keyValues(instruction, vars)) {
            args[key] = options.buildArgs?.[key] ?? globalArgs[key] ?? value;
          }
          break;
        case "ENV":
          for (const [key, value] of keyValues(instruction, vars)) {
            env[key] = mapPaths(value);
          }
          break;
        case "WORKDIR":
          workdir = instruction.args.startsWith("/")
            ? mapPaths(instruction.args)
            : join(workdir, instruction.args);
          mkdirSync(workdir, { recursive: true });
          break;
        case "SHELL":
          shell = execForm(instruction.args) ?? shell;
          break;
        case "COPY":
        case "ADD":
          copyInstruction(instruction, workdir, options, mapPaths, where);
          break;
        case "RUN": {
          if (Object.keys(instruction.flags).length > 0) {
            throw new Error(`${where}: RUN flags are not supported by the local build`);
          }
          if (options.skip(instruction.args)) {
            build.skipped.push({ line: instruction.line, command: instruction.args });
            break;
          }
          const argv = execForm(instruction.args) ?? [...shell, mapPaths(instruction.args)];
          const [command = "", ...rest] = argv;
          const result = await run(command, rest, {
            cwd: workdir,
            env: { ...env, ...args },
            timeoutMs: options.timeoutMs,
          });
          if (result.code !== 0) {
            throw new Error(`${where} failed:\n${describeRun(result)}`);
          }
          build.ran.push({ line: instruction.line, command: instruction.args, result });
          break;
        }
        default:
          break;
      }
    }
    build.env = env;
    build.workdir = workdir;
  }
  return build;
}

/** The absolute container paths a Dockerfile writes to: its `WORKDIR`s and `COPY` targets and sources. */
function containerRoots(dockerfile: Dockerfile): string[] {
  const paths = new Set<string>();
  for (const stage of dockerfile.stages) {
    for (const instruction of stage.instructions) {
      if (instruction.keyword === "WORKDIR" && instruction.args.startsWith("/")) {
        paths.add(posix.normalize(instruction.args));
      }
      if (instruction.keyword === "COPY" || instruction.keyword === "ADD") {
        const { from, paths: copyPaths } = copyArgs(instruction);
        const dest = copyPaths.at(-1);
        if (dest?.startsWith("/") === true) {
          paths.add(posix.normalize(dest).replace(/\/$/, ""));
        }
        if (from !== undefined) {
          copyPaths.slice(0, -1).forEach((source) => paths.add(posix.normalize(source).replace(/\/$/, "")));
        }
      }
    }
  }
  // Longest first, so /opt/venv/bin is mapped before /opt/venv would be.
  return [...paths].filter((path) => path !== "/").sort((a, b) => b.length - a.length);
}

function copyArgs(instruction: DockerInstruction): { from?: string; paths: string[] } {
  const from = instruction.flags["from"];
  const paths = execForm(instruction.operands) ?? instruction.operands.split(" ");
  return from === undefined ? { paths } : { from, paths };
}

function copyInstruction(
  instruction: DockerInstruction,
  workdir: string,
  options: LocalBuildOptions,
  mapPaths: (text: string) => string,
  where: string,
): void {
  const { from, paths } = copyArgs(instruction);
  const dest = paths.at(-1);
  const sources = paths.slice(0, -1);
  if (dest === undefined || sources.length === 0) {
    throw new Error(`${where}: no source or no destination`);
  }
  const target = dest.startsWith("/") ? mapPaths(posix.normalize(dest)) : join(workdir, dest);
  const intoFolder = dest.endsWith("/") || dest === "." || sources.length > 1;
  if (from !== undefined) {
    for (const source of sources) {
      const mapped = mapPaths(posix.normalize(source));
      if (mapped !== target) {
        cpSync(mapped, target, { recursive: true });
      }
    }
    return;
  }
  const excluded = dockerignoreMatcher(options.dockerignore);
  for (const source of sources) {
    if (/[*?[]/.test(source)) {
      throw new Error(`${where}: wildcards in COPY sources are not supported by the local build`);
    }
    const relative = posix.normalize(source).replace(/^\.\/?|\/$/g, "");
    const path = join(options.context, relative);
    if (relative !== "" && excluded(relative)) {
      throw new Error(`${where}: ${source} is excluded by .dockerignore`);
    }
    if (!existsSync(path)) {
      throw new Error(`${where}: ${source} is not in the build context`);
    }
    if (statSync(path).isDirectory()) {
      for (const file of buildContextFiles(path, "")) {
        const inContext = relative === "" ? file : `${relative}/${file}`;
        if (!excluded(inContext)) {
          mkdirSync(dirname(join(target, file)), { recursive: true });
          copyFileSync(join(path, file), join(target, file));
        }
      }
    } else {
      const file = intoFolder ? join(target, posix.basename(relative)) : target;
      mkdirSync(dirname(file), { recursive: true });
      copyFileSync(path, file);
    }
  }
}
