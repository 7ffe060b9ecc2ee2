// Generated from schema.json by scripts/schema-types.mjs. Do not edit.

export interface Schema {
  /**
   * The project name: a lower-case Python package name.
   */
  name: string;
}
