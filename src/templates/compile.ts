/**
 * The devkit's template compiler (`template()` of `@angular-devkit/core`, its fast path:
 * no source map), without the part that costs.
 *
 * The devkit's parser records the line and column where each piece of a template starts,
 * by counting from the start of the file for every piece: quadratic in the template's
 * length, and only ever used for source maps, which we never ask for. That was ~15 ms of
 * `init`'s ~60 templates, plus the garbage. This parser splits the template with the same
 * expressions and builds the same function source, character for character (a unit spec
 * compares it with the devkit's for every template we ship), so renders are unchanged.
 */

// The devkit's delimiters, in the devkit's order: <%- escaped %>, <%# comment %>,
// <%= interpolated %>, <% code %>.
const DELIMITERS = /<%-([\s\S]+?)%>|<%#([\s\S]+?)%>|<%=([\s\S]+?)%>|<%([\s\S]+?)%>|$/g;
const HTML_ESCAPES = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};
const UNESCAPED_HTML = `[${Object.keys(HTML_ESCAPES).join("")}]`.replace(/[']/g, "\\\\\\'");

/** The render function of `content`, as the devkit's `template(content)` returns it. */
export function compileTemplate(content: string): (input: object) => string {
  // As the devkit does: the source is built from our own templates, and `with (obj)` (how
  // templates see their values) is only allowed in sloppy-mode code made at run time.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const render = Function("module", templateSource(content)) as (module: null) => (input: object) => string;
  return render(null);
}

/** The source the devkit's `template(content).source` holds. */
export function templateSource(content: string): string {
  const statements: string[] = [];
  const parts = content.split(DELIMITERS);
  // split() yields each piece of text followed by the four capture groups of the delimiter
  // after it (undefined for the groups that did not match).
  for (let i = 0; i < parts.length; i += 5) {
    const [text, escape, comment, interpolate, evaluate] = parts.slice(i, i + 5);
    if (text) statements.push(`__p += ${JSON.stringify(text)};`);
    if (escape) statements.push(`__p += __e(${escape});`);
    // The devkit leaves an empty line for a comment.
    if (comment) statements.push("");
    if (interpolate) statements.push(`__p += ((__t = (${interpolate})) == null) ? '' : __t;`);
    if (evaluate) statements.push(evaluate);
  }
  return `
    return  function(obj) {
      obj || (obj = {});
      let __t;
      let __p = '';
      const __escapes = ${JSON.stringify(HTML_ESCAPES)};
      const __escapesre = new RegExp('${UNESCAPED_HTML}', 'g');

      const __e = function(s) {
        return s ? s.replace(__escapesre, function(key) { return __escapes[key]; }) : '';
      };
      with (obj) {
        ${statements.join("\n")}
      }

      return __p;
    };
  `;
}
