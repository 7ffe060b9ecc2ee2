import { randomBytes } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { satisfies } from "@renovatebot/pep440";
import { parse } from "yaml";
import { parseDotenv } from "./support/dotenv";
import { installedVersions, lockedPackages } from "./support/uv-lock";
import {
  DockerInstruction,
  DockerStage,
  Dockerfile,
  dockerignoreMatcher,
  execForm,
  keyValues,
  LocalBuild,
  parseDockerfile,
  parseHealthcheck,
  runDockerfileLocally,
} from "./support/dockerfile";
import { generatedProjectWithDatabase, pyprojectFacts, requirementName } from "./support/generated-project";
import { networkEnv } from "./support/network-env";
import { baseEnv, describeRun, expectSuccess, run, RunResult } from "./support/process";
import { CACHE_DIR, hostPython } from "./support/python-env";
import { codeBlocks, markdownSection } from "./support/readme-commands";
import { httpGet, startServer } from "./support/server";
import { readWorkflow } from "./support/workflow";

const SETUP_TIMEOUT_MS = 5 * 60_000;
/** A cold pip cache downloads the runtime dependencies once. */
const BUILD_TIMEOUT_MS = 10 * 60_000;
const SERVER_SPEC_TIMEOUT_MS = 90_000;
/** The port the image listens on, and its health check asks. */
const PORT = "8000";
/** RUN commands that administer the machine: never run here (we run as root), only listed. */
const SYSTEM_COMMANDS = /^(?:groupadd|useradd|addgroup|adduser|apt-get|apt|apk|chown|install)\b/;

/**
 * The generated `Dockerfile` and `docker-compose.yml`. No Docker engine runs here, so
 * besides checking what they name against the project (Python version, settings and WSGI
 * modules, services and variables), the spec carries out the Dockerfile's build steps on
 * this machine (the dependency install from pyproject.toml, collectstatic with its
 * throwaway values), then runs the image's command and health check, and compose's web
 * command and health check, against a throwaway PostgreSQL database.
 */
describe("the generated Dockerfile and docker-compose.yml, their steps run outside Docker", () => {
  const { project, database } = generatedProjectWithDatabase("dockerfile", SETUP_TIMEOUT_MS);
  let built: Promise<LocalBuild> | undefined;

  const dockerfile = (): Dockerfile => parseDockerfile(project().read("Dockerfile"));
  const finalStage = (): DockerStage => {
    const stage = dockerfile().stages.at(-1);
    if (stage === undefined) {
      throw new Error("The Dockerfile has no FROM");
    }
    return stage;
  };
  const instructionsOf = (stage: DockerStage, keyword: string): DockerInstruction[] =>
    stage.instructions.filter((item) => item.keyword === keyword);
  const instructions = (stage: DockerStage, keyword: string): string[] =>
    instructionsOf(stage, keyword).map((item) => item.args);
  const stageEnv = (stage: DockerStage): Record<string, string> =>
    Object.fromEntries(instructionsOf(stage, "ENV").flatMap((item) => keyValues(item, {})));
  /** The argv of the stage's HEALTHCHECK command (empty without one). */
  const healthcheckCommand = (stage: DockerStage): string[] => {
    const [healthcheck] = instructionsOf(stage, "HEALTHCHECK");
    return healthcheck === undefined ? [] : (execForm(parseHealthcheck(healthcheck).command) ?? []);
  };
  const compose = (): Record<string, unknown> =>
    table(parse(project().read("docker-compose.yml")), "compose");
  const service = (name: string): Record<string, unknown> =>
    table(table(compose()["services"], "services")[name], `services.${name}`);
  /** A dotted module of the project exists as a file (`myapp.wsgi` → `myapp/wsgi.py`). */
  const moduleExists = (module: string): boolean =>
    existsSync(join(project().dir, `${module.split(".").join("/")}.py`)) ||
    existsSync(join(project().dir, ...module.split("."), "__init__.py"));

  /**
   * The Dockerfile's build, carried out once in a scratch copy of the project (with a .env
   * a developer would have, which must not reach the image), shared by the specs below.
   */
  const build = (): Promise<LocalBuild> => {
    built ??= (async () => {
      const scratch = join(project().root, "docker-build");
      const context = join(scratch, "context");
      cpSync(project().dir, context, { recursive: true });
      writeFileSync(join(context, ".env"), `SECRET_KEY=${randomBytes(48).toString("base64url")}\n`);
      // The base image's interpreter: `python` on PATH, the only Python here.
      const baseBin = join(scratch, "base-image-bin");
      mkdirSync(baseBin, { recursive: true });
      symlinkSync((await hostPython()).executable, join(baseBin, "python"));
      const base = baseEnv();
      return runDockerfileLocally({
        dockerfile: dockerfile(),
        context,
        dockerignore: project().read(".dockerignore"),
        root: join(scratch, "image"),
        env: {
          ...base,
          ...networkEnv(),
          PATH: `${baseBin}:${base["PATH"] ?? "/usr/bin:/bin"}`,
          PIP_CACHE_DIR: join(CACHE_DIR, "pip"),
          PIP_NO_INPUT: "1",
        },
        skip: (command) => SYSTEM_COMMANDS.test(command),
        timeoutMs: BUILD_TIMEOUT_MS,
      });
    })();
    return built;
  };

  it("builds on a slim Python image that requires-python allows and the CI matrix tests", () => {
    const stages = dockerfile().stages;
    expect(stages.length).withContext("a multi-stage build").toBeGreaterThanOrEqual(2);
    const images = new Set(stages.map((stage) => stage.image));
    expect(images.size)
      .withContext(`every stage on the same image: ${[...images].join(", ")}`)
      .toBe(1);
    const image = stages[0]?.image ?? "";
    const version = /^python:(\d+\.\d+)(?:\.\d+)?-slim(?:-[a-z]+)?$/.exec(image)?.[1];
    expect(version).withContext(`${image} is a pinned slim Python image`).toBeDefined();
    const facts = pyprojectFacts(project().read("pyproject.toml"));
    expect(satisfies(version ?? "0", facts.requiresPython))
      .withContext(`${image} against requires-python ${facts.requiresPython}`)
      .toBeTrue();
    project().read(".github/workflows/ci.yml");
    const ci = readWorkflow(join(project().dir, ".github", "workflows", "ci.yml"));
    const matrix = ci.jobs.flatMap((job) => job.matrix["python-version"] ?? []);
    expect(matrix)
      .withContext("the CI matrix")
      .toContain(version ?? "");
  });

  it("runs as a non-root user, unbuffered and without bytecode files, with a health check", () => {
    const stage = finalStage();
    const user = instructions(stage, "USER").at(-1) ?? "root";
    expect(user.split(":")[0]).not.toMatch(/^(root|0)$/);
    const env = stageEnv(stage);
    expect(env["PYTHONDONTWRITEBYTECODE"]).toBe("1");
    expect(env["PYTHONUNBUFFERED"]).toBe("1");
    expect(instructions(stage, "EXPOSE")).toEqual([PORT]);
    expect(instructions(stage, "HEALTHCHECK")[0]).toBeDefined();
    const command = healthcheckCommand(stage);
    expect(command[0]).withContext("slim images have no curl: python's urllib asks").toBe("python");
    expect(command.join(" ")).toContain(`http://127.0.0.1:${PORT}/healthz`);
    expect(command.join(" ")).withContext("the Host header the settings allow").toContain("ALLOWED_HOSTS");
    expect(project().read("myapp/urls.py")).toContain('path("healthz"');
  });

  it("installs the dependencies of pyproject.toml and copies no .env", () => {
    const [builder] = dockerfile().stages;
    const copies = builder === undefined ? [] : instructions(builder, "COPY");
    expect(copies.some((args) => args.split(" ").includes("pyproject.toml")))
      .withContext("the builder copies pyproject.toml, the one list of dependencies")
      .toBeTrue();
    expect(copies.some((args) => args.split(" ").includes("uv.lock")))
      .withContext("the builder copies uv.lock, the pinned versions and hashes")
      .toBeTrue();
    const runs = builder === undefined ? "" : instructions(builder, "RUN").join("\n");
    expect(runs)
      .withContext("installs from uv.lock, refusing one that no longer matches pyproject.toml")
      .toMatch(/\buv sync --locked\b[^\n]*--no-dev\b/);
    expect(runs)
      .withContext("a resolution at build time")
      .not.toMatch(/pip install (?![^\n]*--require-hashes)[^\n]*(-r|--requirement|\s\.)\b/);
    for (const stage of dockerfile().stages) {
      for (const args of [...instructions(stage, "COPY"), ...instructions(stage, "ADD")]) {
        expect(args).not.toMatch(/(^|[\s/"])\.env\b/);
        expect(args)
          .withContext("a second list of dependencies beside pyproject.toml")
          .not.toMatch(/requirements/);
      }
      for (const [key] of [...instructionsOf(stage, "ENV"), ...instructionsOf(stage, "ARG")].flatMap((item) =>
        keyValues(item, {}),
      )) {
        expect(key)
          .withContext("a secret baked into the image")
          .not.toMatch(/SECRET|PASSWORD|TOKEN/);
      }
    }
    expect(dockerignoreMatcher(project().read(".dockerignore"))(".env")).toBeTrue();
  });

  it("names the project's real settings and WSGI modules in collectstatic and gunicorn", () => {
    const stage = finalStage();
    const settings = stageEnv(stage)["DJANGO_SETTINGS_MODULE"] ?? "";
    expect(settings).toBe(`${project().name}.settings.production`);
    expect(moduleExists(settings)).withContext(settings).toBeTrue();
    const collectstatic = instructions(stage, "RUN").find((args) => args.includes("collectstatic")) ?? "";
    expect(collectstatic).toMatch(/python manage\.py collectstatic --noinput/);
    expect(existsSync(join(project().dir, "manage.py"))).toBeTrue();
    expect(collectstatic)
      .withContext("a generated key, not a literal one")
      .toMatch(/SECRET_KEY="\$\(python -c/);
    const cmd = execForm(instructions(stage, "CMD").at(-1) ?? "") ?? [];
    expect(cmd[0]).toBe("gunicorn");
    expect(cmd[1]).toBe(`${project().name}.wsgi`);
    expect(moduleExists(cmd[1] ?? ""))
      .withContext(cmd[1] ?? "")
      .toBeTrue();
    expect(cmd.join(" ")).toContain(`--bind 0.0.0.0:${PORT}`);
  });

  it("has a compose web service wired to its PostgreSQL and Redis the way the settings read them", () => {
    const web = service("web");
    expect(web["build"]).toBe(".");
    const environment = stringTable(web["environment"], "web.environment");
    const documented = parseDotenv(project().read(".env.example"));
    for (const key of Object.keys(environment)) {
      expect(documented.has(key) || key === "DJANGO_SETTINGS_MODULE")
        .withContext(`${key} is a variable the settings read (.env.example)`)
        .toBeTrue();
    }
    const settings = environment["DJANGO_SETTINGS_MODULE"] ?? "";
    expect(moduleExists(settings)).withContext(settings).toBeTrue();

    const db = service("db");
    const dbEnv = stringTable(db["environment"], "db.environment");
    expect(String(db["image"])).toMatch(/^postgres:\d+(-alpine)?$/);
    const url = new URL(environment["DATABASE_URL"] ?? "");
    expect(url.protocol).toBe("postgres:");
    expect(url.hostname).toBe("db");
    expect(url.username).toBe(dbEnv["POSTGRES_USER"] ?? "");
    expect(url.password).toBe(dbEnv["POSTGRES_PASSWORD"] ?? "");
    expect(url.pathname).toBe(`/${dbEnv["POSTGRES_DB"] ?? ""}`);
    const dbMajor = /^postgres:(\d+)/.exec(String(db["image"]))?.[1];
    const ciPostgres = readWorkflow(join(project().dir, ".github", "workflows", "ci.yml"))
      .jobs.flatMap((job) => Object.values(job.services))
      .find((item) => item.image.startsWith("postgres:"));
    expect(/^postgres:(\d+)/.exec(ciPostgres?.image ?? "")?.[1])
      .withContext("CI tests on the PostgreSQL compose runs")
      .toBe(dbMajor);
    const volumes = Array.isArray(db["volumes"]) ? db["volumes"].map(String) : [];
    const named = Object.keys(table(compose()["volumes"] ?? {}, "volumes"));
    expect(volumes.some((volume) => named.includes(volume.split(":")[0] ?? "")))
      .withContext("the database lives in a named volume")
      .toBeTrue();
    expect(JSON.stringify(db["healthcheck"])).toContain("pg_isready");

    const redis = service("redis");
    expect(String(redis["image"])).toMatch(/^redis:\d+(\.\d+)*(-alpine)?$/);
    expect(new URL(environment["REDIS_URL"] ?? "").hostname).toBe("redis");
    expect(redis["healthcheck"]).toBeDefined();

    const dependsOn = table(web["depends_on"], "web.depends_on");
    expect(table(dependsOn["db"], "depends_on.db")["condition"]).toBe("service_healthy");

    const healthcheck = JSON.stringify(web["healthcheck"]);
    expect(healthcheck).toContain(`127.0.0.1:${PORT}/healthz`);
    const host = /'Host': '([^']+)'/.exec(healthcheck)?.[1] ?? "";
    expect((environment["ALLOWED_HOSTS"] ?? "").split(","))
      .withContext("the Host of the health check")
      .toContain(host);
    const services = Object.keys(table(compose()["services"], "services"));
    for (const name of services) {
      const ports = service(name)["ports"];
      for (const port of Array.isArray(ports) ? ports.map(String) : []) {
        expect(port)
          .withContext(`${name}: published on this machine only`)
          .toMatch(/^127\.0\.0\.1:/);
      }
    }
    for (const name of ["db", "redis"]) {
      expect(service(name)["ports"]).withContext(`${name} is not published`).toBeUndefined();
    }

    // Mail sent in development lands in Mailpit, whose inbox is published.
    const catcher = environment["LOCAL_EMAIL_HOST"] ?? "";
    expect(services).withContext("LOCAL_EMAIL_HOST names a service").toContain(catcher);
    expect(String(service(catcher)["image"])).toMatch(/^axllent\/mailpit:v\d+\.\d+/);
    expect(service(catcher)["ports"]).toEqual(["127.0.0.1:8025:8025"]);
    expect(environment["LOCAL_EMAIL_PORT"]).toBe("1025");
  });

  it(
    "installs the runtime dependencies and collects the static files when its build steps run here",
    async () => {
      const result = await build();
      expect(result.skipped.map((item) => item.command.split(" ")[0])).toEqual(["groupadd", "install"]);
      const facts = pyprojectFacts(project().read("pyproject.toml"));
      const env = { ...result.env, PYTHONDONTWRITEBYTECODE: "1" };
      const installed = await run(
        "python",
        [
          "-c",
          "import importlib.metadata as m; print('\\n'.join(d.metadata['Name'] for d in m.distributions()))",
        ],
        { cwd: result.workdir, env, timeoutMs: 30_000 },
      );
      expectSuccess(installed);
      const names = new Set(installed.stdout.split("\n").map(requirementName));
      for (const requirement of [...facts.dependencies, ...(facts.extras["sentry"] ?? [])]) {
        expect(names).withContext(requirement).toContain(requirementName(requirement));
      }
      for (const requirement of facts.devGroup) {
        expect(names)
          .withContext(`a development tool in the image: ${requirement}`)
          .not.toContain(requirementName(requirement));
      }
      expect(names)
        .withContext("the project itself installed in site-packages would shadow the copied source")
        .not.toContain(project().name);
      // Exactly the versions uv.lock pins, package by package.
      const locked = new Map(
        lockedPackages(project().read("uv.lock")).map((item) => [item.name, item.version]),
      );
      const versions = await installedVersions(
        join(result.mapPaths("/opt/venv"), "bin", "python"),
        result.workdir,
      );
      for (const [name, version] of versions) {
        expect(`${name}==${version}`).toBe(`${name}==${locked.get(name) ?? "(not in uv.lock)"}`);
      }

      const collect = result.ran.find((item) => item.command.includes("collectstatic"));
      expect(collect?.result.stdout).toMatch(/\d+ static files? copied/);
      expect(existsSync(join(result.workdir, "staticfiles", "staticfiles.json")))
        .withContext("WhiteNoise's manifest")
        .toBeTrue();
      expect(existsSync(join(result.workdir, "manage.py"))).toBeTrue();
      expect(existsSync(join(result.workdir, ".env")))
        .withContext("the .env of the context")
        .toBeFalse();
      expect(existsSync(join(result.workdir, ".git"))).toBeFalse();
    },
    BUILD_TIMEOUT_MS,
  );

  it(
    "serves /healthz with the image's command, where its health check passes (and fails without a database)",
    async () => {
      const result = await build();
      const stage = finalStage();
      const cmd = execForm(instructions(stage, "CMD").at(-1) ?? "") ?? [];
      const probe = healthcheckCommand(stage);
      const vars = Object.fromEntries(parseDotenv(project().read(".env.example")));
      const runtimeEnv = (databaseUrl: string): NodeJS.ProcessEnv => ({
        ...result.env,
        ...vars,
        SECRET_KEY: randomBytes(48).toString("base64url"),
        DATABASE_URL: databaseUrl,
        REDIS_URL: "redis://127.0.0.1:6379/0",
      });
      /** Serves with the image's command and `extraEnv`, probes /healthz, counts the workers. */
      const check = async (
        databaseUrl: string,
        extraEnv: NodeJS.ProcessEnv,
        expectedWorkers: number,
      ): Promise<{ probe: RunResult; output: string; workers: number }> => {
        const env = { ...runtimeEnv(databaseUrl), ...extraEnv };
        const [command = "", ...args] = cmd.map((arg) => arg.replace(`0.0.0.0:${PORT}`, "127.0.0.1:{port}"));
        const server = await startServer({
          command,
          args,
          cwd: result.workdir,
          env,
          readyPath: "/healthz",
          readyHeaders: { Host: "localhost" },
          timeoutMs: 30_000,
        });
        try {
          const workers = await settledWorkerCount(server.port, expectedWorkers);
          const [probeCommand = "", ...probeArgs] = probe.map((arg) =>
            arg.replace(`127.0.0.1:${PORT}`, `127.0.0.1:${server.port}`),
          );
          const answer = await run(probeCommand, probeArgs, { cwd: result.workdir, env, timeoutMs: 30_000 });
          return { probe: answer, output: server.output(), workers };
        } finally {
          await server.stop();
        }
      };
      expect(cmd.join(" ")).toContain(`0.0.0.0:${PORT}`);
      // The image's defaults, as .env.example leaves them: two workers per CPU plus one, no
      // line per request.
      const defaults = await check(database().url, {}, 2 * availableParallelism() + 1);
      expect(defaults.probe.code)
        .withContext(`${describeRun(defaults.probe)}\n${defaults.output}`)
        .toBe(0);
      expect(defaults.workers)
        .withContext(defaults.output)
        .toBe(2 * availableParallelism() + 1);
      expect(defaults.output).not.toMatch(/GET \/healthz/);

      const logged = { GUNICORN_ACCESS_LOG: "True", WEB_CONCURRENCY: "2" };
      const healthy = await check(database().url, logged, 2);
      expect(healthy.probe.code)
        .withContext(`${describeRun(healthy.probe)}\n${healthy.output}`)
        .toBe(0);
      expect(healthy.workers).withContext(healthy.output).toBe(2);
      expect(healthy.output).toMatch(/GET \/healthz HTTP\/1\.1" 200/);

      const missing = new URL(database().url);
      missing.pathname = `/${database().name}_missing`;
      const unhealthy = await check(missing.toString(), logged, 2);
      expect(unhealthy.probe.code).withContext(describeRun(unhealthy.probe)).not.toBe(0);
      expect(unhealthy.output).toMatch(/GET \/healthz HTTP\/1\.1" 503/);
    },
    SERVER_SPEC_TIMEOUT_MS,
  );

  it(
    "serves /healthz with compose's web command and environment, where its health check passes",
    async () => {
      const result = await build();
      const web = service("web");
      const environment = stringTable(web["environment"], "web.environment");
      const command = String(web["command"]).split(" ");
      expect(command.join(" ")).toContain(`0.0.0.0:${PORT}`);
      const test = Array.isArray(table(web["healthcheck"], "web.healthcheck")["test"])
        ? (table(web["healthcheck"], "web.healthcheck")["test"] as unknown[]).map(String)
        : [];
      expect(test[0]).toBe("CMD");
      // The services are the throwaway database and this machine's Redis port; the code is
      // the project folder itself, which compose mounts over /app.
      const env: NodeJS.ProcessEnv = {
        ...result.env,
        ...environment,
        DATABASE_URL: database().url,
        REDIS_URL: "redis://127.0.0.1:6379/0",
      };
      const [program = "", ...args] = command.map((arg) =>
        arg.replace(`0.0.0.0:${PORT}`, "127.0.0.1:{port}"),
      );
      const server = await startServer({
        command: program,
        args: [...args, "--noreload"],
        cwd: project().dir,
        env,
        readyPath: "/healthz",
        readyHeaders: { Host: "localhost" },
        timeoutMs: 30_000,
      });
      try {
        const [probe = "", ...probeArgs] = test
          .slice(1)
          .map((arg) => arg.replace(`127.0.0.1:${PORT}`, `127.0.0.1:${server.port}`));
        const answer = await run(probe, probeArgs, { cwd: project().dir, env, timeoutMs: 30_000 });
        expect(answer.code)
          .withContext(`${describeRun(answer)}\n${server.output()}`)
          .toBe(0);
        const home = await httpGet(`${server.origin}/`, { Host: "localhost" });
        expect(home.status).withContext(server.output()).toBe(200);
      } finally {
        await server.stop();
      }
    },
    SERVER_SPEC_TIMEOUT_MS,
  );

  it(
    "documents Docker commands that name its compose services, its image and real manage.py commands",
    async () => {
      const result = await build();
      const section = markdownSection(project().read("README.md"), "## Docker");
      const lines = codeBlocks(section, "bash")
        .flatMap((block) => block.split("\n"))
        .map((line) => line.trim())
        .filter((line) => line.startsWith("docker "));
      expect(lines).toContain("docker compose up --build");
      const services = Object.keys(table(compose()["services"], "services"));
      const managePy: string[] = [];
      for (const line of lines) {
        const words = line.split(/\s+/);
        const python = words.indexOf("python");
        if (python !== -1) {
          expect(words.slice(python + 1, python + 2))
            .withContext(line)
            .toEqual(["manage.py"]);
          managePy.push(words[python + 2] ?? "");
        }
        if (words[1] === "compose" && (words[2] === "run" || words[2] === "exec")) {
          const target = words.slice(3).find((word, index, rest) => {
            const previous = rest[index - 1];
            return !word.startsWith("-") && !word.startsWith('"') && previous !== "--user";
          });
          expect(services)
            .withContext(line)
            .toContain(target ?? "");
        }
        if (words[1] === "build") {
          expect(words.slice(2)).withContext(line).toEqual(["-t", project().name, "."]);
        }
        if (words[1] === "run") {
          expect(words).withContext(line).toContain(project().name);
        }
      }
      expect(managePy).toEqual(jasmine.arrayContaining(["migrate", "createsuperuser"]));
      const help = await run("python", ["manage.py", "help", "--commands"], {
        cwd: project().dir,
        env: { ...result.env, DJANGO_SETTINGS_MODULE: `${project().name}.settings.local` },
        timeoutMs: 30_000,
      });
      expectSuccess(help);
      const commands = help.stdout.split("\n").map((line) => line.trim());
      for (const command of managePy) {
        expect(commands).withContext(`manage.py ${command}`).toContain(command);
      }
    },
    BUILD_TIMEOUT_MS,
  );
});

function table(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`docker-compose.yml: ${where} is not a mapping`);
  }
  return value as Record<string, unknown>;
}

function stringTable(value: unknown, where: string): Record<string, string> {
  return Object.fromEntries(Object.entries(table(value, where)).map(([key, item]) => [key, String(item)]));
}

/** Processes whose command line names `127.0.0.1:<port>`: gunicorn's master and its forked workers. */
function gunicornProcesses(port: number): number {
  const bind = `127.0.0.1:${port}`;
  return readdirSync("/proc").filter((entry) => {
    if (!/^\d+$/.test(entry)) {
      return false;
    }
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      return cmdline.includes(bind) && cmdline.some((arg) => arg.endsWith("gunicorn"));
    } catch {
      return false; // Gone meanwhile.
    }
  }).length;
}

/**
 * gunicorn's worker count once it has settled: waits (at most 15 s) until `expected` workers
 * are up, then counts again a moment later, so a count above `expected` shows too.
 */
async function settledWorkerCount(port: number, expected: number): Promise<number> {
  for (let waited = 0; waited < 15_000 && gunicornProcesses(port) - 1 < expected; waited += 250) {
    await delay(250);
  }
  await delay(500);
  return gunicornProcesses(port) - 1;
}
