/** Colour only when a person is reading: a TTY, and no NO_COLOR. */
export function useColour(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY && process.env["NO_COLOR"] === undefined;
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
