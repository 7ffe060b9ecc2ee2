import { chain, Rule } from "@angular-devkit/schematics";
import { compareVersions } from "../rules/manifest";
import { coverageOutOfAddopts } from "./migrations/coverage-out-of-addopts";
import type { Migration, MigrationContext } from "./migration";

export type { Migration, MigrationContext } from "./migration";

/** Every migration QuickScale ships, oldest first. */
export const MIGRATIONS: readonly Migration[] = [coverageOutOfAddopts];

/** The migrations an update from `from` to `to` crosses, in version order (the list's order within one version). */
export function migrationsBetween(
  from: string,
  to: string,
  all: readonly Migration[] = MIGRATIONS,
): Migration[] {
  return all
    .map((migration, index) => ({ migration, index }))
    .filter(
      ({ migration }) =>
        compareVersions(migration.version, from) > 0 && compareVersions(migration.version, to) <= 0,
    )
    .sort((a, b) => compareVersions(a.migration.version, b.migration.version) || a.index - b.index)
    .map(({ migration }) => migration);
}

/** The rules of `migrations`, chained in order. */
export function runMigrations(migrations: readonly Migration[], project: MigrationContext): Rule {
  return chain(migrations.map((migration) => migration.rule(project)));
}
