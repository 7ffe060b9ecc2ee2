/**
 * Code-aware editors of the Python files a module changes in a project the user may have
 * edited (docs/architecture.md, "Editing what the user owns"). They find what they change by parsing with
 * tree-sitter, keep every byte they do not change, write what `ruff format` would leave
 * unchanged, change nothing when run twice, and refuse code they do not understand with a
 * `PythonEditError` naming the file, line, what was expected and what was found.
 */
export { PythonEditError } from "./errors";
export { addImport, type ImportOptions } from "./imports";
export { addToListSetting, addToNestedList, addUrlPattern, type ListSettingOptions } from "./lists";
export { definesSetting, setSetting } from "./settings";
export { addModuleStatement } from "./statements";
