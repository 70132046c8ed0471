// ESLint flat config: the recommended TypeScript rules, type-aware, for every TS file in the repo.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "coverage/**",
      "examples/*/node_modules/**",
      "test/fixtures/*/node_modules/**",
      "**/*.js",
      "**/*.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
  {
    // The emulator is an independent implementation of the API reference: importing the client's
    // schemas or types would let a wrong request pass because both sides share the mistake.
    files: ["emulator/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "**/provider",
                "**/provider/**",
                "pulumi-cloudflare-ai-search",
                "pulumi-cloudflare-ai-search/**",
              ],
              message:
                "emulator/ must not import from provider/: write the definition from the API reference.",
            },
          ],
        },
      ],
    },
  },
);
