/**
 * Markdown editing that keeps every byte it does not add. Headings are found line by line,
 * skipping fenced code blocks, so a `## x` inside a shell example is never taken for one.
 */

/** The level-2 headings of `text`, with their line numbers (from 0). */
export function h2Headings(text: string): { title: string; line: number }[] {
  const headings: { title: string; line: number }[] = [];
  let fence: string | null = null;
  text.split("\n").forEach((raw, line) => {
    const trimmed = raw.replace(/\r$/, "");
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(trimmed)?.[1];
    if (marker !== undefined) {
      if (fence === null) {
        fence = marker;
      } else if (marker.startsWith(fence.charAt(0)) && marker.length >= fence.length) {
        fence = null;
      }
      return;
    }
    const heading = fence === null ? /^ {0,3}## +(.+?)\s*#*\s*$/.exec(trimmed) : null;
    if (heading?.[1] !== undefined) {
      headings.push({ title: heading[1], line });
    }
  });
  return headings;
}

/**
 * `text` with `section` (markdown starting with a `## Title` line) inserted before the
 * `## <before>` heading, or at the end when there is none. A section whose title is
 * already present is left alone, however the user has changed it: the result is `text`.
 */
export function ensureSection(text: string, section: string, before: string): string {
  const title = h2Headings(section)[0]?.title;
  if (title === undefined) {
    throw new Error("A README section must start with a level-2 heading.");
  }
  const headings = h2Headings(text);
  if (headings.some((heading) => heading.title === title)) {
    return text;
  }
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const body = section.trim().split(/\r?\n/).join(eol);
  const anchor = headings.find((heading) => heading.title === before);
  if (anchor === undefined) {
    const separator =
      text === "" ? "" : text.endsWith(`${eol}${eol}`) ? "" : text.endsWith(eol) ? eol : `${eol}${eol}`;
    return `${text}${separator}${body}${eol}`;
  }
  const lines = text.split("\n");
  const head = lines
    .slice(0, anchor.line)
    .map((line) => `${line}\n`)
    .join("");
  const tail = lines.slice(anchor.line).join("\n");
  return `${head}${body}${eol}${eol}${tail}`;
}
