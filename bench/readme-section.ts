/**
 * bench/README.md holds the tables of several benchmarks: bench:scale rewrites the file, and other
 * benchmarks own a section of it between `<!-- section:NAME -->` and `<!-- /section:NAME -->`, which
 * they replace (or append) and which bench:scale keeps.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const open = (name: string) => `<!-- section:${name} -->`;
const close = (name: string) => `<!-- /section:${name} -->`;
const ANY_SECTION = /<!-- section:([\w-]+) -->[\s\S]*?<!-- \/section:\1 -->\n?/g;

/** Every owned section of the file's text, in order, to be kept by a rewrite. */
export function ownedSections(text: string): string {
  return [...text.matchAll(ANY_SECTION)].map((m) => (m[0].endsWith("\n") ? m[0] : `${m[0]}\n`)).join("\n");
}

/** Replaces the section `name` of the file with `content` (appended when the file has none). */
export function writeSection(file: string, name: string, content: string): void {
  const block = `${open(name)}\n${content.trimEnd()}\n${close(name)}\n`;
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  const at = text.indexOf(open(name));
  const end = text.indexOf(close(name));
  if (at >= 0 && end > at) {
    const after = text.slice(end + close(name).length).replace(/^\n/, "");
    writeFileSync(file, `${text.slice(0, at)}${block}${after}`);
  } else {
    writeFileSync(file, `${text.trimEnd()}\n\n${block}`);
  }
}
