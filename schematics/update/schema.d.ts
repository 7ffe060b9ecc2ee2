// Generated from schema.json by scripts/schema-types.mjs. Do not edit.

export interface Schema {}
