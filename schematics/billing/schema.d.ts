// Generated from schema.json by scripts/schema-types.mjs. Do not edit.

export interface Schema {
  /**
   * Replace files you changed since QuickScale wrote them (otherwise QuickScale stops and shows the diff).
   */
  overwrite?: boolean;
}
