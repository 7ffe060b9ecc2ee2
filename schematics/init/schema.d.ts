// Generated from schema.json by scripts/schema-types.mjs. Do not edit.

export interface Schema {
  /**
   * The project name: a lower-case Python package name such as "myapp".
   */
  name: string;
  /**
   * Folder to create (default: ./<name>): with quickscale init any relative or absolute path, with the schematics CLI a folder inside the current one.
   */
  directory?: string;
  /**
   * Do not initialise a git repository with a first commit.
   */
  skipGit?: boolean;
}
