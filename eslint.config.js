import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", ".data/", ".test-data/", "app/.server/generated/", "test-results/", "playwright-report/", "node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "no-console": ["error", { allow: ["warn", "error"] }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // The workflow core depends on nothing of the app, the tasks or the server, nor on the
    // frameworks they use (ADR 011); workflow/boundary.test.ts checks that this rule bites.
    files: ["workflow/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["~/*", "~trigger/*", "**/app/**", "**/trigger/**", "**/server/**"],
              message: "The workflow core (workflow/) must not import the app, the tasks or the server; pass what it needs in through RunHost, MediaStore or options.",
            },
            {
              group: ["@remix-run/*", "@prisma/*", "@trigger.dev/*", "react", "react-dom", "@xyflow/*", "zustand"],
              message: "The workflow core (workflow/) stays framework-free: no Remix, Prisma, Trigger.dev SDK or UI libraries.",
            },
          ],
        },
      ],
    },
  },
);
