/**
 * The Python packages the `billing` module brings, in a file that imports nothing: the
 * project name check (src/names/) reads BILLING_IMPORT_NAMES without depending on the
 * module's editors.
 */

/** The official Stripe library: 16.1 was current when the module was written. */
export const STRIPE_VERSION_RANGE = ">=16.1,<17.0";

/** Added to `[project].dependencies` of `pyproject.toml`. */
export const BILLING_DEPENDENCY = `stripe${STRIPE_VERSION_RANGE}`;

/**
 * The top-level Python packages {@link BILLING_DEPENDENCY} installs beside the project's
 * own (stripe 16 needs requests and typing_extensions; requests brings charset_normalizer,
 * idna, urllib3 and certifi). A project package of one of these names would shadow it once
 * the module runs, so `init` refuses them as project names. Keep in step with the dependency.
 */
export const BILLING_IMPORT_NAMES: readonly string[] = [
  "certifi",
  "charset_normalizer",
  "idna",
  "requests",
  "stripe",
  "typing_extensions",
  "urllib3",
];
