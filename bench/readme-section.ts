/**
 * bench/README.md is rewritten by `npm run bench:scale`; other benchmarks keep their own section in
 * it, between two markers naming the benchmark, which they replace when they run again and which
 * bench:scale carries over when it rewrites the rest.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../test/project-root.ts";

export const BENCH_README = path.join(projectRoot, "bench", "README.md");

const start = (name: string) => `<!-- section ${name}: written by npm run ${name}, do not edit by hand -->`;
const end = (name: string) => `<!-- end of section ${name} -->`;
const SECTION = /<!-- section ([\w:-]+): [^>]*-->[\s\S]*?<!-- end of section \1 -->\n?/g;

/** Every benchmark's own section in a README text, as they stand. */
export function keptSections(text: string): string {
  return [...text.matchAll(SECTION)].map((m) => m[0].trimEnd()).join("\n\n");
}

/** Writes (or replaces) the section of benchmark `name` in bench/README.md. */
export function writeReadmeSection(name: string, markdown: string): void {
  const text = existsSync(BENCH_README) ? readFileSync(BENCH_README, "utf8") : "# Benchmarks\n";
  const section = `${start(name)}\n\n${markdown.trim()}\n\n${end(name)}\n`;
  const others = [...text.matchAll(SECTION)].filter((m) => m[1] === name);
  const updated = others.length > 0 ? text.replace(others[0]?.[0] ?? "", section) : `${text.trimEnd()}\n\n${section}`;
  writeFileSync(BENCH_README, updated);
}
