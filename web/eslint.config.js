// ESLint for the web UI (`npm run lint`; scripts/test runs it). The TypeScript
// compiler already checks types (`tsc --noEmit`, strict), so this adds the
// recommended rule sets that catch what tsc does not: unused expressions,
// stray `any`, empty blocks, useless escapes, and so on. The rules are not
// type-aware, which keeps a run at a few seconds.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      // Unused names are tsc's job (noUnusedLocals, noUnusedParameters); a
      // leading underscore marks one kept on purpose.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
);
