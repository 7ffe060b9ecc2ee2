import { existsSync } from "node:fs";
import { join } from "node:path";
import { JOURNAL_DIR, recoverProject } from "../commit/journal";
import { JournalKey, loadJournalKey } from "../commit/journal-key";
import { acquireProjectLock, assertNotLocked } from "../commit/lock";
import { MANIFEST_PATH } from "../rules/manifest";
import { timed } from "../base/profile";

/**
 * How `add` and `update` enter a project: it must be one (`command` names the refused
 * command). A run that only reads (a dry run, `update --check`) takes no lock: it refuses
 * while another run holds the project or an interrupted one left its journal, then runs
 * `work` without a journal key. A run that writes loads the journal key (kept outside the
 * project), takes the project lock, rolls back an interrupted run (only from a journal
 * QuickScale wrote here), runs `work` with the key, and gives the lock up after.
 */
export async function runInLockedProject(
  root: string,
  command: string,
  readOnly: boolean,
  work: (key: JournalKey | null) => Promise<number>,
): Promise<number> {
  assertProject(root, command);
  if (readOnly) {
    assertNotLocked(root);
    if (existsSync(join(root, JOURNAL_DIR))) {
      throw new Error(`An interrupted QuickScale run left ${JOURNAL_DIR}: run "quickscale recover" first.`);
    }
    return work(null);
  }
  const key = loadJournalKey();
  const lock = acquireProjectLock(root);
  try {
    await timed("recovery", () => {
      reportRecovery(recoverProject(root, key));
    });
    return await work(key);
  } finally {
    lock.release();
  }
}

export function reportRecovery(recovered: string[] | null): void {
  if (recovered !== null) {
    process.stdout.write(`Rolled back an interrupted QuickScale run (${recovered.length} files restored).\n`);
  }
}

export function assertProject(root: string, command: string): void {
  if (!existsSync(join(root, MANIFEST_PATH))) {
    throw new Error(
      `Not a QuickScale project: there is no ${MANIFEST_PATH} here. Run "quickscale ${command}" inside a project made by "quickscale init".`,
    );
  }
}
