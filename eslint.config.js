import tseslint from "typescript-eslint";

/**
 * The engine's folders and what each may import (besides models/ and itself). Dependencies run one
 * way: a folder only imports folders listed here, which never import it back. docs/architecture.md
 * explains each folder; a new folder is added here, and lint fails on an import against the table.
 */
const layers = {
  numeric: [],
  expressions: ["numeric"],
  formats: ["numeric"],
  plan: ["numeric", "expressions"],
  verify: ["numeric", "expressions", "plan"],
  mip: ["numeric", "plan"],
  structured: ["numeric", "plan", "mip"],
  baselines: ["numeric", "plan", "verify"],
  evaluate: ["numeric", "expressions", "plan", "verify"],
  solve: ["numeric", "expressions", "plan", "verify", "mip", "structured"],
  storage: ["numeric"],
  routing: ["numeric", "expressions", "plan", "verify", "storage"],
  "what-if": ["numeric", "expressions", "plan", "verify", "mip", "structured", "solve", "baselines", "storage"],
  advice: ["numeric", "expressions", "plan", "verify", "mip", "structured", "solve", "baselines"],
  learning: ["numeric", "plan", "verify", "solve", "baselines", "what-if"],
  runtime: ["numeric", "expressions", "plan", "verify", "mip", "structured", "solve", "baselines", "what-if", "storage", "advice", "learning"],
  jobs: ["numeric", "expressions", "plan", "verify", "solve", "baselines", "what-if", "runtime", "storage", "learning"],
  imports: ["numeric", "expressions", "formats", "plan"],
  exports: ["numeric", "formats", "plan", "verify", "baselines"],
  cli: ["numeric", "expressions", "formats", "plan", "verify", "solve", "runtime", "advice", "imports", "exports"],
};

/** Finer rules inside an allowed dependency: the verifier re-derives eligibility, it never reads the solver's pair table. */
const narrower = {
  verify: [{ group: ["../plan/pair-table*"], message: "verify/ re-derives eligibility from the plan; it may not use the solver's pair table" }],
};

const express = { group: ["express", "express/*"], message: "only api/ may import express" };
const outward = { group: ["../../api/*", "../../api/**", "../../test/**", "../../bench/**", "../../data/**"], message: "src/ never imports api/, test/, bench/ or data/" };

function boundaries(layer) {
  const forbidden = Object.keys(layers).filter((other) => other !== layer && !layers[layer].includes(other));
  const patterns = [express, outward, ...(narrower[layer] ?? [])];
  if (forbidden.length > 0) {
    patterns.push({
      group: forbidden.flatMap((other) => [`../${other}/*`, `../${other}/**`, `../../${other}/*`, `../../${other}/**`]),
      message: `src/${layer}/ may import only ${layers[layer].length === 0 ? "models/" : layers[layer].map((l) => `${l}/`).join(", ")} (see eslint.config.js)`,
    });
  }
  return { files: [`src/${layer}/**/*.ts`], rules: { "no-restricted-imports": ["error", { patterns }] } };
}

export default tseslint.config(
  { ignores: ["node_modules/**", "var/**", "dist/**", "api/static/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": ["error", { patterns: [express] }],
    },
  },
  {
    files: ["src/**/*.ts"],
    ignores: Object.keys(layers).map((layer) => `src/${layer}/**`),
    rules: { "no-restricted-syntax": ["error", { selector: "Program", message: "every folder of src/ is listed in the layers of eslint.config.js" }] },
  },
  {
    files: ["src/*.ts"],
    rules: { "no-restricted-syntax": ["error", { selector: "Program", message: "src/ holds folders only: put this file in the folder of its idea" }] },
  },
  ...Object.keys(layers).map(boundaries),
  {
    files: ["api/**/*.ts", "test/**/*.ts", "bench/**/*.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["models/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["../src/*", "../src/**", "../api/*", "../api/**", "express"], message: "models/ depends on nothing in the project" }] }],
    },
  },
);
