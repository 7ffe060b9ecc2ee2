import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { actionlint, describeFinding } from "./support/actionlint";
import { buildContextFiles } from "./support/dockerfile";
import { listFiles } from "./support/files";
import {
  GeneratedProject,
  generateProject,
  pyprojectFacts,
  requirementName,
} from "./support/generated-project";
import { baseEnv, describeRun, expectSuccess, required, run, RunResult } from "./support/process";
import { networkEnv } from "./support/network-env";
import { CACHE_DIR, PythonEnv } from "./support/python-env";
import { codeBlocks, markdownSection } from "./support/readme-commands";
import { ensureToolsEnv } from "./support/tools-env";
import { expressionsIn, readWorkflow } from "./support/workflow";

const SETUP_TIMEOUT_MS = 20 * 60_000;
const TOOL_TIMEOUT_MS = 60_000;
/** `uv tool install` with a cold cache downloads pre-commit and its dependencies. */
const INSTALL_TIMEOUT_MS = 5 * 60_000;

/** yamllint's default rules, with longer lines and `on:` allowed as a key (GitHub's syntax). */
const YAMLLINT_CONFIG = JSON.stringify({
  extends: "default",
  rules: {
    "line-length": { max: 120 },
    truthy: { "check-keys": false },
    "document-start": "disable",
  },
});

/** Secrets a tracked file must never hold (the values in the project are placeholders or generated). */
const SECRET_PATTERNS: { what: string; pattern: RegExp }[] = [
  { what: "a private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { what: "an AWS access key", pattern: /\bAKIA[0-9A-Z]{16}\b/ },
  { what: "a GitHub token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/ },
  { what: "a Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { what: "a Sentry DSN with its key", pattern: /https:\/\/[0-9a-f]{32}@[^\s"']*sentry/ },
  {
    what: "a secret key literal that is not a development key",
    pattern: /SECRET_KEY\s*[:=]\s*["']?(?!django-insecure-)[^\s"'$(]{20,}/,
  },
  { what: "a password in a URL", pattern: /:\/\/[^\s:@/"']+:(?!password@|postgres@)[^\s@/"']+@/ },
];

/**
 * The Docker, CI and quality files of a freshly generated project, judged by the tools the
 * industry uses for them: hadolint, actionlint, the Compose / GitHub workflow / Dependabot
 * JSON schemas, pre-commit, yamllint and shellcheck; plus the consistency they cannot see.
 */
describe("the generated project's Docker, CI and quality files, checked by their validators", () => {
  let generated: GeneratedProject | undefined;
  let toolsEnv: PythonEnv | undefined;
  let home = "";

  beforeAll(async () => {
    generated = await generateProject("validators");
    toolsEnv = await ensureToolsEnv();
    // A home of their own: no user configuration (~/.config/hadolint.yaml, …) can relax a tool.
    home = join(generated.root, "home");
    mkdirSync(home, { recursive: true });
  }, SETUP_TIMEOUT_MS);

  afterAll(() => {
    generated?.remove();
  });

  const project = (): GeneratedProject =>
    required(generated, "The project was not generated (see the beforeAll failure).");
  const tool = (
    name: string,
    args: readonly string[],
    cwd = project().dir,
    env: NodeJS.ProcessEnv = {},
    timeoutMs = TOOL_TIMEOUT_MS,
  ): Promise<RunResult> => {
    if (toolsEnv === undefined) {
      throw new Error("The validators' virtualenv was not created (see the beforeAll failure).");
    }
    return toolsEnv.run(name, args, {
      cwd,
      env: {
        HOME: home,
        XDG_CONFIG_HOME: join(home, ".config"),
        PRE_COMMIT_HOME: join(home, "pre-commit"),
        ...env,
      },
      timeoutMs,
    });
  };
  const workflowPaths = (): string[] => {
    project().read(".github/workflows/ci.yml");
    return listFiles(join(project().dir, ".github", "workflows"))
      .filter((file) => /\.ya?ml$/.test(file))
      .map((file) => `.github/workflows/${file}`);
  };
  const yamlFiles = (): string[] =>
    listFiles(project().dir, (relative) => relative === ".git").filter((file) => /\.ya?ml$/.test(file));

  it(
    "has a Dockerfile hadolint finds nothing in, at its default threshold",
    async () => {
      const dockerfile = project().read("Dockerfile");
      expect(dockerfile).not.toMatch(/hadolint\s+(?:ignore|global)/i);
      for (const config of [".hadolint.yaml", ".hadolint.yml"]) {
        expect(existsSync(join(project().dir, config)))
          .withContext(`a ${config} could relax the rules`)
          .toBeFalse();
      }
      const result = await tool("hadolint", ["Dockerfile"]);
      expectSuccess(result);
      expect(result.stdout.trim()).withContext(describeRun(result)).toBe("");
    },
    TOOL_TIMEOUT_MS,
  );

  it(
    "has workflows actionlint finds nothing in",
    async () => {
      const paths = workflowPaths();
      expect(paths).toEqual(
        jasmine.arrayContaining([".github/workflows/ci.yml", ".github/workflows/deploy.yml"]),
      );
      for (const path of paths) {
        const findings = await actionlint(project().read(path), path);
        expect(findings.map(describeFinding)).withContext(path).toEqual([]);
      }
    },
    TOOL_TIMEOUT_MS,
  );

  it(
    "has a docker-compose.yml valid against the Compose specification",
    async () => {
      project().read("docker-compose.yml");
      expectSuccess(
        await tool("check-jsonschema", ["--builtin-schema", "vendor.compose-spec", "docker-compose.yml"]),
      );
    },
    TOOL_TIMEOUT_MS,
  );

  it(
    "has workflows valid against GitHub's workflow schema",
    async () => {
      const paths = workflowPaths();
      expect(paths.length).toBeGreaterThan(0);
      expectSuccess(
        await tool("check-jsonschema", ["--builtin-schema", "vendor.github-workflows", ...paths]),
      );
    },
    TOOL_TIMEOUT_MS,
  );

  it(
    "has a dependabot.yml valid against Dependabot's schema, updating uv (pyproject.toml with uv.lock), actions and Docker weekly",
    async () => {
      const text = project().read(".github/dependabot.yml");
      expectSuccess(
        await tool("check-jsonschema", ["--builtin-schema", "vendor.dependabot", ".github/dependabot.yml"]),
      );
      const doc: unknown = parse(text);
      const updates = isTable(doc) && Array.isArray(doc["updates"]) ? doc["updates"] : [];
      const weekly = updates
        .filter(isTable)
        .filter((update) => isTable(update["schedule"]) && update["schedule"]["interval"] === "weekly")
        .map((update) => update["package-ecosystem"]);
      expect(weekly).toEqual(jasmine.arrayContaining(["uv", "github-actions", "docker"]));
    },
    TOOL_TIMEOUT_MS,
  );

  it(
    "has a .pre-commit-config.yaml pre-commit accepts",
    async () => {
      project().read(".pre-commit-config.yaml");
      expectSuccess(await tool("pre-commit", ["validate-config", ".pre-commit-config.yaml"]));
    },
    TOOL_TIMEOUT_MS,
  );

  it(
    "has YAML files yamllint accepts, warnings included",
    async () => {
      const files = yamlFiles();
      expect(files).toEqual(
        jasmine.arrayContaining([
          "docker-compose.yml",
          ".pre-commit-config.yaml",
          ".github/dependabot.yml",
          ".github/workflows/ci.yml",
        ]),
      );
      expectSuccess(await tool("yamllint", ["--strict", "--config-data", YAMLLINT_CONFIG, ...files]));
    },
    TOOL_TIMEOUT_MS,
  );

  it(
    "has shell scripts and workflow run: blocks that shellcheck finds nothing in",
    async () => {
      const scripts = listFiles(project().dir, (relative) => relative === ".git").filter((file) =>
        file.endsWith(".sh"),
      );
      for (const script of scripts) {
        const mode = statSync(join(project().dir, script)).mode;
        expect(mode & 0o111)
          .withContext(`${script} is not executable`)
          .not.toBe(0);
        expectSuccess(await tool("shellcheck", [script]));
      }
      // Each run: block as the bash script the runner writes, every ${{ }} expression
      // standing for a variable, so an expression pasted into a command unquoted is caught.
      const blocksDir = join(project().root, "run-blocks");
      mkdirSync(blocksDir, { recursive: true });
      const blocks: string[] = [];
      for (const path of workflowPaths()) {
        for (const job of readWorkflow(join(project().dir, path)).jobs) {
          job.steps.forEach((step, index) => {
            if (step.run === undefined) {
              return;
            }
            expect(step.shell ?? "bash")
              .withContext(`${path} ${job.id} step ${index}`)
              .toBe("bash");
            const file = join(blocksDir, `${path.replace(/\W+/g, "-")}-${job.id}-${index}.sh`);
            const body = step.run.replace(/\$\{\{[^}]*\}\}/g, "${GITHUB_EXPRESSION}");
            writeFileSync(file, `#!/usr/bin/env bash\nset -eo pipefail\n${body}`);
            blocks.push(file);
          });
        }
      }
      expect(blocks.length).toBeGreaterThan(0);
      const result = await tool("shellcheck", ["--shell=bash", "--severity=style", ...blocks]);
      expectSuccess(result);
    },
    TOOL_TIMEOUT_MS,
  );

  it("pins every action of its workflows to a release commit, its version in a comment", () => {
    for (const path of workflowPaths()) {
      const text = project().read(path);
      const uses = [...text.matchAll(/^\s*-?\s*uses:\s*(\S+?)@(\S+)(.*)$/gm)];
      expect(uses.length).withContext(path).toBeGreaterThan(0);
      for (const [line, action = "", ref = "", rest = ""] of uses) {
        expect(ref)
          .withContext(`${path}: ${line.trim()} (${action})`)
          .toMatch(/^[0-9a-f]{40}$/);
        expect(rest)
          .withContext(`${path}: ${line.trim()}`)
          .toMatch(/^\s+#\s*v\d+(\.\d+)*\s*$/);
      }
      for (const expression of expressionsIn(text)) {
        expect(expression)
          .withContext(`${path}: only the GITHUB_TOKEN may come from secrets`)
          .not.toMatch(/secrets\.(?!GITHUB_TOKEN\b)/);
      }
    }
  });

  it("pins pre-commit's ruff to the ruff of pyproject.toml, and every hook to a release", () => {
    const config: unknown = parse(project().read(".pre-commit-config.yaml"));
    const repos = isTable(config) && Array.isArray(config["repos"]) ? config["repos"].filter(isTable) : [];
    expect(repos.length).toBeGreaterThan(0);
    const revs = new Map(repos.map((repo) => [String(repo["repo"]), String(repo["rev"])]));
    for (const [repo, rev] of revs) {
      expect(rev)
        .withContext(repo)
        .toMatch(/^v?\d+(\.\d+)+$/);
    }
    const facts = pyprojectFacts(project().read("pyproject.toml"));
    const ruffPin = facts.devGroup.find((req) => requirementName(req) === "ruff");
    expect(ruffPin)
      .withContext("ruff is pinned exactly in the dev group")
      .toMatch(/^ruff==\d+(\.\d+)+$/);
    const ruffRev = revs.get("https://github.com/astral-sh/ruff-pre-commit");
    expect(ruffRev?.replace(/^v/, "")).toBe(ruffPin?.replace(/^ruff==/, ""));

    const django = facts.dependencies.find((req) => requirementName(req) === "django") ?? "";
    const djangoFloor = /[>=]=\s*(\d+\.\d+)/.exec(django)?.[1];
    const upgrade = repos.find((repo) => repo["repo"] === "https://github.com/adamchainz/django-upgrade");
    const hook = Array.isArray(upgrade?.["hooks"]) ? upgrade["hooks"].filter(isTable)[0] : undefined;
    const args = Array.isArray(hook?.["args"]) ? hook["args"].map(String) : [];
    expect(args[args.indexOf("--target-version") + 1])
      .withContext("django-upgrade targets the Django the project requires")
      .toBe(djangoFloor ?? "");
  });

  it("keeps .env and every other secret out of the Docker build context", () => {
    const context = join(project().root, "context");
    cpSync(project().dir, context, { recursive: true });
    // What a developer's working copy holds beside the generated files.
    const secretKey = randomBytes(48).toString("base64url");
    const envFile = readFileSync(join(context, ".env.example"), "utf8").replace(
      /^SECRET_KEY=.*$/m,
      `SECRET_KEY=${secretKey}`,
    );
    const local: Record<string, string> = {
      ".env": envFile,
      ".env.production": `SECRET_KEY=${secretKey}\n`,
      ".git/config": "[core]\n",
      ".venv/bin/python": "",
      "db.sqlite3": "",
      "staticfiles/staticfiles.json": "{}",
      "myapp/__pycache__/views.cpython-313.pyc": "",
      ".pytest_cache/README.md": "",
      "htmlcov/index.html": "",
    };
    for (const [path, content] of Object.entries(local)) {
      mkdirSync(join(context, path, ".."), { recursive: true });
      writeFileSync(join(context, path), content);
    }
    const included = buildContextFiles(context, project().read(".dockerignore"));
    expect(included).toContain("manage.py");
    expect(included).toContain("pyproject.toml");
    for (const path of Object.keys(local)) {
      expect(included).withContext(`${path} is sent to docker build`).not.toContain(path);
    }
    for (const path of included) {
      const text = readFileSync(join(context, path), "utf8");
      expect(text).withContext(path).not.toContain(secretKey);
      for (const { what, pattern } of SECRET_PATTERNS) {
        expect(pattern.exec(text)?.[0]).withContext(`${path} holds ${what}`).toBeUndefined();
      }
    }
  });

  it(
    "installs pre-commit with uv and its git hook with `pre-commit install`, as the README says",
    async () => {
      const section = markdownSection(project().read("README.md"), "## Code quality");
      const [block = ""] = codeBlocks(section, "bash");
      const commands = block
        .split("\n")
        .map((line) => line.replace(/\s+#.*$/, "").trim())
        .filter((line) => line !== "");
      expect(commands).toEqual([
        "pipx install pre-commit",
        "pre-commit install",
        "pre-commit run --all-files",
      ]);
      const uvInstall = /#\s*or:\s*(uv tool install \S+)\s*$/m.exec(block)?.[1];
      expect(uvInstall).toBe("uv tool install pre-commit");

      const copy = join(project().root, "with-git");
      cpSync(project().dir, copy, { recursive: true });
      const git = await run("git", ["init", "--quiet"], { cwd: copy, env: baseEnv({ HOME: home }) });
      if (git.code === null && !git.timedOut) {
        pending(`git is not available: ${git.stderr}`);
        return;
      }
      expectSuccess(git);
      // uv installs the tool into folders of this run (pipx is the README's other way).
      const toolBin = join(home, "uv-tools", "bin");
      const uvEnv = {
        ...networkEnv(),
        HOME: home,
        UV_TOOL_DIR: join(home, "uv-tools", "tools"),
        UV_TOOL_BIN_DIR: toolBin,
        UV_CACHE_DIR: join(CACHE_DIR, "uv"),
        UV_PYTHON_DOWNLOADS: "never",
        UV_PYTHON: "python3",
      };
      expectSuccess(await tool("uv", ["tool", "install", "pre-commit"], copy, uvEnv, INSTALL_TIMEOUT_MS));
      // `pre-commit run` is left out: it fetches the hooks from GitHub.
      const installed = await run(join(toolBin, "pre-commit"), ["install"], {
        cwd: copy,
        env: baseEnv({ HOME: home, PRE_COMMIT_HOME: join(home, "pre-commit") }),
        timeoutMs: TOOL_TIMEOUT_MS,
      });
      expectSuccess(installed);
      expect(readFileSync(join(copy, ".git", "hooks", "pre-commit"), "utf8")).toContain("pre-commit");
    },
    INSTALL_TIMEOUT_MS + TOOL_TIMEOUT_MS,
  );
});

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
