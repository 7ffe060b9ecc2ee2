import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** One step of a job: either an action (`uses`) or a shell script (`run`). */
export interface WorkflowStep {
  name: string;
  uses?: string;
  run?: string;
  shell?: string;
  /** `with:` inputs, as strings. */
  with: Record<string, string>;
  env: Record<string, string>;
}

/** A service container of a job. */
export interface WorkflowService {
  image: string;
  env: Record<string, string>;
  ports: string[];
  options: string;
}

export interface WorkflowJob {
  id: string;
  env: Record<string, string>;
  /** `strategy.matrix`, each dimension as a list of strings (include/exclude left out). */
  matrix: Record<string, string[]>;
  services: Record<string, WorkflowService>;
  steps: WorkflowStep[];
  /** The whole job, for checks this interface does not model. */
  raw: Record<string, unknown>;
}

/** A GitHub Actions workflow, read from its YAML. */
export interface Workflow {
  path: string;
  text: string;
  /** The parsed document. */
  raw: Record<string, unknown>;
  env: Record<string, string>;
  /** Jobs in the order the file lists them. */
  jobs: WorkflowJob[];
}

/** Reads the workflow at `path`, failing with the path when its shape is not a workflow's. */
export function readWorkflow(path: string): Workflow {
  const text = readFileSync(path, "utf8");
  const doc: unknown = parse(text);
  const raw = table(doc, path);
  const jobs = Object.entries(table(raw["jobs"], `${path}: jobs`)).map(([id, value]) =>
    readJob(id, table(value, `${path}: jobs.${id}`), `${path}: jobs.${id}`),
  );
  return { path, text, raw, env: strings(raw["env"] ?? {}, `${path}: env`), jobs };
}

function readJob(id: string, raw: Record<string, unknown>, where: string): WorkflowJob {
  const strategy = table(raw["strategy"] ?? {}, `${where}.strategy`);
  const matrix: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(table(strategy["matrix"] ?? {}, `${where}.strategy.matrix`))) {
    if (key !== "include" && key !== "exclude") {
      matrix[key] = list(value, `${where}.strategy.matrix.${key}`).map((item) => scalar(item, key));
    }
  }
  const services: Record<string, WorkflowService> = {};
  for (const [name, value] of Object.entries(table(raw["services"] ?? {}, `${where}.services`))) {
    const service = table(value, `${where}.services.${name}`);
    services[name] = {
      image: scalar(service["image"], `${where}.services.${name}.image`),
      env: strings(service["env"] ?? {}, `${where}.services.${name}.env`),
      ports: list(service["ports"] ?? [], `${where}.services.${name}.ports`).map((port) =>
        scalar(port, name),
      ),
      options: typeof service["options"] === "string" ? service["options"] : "",
    };
  }
  const steps = list(raw["steps"], `${where}.steps`).map((value, index) => {
    const step = table(value, `${where}.steps[${index}]`);
    const uses = optionalScalar(step["uses"], `${where}.steps[${index}].uses`);
    const run = optionalScalar(step["run"], `${where}.steps[${index}].run`);
    const shell = optionalScalar(step["shell"], `${where}.steps[${index}].shell`);
    return {
      name: optionalScalar(step["name"], `${where}.steps[${index}].name`) ?? uses ?? run ?? `step ${index}`,
      ...(uses === undefined ? {} : { uses }),
      ...(run === undefined ? {} : { run }),
      ...(shell === undefined ? {} : { shell }),
      with: strings(step["with"] ?? {}, `${where}.steps[${index}].with`),
      env: strings(step["env"] ?? {}, `${where}.steps[${index}].env`),
    };
  });
  return { id, env: strings(raw["env"] ?? {}, `${where}.env`), matrix, services, steps, raw };
}

const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g;

/** The `${{ … }}` expressions in `text`, trimmed (`matrix.python-version`, …). */
export function expressionsIn(text: string): string[] {
  return [...text.matchAll(EXPRESSION)].map((match) => match[1] ?? "");
}

/**
 * `text` with every `${{ expression }}` replaced by `values[expression]`; an expression
 * without a value is an error naming it, so a spec never runs a half-substituted script.
 */
export function substituteExpressions(text: string, values: Record<string, string>): string {
  return text.replace(EXPRESSION, (whole, expression: string) => {
    const value = values[expression];
    if (value === undefined) {
      throw new Error(`No value for the expression ${whole} in:\n${text}`);
    }
    return value;
  });
}

/**
 * The variables a step wrote to a `$GITHUB_ENV` file: `KEY=value` lines and the
 * `KEY<<DELIMITER` … `DELIMITER` form for multi-line values, as the runner reads them.
 */
export function parseGithubEnvFile(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? "").replace(/\r$/, "");
    if (line === "") {
      continue;
    }
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc !== null) {
      const [, key = "", delimiter = ""] = heredoc;
      const value: string[] = [];
      index++;
      while (index < lines.length && (lines[index] ?? "").replace(/\r$/, "") !== delimiter) {
        value.push((lines[index] ?? "").replace(/\r$/, ""));
        index++;
      }
      if (index >= lines.length) {
        throw new Error(`$GITHUB_ENV: no closing ${delimiter} for ${key}`);
      }
      vars.set(key, value.join("\n"));
      continue;
    }
    const pair = /^([^=]+)=(.*)$/.exec(line);
    if (pair === null) {
      throw new Error(`$GITHUB_ENV: not KEY=value: ${line}`);
    }
    vars.set(pair[1] ?? "", pair[2] ?? "");
  }
  return vars;
}

function table(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${where} is not a mapping`);
  }
  return value as Record<string, unknown>;
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new Error(`${where} is not a list`);
  }
  return value;
}

function scalar(value: unknown, where: string): string {
  if (typeof value === "string") {
    return value;
  }
  if (typeof value === "number" || typeof value === "boolean") {
    return String(value);
  }
  throw new Error(`${where} is not a scalar`);
}

function optionalScalar(value: unknown, where: string): string | undefined {
  return value === undefined ? undefined : scalar(value, where);
}

function strings(value: unknown, where: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(table(value, where)).map(([key, item]) => [key, scalar(item, `${where}.${key}`)]),
  );
}
