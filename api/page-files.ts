/**
 * Where the workspace page lives: its sources (api/page/, built by Vite with `npm run build:page`)
 * and the committed bundle the service serves (api/static/page/). The bundle records the hash of
 * the sources it was built from, so a test can tell a stale bundle from a fresh one without
 * building.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The page's sources (TypeScript, TSX, CSS, index.html). */
export const PAGE_SOURCE_DIR = path.join(here, "page");
/** The built page: index.html and assets/, served at / and /page/. */
export const PAGE_BUNDLE_DIR = path.join(here, "static", "page");
/** The URL prefix of the bundle's assets. */
export const PAGE_BASE = "/page/";
/** The sample book the page's "Try the sample" loads. */
export const SAMPLE_BOOK_FILE = path.join(here, "..", "data", "sample-book.json");
/** The sample CRM exports (Salesforce-style CSV) the page's "Try the sample CSVs" imports. */
export const SAMPLE_CRM_DIR = path.join(here, "..", "data", "crm");
/** The file in the bundle that records the hash of the sources it was built from. */
export const SOURCE_HASH_FILE = "source-hash.txt";

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else out.push(full);
  }
  return out;
}

/** sha256 over the page's source files (relative path and bytes, in sorted order) and the builder's settings. */
export function pageSourceHash(buildSettings: string): string {
  const hash = createHash("sha256");
  hash.update(buildSettings);
  const files = sourceFiles(PAGE_SOURCE_DIR)
    .map((file) => path.relative(PAGE_SOURCE_DIR, file).split(path.sep).join("/"))
    .sort();
  for (const file of files) {
    hash.update(`\0${file}\0`);
    hash.update(readFileSync(path.join(PAGE_SOURCE_DIR, file)));
  }
  return hash.digest("hex");
}
