import { cpSync } from "node:fs";
import { join } from "node:path";
import { describeRun, runBin, RunResult } from "./process";
import { removeDir, snapshot, tempDir } from "./files";

/** What `quickscale add billing` did to a project, from before auth to a second run. */
export interface BillingProject {
  root: string;
  dir: string;
  /** `add billing` run before `add auth`, and the project's files before and after it. */
  withoutAuth: { result: RunResult; before: string[]; after: string[] };
  /** The run that added billing, then the second one. */
  added: RunResult;
  again: RunResult;
}

/**
 * Generates `name` under a fresh folder labelled `label` (without git: every `add` gets
 * --allow-dirty), tries `add billing` before auth, then `add auth`, `add billing` and
 * `add billing` again. `edit` changes the project first, as a user would have.
 */
export async function generateWithBilling(
  label: string,
  name: string,
  edit: (dir: string) => void = () => undefined,
): Promise<BillingProject> {
  const root = tempDir(label);
  const dir = join(root, name);
  try {
    const generated = await runBin(["init", name, "--directory", dir, "--skip-git"], root);
    if (generated.code !== 0) {
      throw new Error(`Generating the project failed:\n${describeRun(generated)}`);
    }
    edit(dir);
    const before = snapshot(dir);
    const result = await runBin(["add", "billing", "--allow-dirty"], dir);
    const withoutAuth = { result, before, after: snapshot(dir) };
    const auth = await runBin(["add", "auth", "--allow-dirty"], dir);
    if (auth.code !== 0) {
      throw new Error(`quickscale add auth failed:\n${describeRun(auth)}`);
    }
    const added = await runBin(["add", "billing", "--allow-dirty"], dir);
    if (added.code !== 0) {
      throw new Error(`quickscale add billing failed:\n${describeRun(added)}`);
    }
    const again = await runBin(["add", "billing", "--allow-dirty"], dir);
    return { root, dir, withoutAuth, added, again };
  } catch (error) {
    removeDir(root);
    throw error;
  }
}

/** The billing module's own test files, in a project named myapp. */
export const BILLING_TEST_FILES = [
  "tests/test_billing_checks.py",
  `myapp/billing/tests/test_access.py`,
  `myapp/billing/tests/test_admin.py`,
  `myapp/billing/tests/test_models.py`,
  `myapp/billing/tests/test_views.py`,
  `myapp/billing/tests/test_webhooks.py`,
];

/** The order a project gained teams and billing in: the second one wires them together. */
export type TeamsAndBillingOrder = "teams-then-billing" | "billing-then-teams";

/** A project with auth, teams and billing, added in `order`, and the second runs of both. */
export interface TeamBillingProject {
  root: string;
  dir: string;
  order: TeamsAndBillingOrder;
  /** Each `add` after auth, in order, then `add billing` and `add teams` once more. */
  runs: { module: string; result: RunResult }[];
}

/**
 * Generates `name` under a fresh folder (without git: every `add` gets --allow-dirty), or
 * copies the project `copyOf` there (the same development key, so two orders compare
 * byte for byte), adds auth, then teams and billing in `order`, then runs `add billing`
 * and `add teams` again. Throws when a first `add` fails; the second runs are returned.
 */
export async function generateWithTeamsAndBilling(
  label: string,
  name: string,
  order: TeamsAndBillingOrder,
  copyOf?: string,
): Promise<TeamBillingProject> {
  const root = tempDir(label);
  const dir = join(root, name);
  const modules = order === "teams-then-billing" ? ["teams", "billing"] : ["billing", "teams"];
  try {
    if (copyOf === undefined) {
      const generated = await runBin(["init", name, "--directory", dir, "--skip-git"], root);
      if (generated.code !== 0) {
        throw new Error(`Generating the project failed:\n${describeRun(generated)}`);
      }
    } else {
      cpSync(copyOf, dir, { recursive: true });
    }
    const runs: { module: string; result: RunResult }[] = [];
    for (const module of ["auth", ...modules]) {
      const result = await runBin(["add", module, "--allow-dirty"], dir);
      if (result.code !== 0) {
        throw new Error(`quickscale add ${module} failed:\n${describeRun(result)}`);
      }
      runs.push({ module, result });
    }
    for (const module of ["billing", "teams"]) {
      runs.push({ module, result: await runBin(["add", module, "--allow-dirty"], dir) });
    }
    return { root, dir, order, runs: runs.slice(1) };
  } catch (error) {
    removeDir(root);
    throw error;
  }
}

/** The project's tests of the team as billing's customer, in a project named myapp. */
export const TEAM_BILLING_TEST_FILES = ["myapp/billing/tests/test_team_customer.py"];
