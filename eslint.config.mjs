// Strict type-aware linting of our TypeScript; generated project templates are not ours to lint here.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "coverage/", "node_modules/", ".cache/", "schematics/*/files/", "**/*.d.ts"] },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
    },
  },
  {
    files: ["**/*.mjs", "bin/*.js"],
    ...tseslint.configs.disableTypeChecked,
    // Plain JavaScript: parsed without the TypeScript project (whose type-aware rules are off).
    languageOptions: {
      parserOptions: { projectService: false, project: false },
      globals: {
        process: "readonly",
        console: "readonly",
        require: "readonly",
        __dirname: "readonly",
        module: "readonly",
        __filename: "readonly",
      },
    },
  },
  { files: ["bin/*.js"], rules: { "@typescript-eslint/no-require-imports": "off" } },
);
