/**
 * `npm run build:page`: bundles the workspace page (api/page/) with Vite into api/static/page/,
 * which is committed and served by the service (no build step at install or start). Writes the
 * hash of the sources beside it; test/page-bundle.test.ts fails when the sources changed since.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "vite";
import { PAGE_BASE, PAGE_BUNDLE_DIR, PAGE_SOURCE_DIR, pageSourceHash, SOURCE_HASH_FILE } from "./page-files.ts";
import { PAGE_BUILD_SETTINGS } from "./page-build-settings.ts";

await build({
  root: PAGE_SOURCE_DIR,
  base: PAGE_BASE,
  configFile: false,
  logLevel: "warn",
  esbuild: { jsx: "automatic", jsxImportSource: "preact", legalComments: "none" },
  build: { outDir: PAGE_BUNDLE_DIR, emptyOutDir: true, target: "es2022", sourcemap: false, reportCompressedSize: false },
});
writeFileSync(path.join(PAGE_BUNDLE_DIR, SOURCE_HASH_FILE), `${pageSourceHash(PAGE_BUILD_SETTINGS)}\n`);
console.log(`built the page into ${path.relative(process.cwd(), PAGE_BUNDLE_DIR)}`);
