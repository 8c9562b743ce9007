// @ts-check
import js from "@eslint/js";
import svelte from "eslint-plugin-svelte";
import globals from "globals";
import ts from "typescript-eslint";
import svelteConfig from "./svelte.config.js";

const TAURI_ONLY_IN_IPC = {
  patterns: [
    {
      group: ["@tauri-apps/api", "@tauri-apps/api/*", "@tauri-apps/plugin-*"],
      message: "Talk to the backend through src/lib/ipc/client.ts only.",
    },
    {
      group: ["**/ipc/bindings", "**/ipc/bindings.ts"],
      message: "bindings.ts is generated; import from src/lib/ipc/client.ts instead.",
    },
  ],
};

export default ts.config(
  {
    ignores: ["dist/", "node_modules/", "src/lib/ipc/bindings.ts", "coverage/"],
  },
  js.configs.recommended,
  ...ts.configs.strictTypeChecked,
  ...ts.configs.stylisticTypeChecked,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: {
        projectService: true,
        extraFileExtensions: [".svelte"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: ["**/*.svelte", "**/*.svelte.ts"],
    languageOptions: {
      parserOptions: {
        parser: ts.parser,
        svelteConfig,
      },
    },
  },
  {
    rules: {
      "no-restricted-imports": ["error", TAURI_ONLY_IN_IPC],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-confusing-void-expression": "off",
      // Intentional no-op callbacks (e.g. `onStale: () => {}`) are fine.
      "@typescript-eslint/no-empty-function": "off",
      "@typescript-eslint/consistent-type-definitions": "off",
      "@typescript-eslint/prefer-nullish-coalescing": ["error", { ignorePrimitives: { boolean: true, string: true } }],
      eqeqeq: ["error", "always"],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // Type-aware lint sees imported .svelte components as `any`; svelte-check type-checks them.
    files: ["**/*.svelte"],
    rules: {
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // The IPC layer is the one place allowed to use Tauri directly.
    files: ["src/lib/ipc/**"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // Node-side config files.
    files: ["*.config.js", "*.config.ts"],
    languageOptions: { globals: { ...globals.node } },
    ...ts.configs.disableTypeChecked,
  },
);
