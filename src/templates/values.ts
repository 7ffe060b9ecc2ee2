/** Values a template may use: `<%= name %>` in content, `__name__` as a path segment. */
export type TemplateValues = Record<string, string>;
