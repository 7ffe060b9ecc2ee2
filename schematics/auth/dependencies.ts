/**
 * The Python packages the `auth` module brings, in a file that imports nothing: the project
 * name check (src/names/) reads AUTH_IMPORT_NAMES without depending on the module's editors.
 */

/** The pinned django-allauth release line: 65.21 was current when the module was written. */
export const ALLAUTH_VERSION_RANGE = ">=65.21,<66.0";

/** Added to `[project].dependencies` of `pyproject.toml` (without MFA; see {@link MFA}). */
export const AUTH_DEPENDENCY = `django-allauth${ALLAUTH_VERSION_RANGE}`;

/**
 * The top-level Python packages that {@link AUTH_DEPENDENCY}, or {@link MFA}'s dependency,
 * installs beside the project's own (django-allauth 65 with its `mfa` extra: qrcode, fido2
 * and what fido2 needs). A project package of one of these names would shadow it once the
 * module runs, so `init` refuses them as project names. Keep in step with the dependency.
 */
export const AUTH_IMPORT_NAMES: readonly string[] = [
  "allauth",
  "cffi",
  "cryptography",
  "fido2",
  "pycparser",
  "qrcode",
];
