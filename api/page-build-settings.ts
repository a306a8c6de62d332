/**
 * What the page's bundle depends on besides its sources: the versions of the libraries bundled
 * into it. Part of the source hash, so upgrading one of them asks for a rebuild too.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

function versionOf(name: string): string {
  const manifest: unknown = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8"));
  const version = typeof manifest === "object" && manifest !== null && "version" in manifest ? manifest.version : null;
  return `${name}@${typeof version === "string" ? version : "?"}`;
}

export const PAGE_BUILD_SETTINGS = ["preact", "uplot"].map(versionOf).join(" ");
