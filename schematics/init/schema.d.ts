// Generated from schema.json by scripts/schema-types.mjs. Do not edit.

export interface Schema {
  /**
   * The project name: a lower-case Python package name such as "myapp".
   */
  name: string;
  /**
   * The folder to create, relative to the current one (defaults to the project name).
   */
  directory?: string;
  /**
   * Do not initialise a git repository.
   */
  skipGit?: boolean;
}
