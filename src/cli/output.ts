/**
 * Colour only when a person is reading on a terminal that shows it: a TTY whose TERM is not
 * `dumb`, and no NO_COLOR (https://no-color.org: set and not empty).
 */
export function useColour(
  stream: Pick<NodeJS.WriteStream, "isTTY">,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return stream.isTTY && env["TERM"] !== "dumb" && (env["NO_COLOR"] ?? "") === "";
}

const CODES = { bold: 1, red: 31, green: 32, yellow: 33, cyan: 36, dim: 2 } as const;

/** `text` in a colour (or unchanged when the stream is not a TTY). */
export function paint(stream: NodeJS.WriteStream, colour: keyof typeof CODES, text: string): string {
  return useColour(stream) ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text;
}

/** Any error message on one line. */
export function oneLine(message: string): string {
  return message
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join(" ");
}

/**
 * `path` as one word for a POSIX shell: unchanged when it holds only characters no shell
 * treats specially, else in single quotes (a quote inside becomes '\''). A path that starts
 * with "-" gets "./" so that `cd` does not read it as an option.
 */
export function shellQuote(path: string): string {
  const safe = path.startsWith("-") ? `./${path}` : path;
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(safe) ? safe : `'${safe.replace(/'/g, "'\\''")}'`;
}
