import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "./project-root.ts";

// The docs are the map a newcomer walks by: every project file they name must exist, and nothing in
// the project may lean on files beside it (a user's clone has only the repository).

const docs = ["README.md", "data/README.md", "bench/README.md", "test/fixtures/gap/README.md", ...readdirSync(path.join(projectRoot, "docs")).map((f) => `docs/${f}`)];

/** Project paths written in a doc: `src/…`, `api/…`, `models/…`, `test/…`, `bench/…`, `data/…`, `docs/…` with a file ending. */
const PATH = /(?<![\w./-])((?:src|api|models|test|bench|data|docs)\/[\w./-]+\.(?:ts|md|json|csv|js))\b/g;

function pathsIn(doc: string): string[] {
  const text = readFileSync(path.join(projectRoot, doc), "utf8");
  return [...new Set([...text.matchAll(PATH)].map((m) => m[1] ?? ""))];
}

describe("the docs' map of the project", () => {
  it.each(docs)("every project file named in %s exists", (doc) => {
    const missing = pathsIn(doc).filter((p) => !existsSync(path.join(projectRoot, p)));
    expect(missing).toEqual([]);
  });

  it("finds the paths it checks (the pattern is not blind)", () => {
    expect(pathsIn("README.md").length).toBeGreaterThan(3);
  });
});

describe("a clone needs nothing beside it", () => {
  const roots = ["src", "api", "models", "test", "bench", "data", "docs", ".ci"];
  const files = (dir: string): string[] =>
    readdirSync(path.join(projectRoot, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? (e.name === "fixtures" ? [] : files(`${dir}/${e.name}`)) : [`${dir}/${e.name}`],
    );
  it("no source, test, bench or doc refers to the folder our own machines keep beside the project", () => {
    const outside = ["..", "shared"].join("/");
    const offenders = [...roots.flatMap(files), "README.md", "package.json", "eslint.config.js"].filter((f) =>
      readFileSync(path.join(projectRoot, f), "utf8").includes(outside),
    );
    expect(offenders).toEqual([]);
  });
});
