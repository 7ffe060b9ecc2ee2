/**
 * The next steps `quickscale add` prints once it has changed a project, chosen from what
 * the run changed: the commands a developer runs next, as `quickscale init` prints its own.
 */
import { parse as parseToml } from "smol-toml";
import { pythonParser } from "../editors/python/parser";
import { fieldOf, namedChildrenOf, statementsOf, withModule } from "../editors/python/syntax";
import { PYPROJECT_PATH } from "../editors/toml/pyproject-tables";

/** A file the run wrote: its text before (null when it is new) and after. */
export interface ChangedFile {
  readonly path: string;
  readonly before: string | null;
  readonly after: string;
}

/**
 * "Next steps:" and its commands: install when pyproject.toml's dependencies changed,
 * migrate when a migration or a list of apps (INSTALLED_APPS, THIRD_PARTY_APPS...)
 * changed, run the tests when code or dependencies changed, then review and commit (with
 * git in the project).
 */
export async function nextStepsAfterAdd(changes: readonly ChangedFile[], hasGit: boolean): Promise<string> {
  const install = changes.some((change) => change.path === PYPROJECT_PATH && dependenciesChanged(change));
  const migrate =
    changes.some((change) => isMigration(change.path)) ||
    (await someAsync(changes, (change) => appsChanged(change)));
  const test =
    install ||
    migrate ||
    changes.some((change) => /\.(py|html)$/.test(change.path) || change.path === PYPROJECT_PATH);
  const steps = [
    ...(install
      ? [
          "uv sync                          # the new dependencies (or: poetry install, or pip: see README.md)",
        ]
      : []),
    ...(migrate ? ["uv run python manage.py migrate  # the new apps' tables"] : []),
    ...(test ? ["uv run pytest --cov              # the tests, the new ones included"] : []),
    ...(hasGit ? ["git status && git diff           # review the changes, then commit them"] : []),
  ];
  return steps.length === 0 ? "" : ["Next steps:", ...steps.map((step) => `  ${step}`), ""].join("\n");
}

function isMigration(path: string): boolean {
  return /(^|\/)migrations\/[^/]+\.py$/.test(path) && !path.endsWith("/__init__.py");
}

/** Whether the requirements pyproject.toml declares (dependencies, extras, dependency groups) differ. */
function dependenciesChanged(change: ChangedFile): boolean {
  if (change.before === null) {
    return true;
  }
  try {
    return requirementsOf(change.before) !== requirementsOf(change.after);
  } catch {
    return true;
  }
}

function requirementsOf(text: string): string {
  const doc = parseToml(text) as {
    project?: { dependencies?: unknown; "optional-dependencies"?: unknown };
    "dependency-groups"?: unknown;
  };
  return JSON.stringify([
    doc.project?.dependencies,
    doc.project?.["optional-dependencies"],
    doc["dependency-groups"],
  ]);
}

/** Whether a Python module's top-level lists of apps (names ending in APPS) differ. */
async function appsChanged(change: ChangedFile): Promise<boolean> {
  if (!change.path.endsWith(".py")) {
    return false;
  }
  try {
    return (await appsOf(change.before ?? "", change.path)) !== (await appsOf(change.after, change.path));
  } catch {
    return true;
  }
}

/** The text of the statements that assign or extend a top-level name ending in APPS. */
async function appsOf(source: string, file: string): Promise<string> {
  const parser = await pythonParser();
  return withModule(parser, source, file, (root) =>
    statementsOf(root)
      .filter((statement) => {
        const assignment =
          statement.type === "expression_statement" ? namedChildrenOf(statement)[0] : undefined;
        const left =
          assignment?.type === "assignment" || assignment?.type === "augmented_assignment"
            ? fieldOf(assignment, "left")
            : null;
        return left?.type === "identifier" && /(^|_)APPS$/.test(left.text);
      })
      .map((statement) => statement.text)
      .join("\n"),
  );
}

async function someAsync<T>(items: readonly T[], test: (item: T) => Promise<boolean>): Promise<boolean> {
  for (const item of items) {
    if (await test(item)) {
      return true;
    }
  }
  return false;
}
