// Injected by scripts/bundle.mjs: what `import.meta.url` means once ES modules are bundled
// into CommonJS (yargs-parser's ES build creates a require() from it).
import { pathToFileURL } from "node:url";

export const importMetaUrl = pathToFileURL(__filename).href;
