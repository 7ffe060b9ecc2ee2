// Generated from schema.json by scripts/schema-types.mjs. Do not edit.

export interface Schema {
  /**
   * Add two-factor authentication: TOTP authenticator apps and recovery codes (allauth.mfa).
   */
  mfa?: boolean;
  /**
   * Replace files you changed since QuickScale wrote them (otherwise QuickScale stops and shows the diff).
   */
  overwrite?: boolean;
}
