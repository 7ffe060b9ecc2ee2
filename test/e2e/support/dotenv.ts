/**
 * The variables of a `.env` file, the way django-environ's `read_env` reads them:
 * `KEY=value` lines (an optional `export ` prefix), `#` comment lines and blank lines
 * skipped, one pair of surrounding quotes removed from a value. Keys keep file order.
 */
export function parseDotenv(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) {
      return;
    }
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match === null) {
      throw new Error(`.env line ${index + 1} is not KEY=value: ${raw}`);
    }
    const [, key = "", rawValue = ""] = match;
    vars.set(key, unquote(rawValue.trim()));
  });
  return vars;
}

function unquote(value: string): string {
  const quoted = /^(['"])(.*)\1$/.exec(value);
  return quoted === null ? value : (quoted[2] ?? "");
}
