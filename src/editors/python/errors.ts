/** A refusal: the code is not in a shape the editor can change safely. Nothing is written. */
export class PythonEditError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${file}:${line}: expected ${oneLine(expected)}, found ${oneLine(found)}.`);
    this.name = "PythonEditError";
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, " ").replace(/(?<!\.)\.$/, "");
}
