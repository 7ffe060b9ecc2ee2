import type { Rule } from "@angular-devkit/schematics";

/** What a migration knows of the project it runs on. */
export interface MigrationContext {
  name: string;
  /** Files it must leave alone: they hold conflict markers the owner resolves. */
  skip: ReadonlySet<string>;
}

/**
 * A version-keyed change that text merging cannot express (a setting renamed, a file moved,
 * an option dropped from a line the owner edited), as Angular's migrations.json: a small
 * rule using the editors, run once, by the update that crosses its version.
 */
export interface Migration {
  /** The release that brings it: it runs when a project goes from below this version to it or above. */
  version: string;
  name: string;
  description: string;
  rule: (project: MigrationContext) => Rule;
}
