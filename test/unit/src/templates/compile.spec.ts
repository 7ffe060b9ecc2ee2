import { template } from "@angular-devkit/core";
import { readdirSync, readFileSync } from "node:fs";
import { join, sep } from "node:path";
import { compileTemplate, templateSource } from "../../../../src/templates/compile";
import { PACKAGE_ROOT } from "../../../../src/base/version";

const SCHEMATICS = join(PACKAGE_ROOT, "schematics");

/** Every template every schematic ships (`files/**\/*.template`). */
function shippedTemplates(): string[] {
  return readdirSync(SCHEMATICS, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".template"))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => file.split(sep).includes("files"))
    .sort();
}

/** The function source the devkit compiles `content` to (its result's `source`, untyped). */
function devkitSource(content: string): string {
  return (template(content) as unknown as { source: string }).source;
}

describe("compileTemplate", () => {
  it("builds the devkit's function source, character for character, for every template we ship", () => {
    const files = shippedTemplates();
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) {
      const content = readFileSync(file, "utf-8");
      expect(templateSource(content)).withContext(file).toBe(devkitSource(content));
    }
  });

  it("builds the devkit's source for every kind of delimiter, empty pieces and text around them", () => {
    const cases = [
      "",
      "plain text, no delimiter\n",
      "<%= name %>",
      "a <%= name %> b <%- html %> c <%# a comment %> d <% if (flag) { %>yes<% } else { %>no<% } %> e",
      "<%# first %><%# second %>",
      "multi\n<%\n  const x = 1;\n%>\nline <%= x\n %>\n",
      "100% <%= a %>% done, and <% %> empty code",
      "quotes ' \" ` and \\ backslash \u2028 separator",
    ];
    for (const content of cases) {
      expect(templateSource(content)).withContext(JSON.stringify(content)).toBe(devkitSource(content));
    }
  });

  it("renders as the devkit's template does, escaping with <%- %> and skipping comments", () => {
    const content = "<%= name %>|<%- html %>|<%# gone %>|<% if (flag) { %>on<% } %>|<%= missing ?? 'x' %>";
    const values = { name: "shop", html: `<a href="x">'&'</a>`, flag: true, missing: null };
    expect(compileTemplate(content)(values)).toBe(template<typeof values>(content)(values));
    expect(compileTemplate(content)(values)).toBe(
      "shop|&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;||on|x",
    );
  });
});
