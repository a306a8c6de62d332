import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "var/**", "dist/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": ["error", { patterns: [{ group: ["express", "express/*"], message: "only api/ may import express" }] }],
    },
  },
  {
    files: ["api/**/*.ts", "test/**/*.ts", "bench/**/*.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["models/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["../src/*", "../api/*", "express"], message: "models/ depends on nothing in the project" }] }],
    },
  },
);
