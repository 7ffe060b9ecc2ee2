import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateProjectWithAuth } from "./generated-project";
import { tempDir } from "./files";
import { BIN, baseEnv, describeRun, GIT_IDENTITY, REPO_ROOT, required, run, RunResult } from "./process";
import { ensureProjectEnv, PythonEnv } from "./python-env";
import { codeBlocks } from "./readme-commands";
import { httpGet, HttpResponse, startServer } from "./server";

/**
 * Running a user guide of docs/ as its reader would: every command of its `bash` blocks, in
 * order, through a real shell, the working folder carried from one command to the next (so
 * `cd client_a` holds until the guide says otherwise). Blocks in another language (`text`,
 * `python`) are shown, not run. Two trailing comments tell the runner what the reader sees:
 * `# exits 1` (a refusal the guide shows on purpose) and `# serves /path until Ctrl-C`
 * (a development server: the runner starts it on a free port of 127.0.0.1, given as its last
 * argument, fetches that path once it answers, and stops it).
 */

/** One command of a guide, as the shell receives it. */
export interface GuideCommand {
  /** The command's text: one line, or several for a `\` continuation or a here-document. */
  text: string;
  /** The exit code the guide announces with a trailing `# exits N` comment; 0 otherwise. */
  expectedCode: number;
  /** The path a `# serves /path until Ctrl-C` server is asked for; undefined for other commands. */
  serves?: string;
}

const HEREDOC = /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/;
const EXITS = /#\s*exits\s+(\d+)\b/;
const SERVES = /\s+#\s*serves\s+(\/\S*)\s+until Ctrl-C\s*$/;

/**
 * The commands of every `bash` block of `markdown`, in order. A line ending in `\` continues
 * on the next; a line opening a here-document (`cat > f <<'EOF'`) runs up to its terminator;
 * blank lines and comment lines are skipped.
 */
export function guideCommands(markdown: string): GuideCommand[] {
  const commands: GuideCommand[] = [];
  for (const block of codeBlocks(markdown, "bash")) {
    const lines = block.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const first = lines[i] ?? "";
      if (first.trim() === "" || first.trim().startsWith("#")) {
        continue;
      }
      const taken = [first];
      while ((taken[taken.length - 1] ?? "").endsWith("\\") && i + 1 < lines.length) {
        taken.push(lines[++i] ?? "");
      }
      const opener = taken.join("\n");
      const heredoc = HEREDOC.exec(opener);
      if (heredoc?.[2] !== undefined) {
        const terminator = heredoc[2];
        do {
          i++;
          if (i >= lines.length) {
            throw new Error(`A here-document is not closed by ${terminator}: ${first}`);
          }
          taken.push(lines[i] ?? "");
        } while ((lines[i] ?? "").trim() !== terminator);
      }
      const code = EXITS.exec(opener)?.[1];
      const serves = SERVES.exec(opener)?.[1];
      commands.push({
        text: taken.join("\n"),
        expectedCode: code === undefined ? 0 : Number(code),
        ...(serves === undefined ? {} : { serves }),
      });
    }
  }
  return commands;
}

/**
 * A folder holding a `quickscale` command that runs this checkout's bin, as an installed
 * package would put one on PATH. Returns the folder (to put first on PATH).
 */
export function quickscaleOnPath(root: string): string {
  const bin = join(root, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "quickscale"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(bin, "quickscale"), 0o755);
  return bin;
}

/**
 * The virtualenv a guide's Python commands run in, as its reader's activated one: the
 * dependencies of a project this checkout generates, after `quickscale add auth` with each of
 * `authRuns`' flags (none: a plain project). Cached by python-env.ts.
 */
export async function guideVenv(
  label: string,
  authRuns: readonly (readonly string[])[] = [],
): Promise<PythonEnv> {
  const sample = await generateProjectWithAuth(label, "sample", authRuns);
  try {
    return await ensureProjectEnv(sample.dir);
  } finally {
    sample.remove();
  }
}

/**
 * The environment a guide runs in: a clean base with a git identity, `quickscale` on PATH
 * (see {@link quickscaleOnPath}, in `root`), then the virtualenv `venv` when given, as if
 * activated.
 */
export function guideEnv(root: string, venv?: PythonEnv): NodeJS.ProcessEnv {
  const path = [quickscaleOnPath(root), ...(venv === undefined ? [] : [join(venv.bin("python"), "..")])];
  return baseEnv({ ...GIT_IDENTITY, PATH: [...path, process.env["PATH"] ?? ""].join(":") });
}

/** What one command of a guide did, and where the guide was when it ran. */
export interface GuideStep {
  command: GuideCommand;
  cwd: string;
  result: RunResult;
  /** What a `# serves` command answered at its path. */
  page?: HttpResponse;
}

export interface GuideRunOptions {
  /** Where the guide's first command runs. */
  cwd: string;
  /** The whole environment of every command. */
  env: NodeJS.ProcessEnv;
  /** The time one command may take. */
  timeoutMs: number;
  /** Called after each command (to check what the guide says it did, at that point). */
  after?: (step: GuideStep) => void | Promise<void>;
}

/**
 * Runs `commands` in order with `sh`, each in the folder the previous one left (a `cd` holds),
 * and throws, with the command and its output, at the first that does not exit with the code
 * the guide announces. Returns every step.
 */
export async function runGuide(
  commands: readonly GuideCommand[],
  options: GuideRunOptions,
): Promise<GuideStep[]> {
  const steps: GuideStep[] = [];
  const whereFile = join(options.cwd, "..", `.guide-cwd-${process.pid}`);
  let cwd = options.cwd;
  for (const command of commands) {
    if (command.serves !== undefined) {
      const step = await serveOnce(command, command.serves, cwd, options);
      steps.push(step);
      await options.after?.(step);
      continue;
    }
    // The command's own text first, unchanged; then its status kept and the folder it left recorded.
    const script = `${command.text}\nstatus=$?\npwd > '${whereFile}'\nexit $status\n`;
    const result = await run("sh", ["-c", script], { cwd, env: options.env, timeoutMs: options.timeoutMs });
    if (result.code !== command.expectedCode) {
      throw new Error(
        `The guide's command exited ${String(result.code)}, not ${command.expectedCode} as the guide says, in ${cwd}:\n${describeRun(result)}`,
      );
    }
    const step = { command, cwd, result };
    steps.push(step);
    await options.after?.(step);
    if (existsSync(whereFile)) {
      cwd = readFileSync(whereFile, "utf8").trim();
    }
  }
  return steps;
}

/** Starts a `# serves` command on a free port, fetches its path once it answers, and stops it. */
async function serveOnce(
  command: GuideCommand,
  path: string,
  cwd: string,
  options: GuideRunOptions,
): Promise<GuideStep> {
  const started = Date.now();
  const text = command.text.replace(SERVES, "");
  const server = await startServer({
    command: "sh",
    args: ["-c", `${text} 127.0.0.1:{port}`],
    cwd,
    env: options.env,
    readyPath: path,
    timeoutMs: options.timeoutMs,
  });
  try {
    const page = await httpGet(`${server.origin}${path}`);
    const result: RunResult = {
      command: `${text} 127.0.0.1:${server.port}`,
      code: 0,
      signal: null,
      stdout: server.output(),
      stderr: "",
      timedOut: false,
      durationMs: Date.now() - started,
    };
    return { command, cwd, result, page };
  } finally {
    await server.stop();
  }
}

/** A guide run as written in a fresh temp folder: where, with what, and each step's result. */
export interface GuideRun {
  /** The temp folder (remove it after the spec). */
  root: string;
  /** The folder the guide's first command runs in (`root/work`). */
  work: string;
  env: NodeJS.ProcessEnv;
  steps: GuideStep[];
  /** Every step whose command starts with `start`. */
  all: (start: string) => GuideStep[];
  /** The first step whose command starts with `start` (fails naming it when there is none). */
  step: (start: string) => GuideStep;
}

/** Runs every command of `docs/<guide>` in order in a new temp folder, with `venv` activated. */
export async function runGuideAsWritten(
  guide: string,
  label: string,
  venv: PythonEnv | undefined,
  timeoutMs: number,
): Promise<GuideRun> {
  const root = tempDir(label);
  const work = join(root, "work");
  mkdirSync(work);
  const env = guideEnv(
    root,
    required(venv, "The project's virtualenv was not made (see the beforeAll failure)."),
  );
  const markdown = readFileSync(join(REPO_ROOT, "docs", guide), "utf8");
  const steps = await runGuide(guideCommands(markdown), { cwd: work, env, timeoutMs });
  const all = (start: string): GuideStep[] => steps.filter((step) => step.command.text.startsWith(start));
  return {
    root,
    work,
    env,
    steps,
    all,
    step: (start) => required(all(start)[0], `The guide has no command starting with "${start}".`),
  };
}
