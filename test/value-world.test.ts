import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ownedSections, writeSection } from "../bench/readme-section.ts";
import { DEFAULT_VALUE_WORLD, ValueWorld } from "../data/value-world.ts";

describe("the simulated world of bench:value", () => {
  it("is fixed by its seed: the same roster, books and luck, whatever the methods do", () => {
    const a = new ValueWorld({ seed: 4 });
    const b = new ValueWorld({ seed: 4 });
    expect(b.roster.map((r) => [r.id, r.joined, r.last, [...r.rates]])).toEqual(a.roster.map((r) => [r.id, r.joined, r.last, [...r.rates]]));
    expect(b.book(3)).toEqual(a.book(3));
    expect(b.initialHistory()).toEqual(a.initialHistory());
    expect(new ValueWorld({ seed: 5 }).book(3).luck).not.toEqual(a.book(3).luck);
  });

  it("keeps every territory staffed, gives joiners no history, and true rates in [0.01, 0.9]", () => {
    const world = new ValueWorld({ seed: 11, turnover: 0.5 });
    const historied = new Set(world.initialHistory().map((h) => h.rep));
    for (let q = 0; q < world.quarters; q++) {
      for (const territory of world.territories) {
        expect(world.repsAt(q).filter((r) => r.territory === territory)).toHaveLength(DEFAULT_VALUE_WORLD.repsPerTerritory);
      }
      const { customers } = world.book(q);
      const reps = world.planReps(q, customers);
      for (const territory of world.territories) {
        const seats = reps.filter((r) => r.territories?.[0] === territory).reduce((s, r) => s + (r.maxAccounts ?? 0), 0);
        expect(seats).toBeGreaterThanOrEqual(customers.filter((c) => c.territory === territory).length);
      }
    }
    const joiners = world.roster.filter((r) => r.joined > 0);
    expect(joiners.length).toBeGreaterThan(0);
    for (const r of joiners) expect(historied.has(r.id)).toBe(false);
    for (const r of world.roster) for (const p of r.rates.values()) expect(p >= 0.01 && p <= 0.9).toBe(true);
  });
});

describe("bench/README.md sections", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "allot-readme-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("replaces a benchmark's own section in place, appends it when missing, and is kept by a rewrite", () => {
    const file = path.join(dir, "README.md");
    writeFileSync(file, "# Benchmarks\n\ntable 1\n");
    writeSection(file, "value", "first run");
    writeSection(file, "other", "other run");
    writeSection(file, "value", "second run\nwith two lines");
    const text = readFileSync(file, "utf8");
    expect(text).toBe("# Benchmarks\n\ntable 1\n\n<!-- section:value -->\nsecond run\nwith two lines\n<!-- /section:value -->\n\n<!-- section:other -->\nother run\n<!-- /section:other -->\n");
    expect(ownedSections(text)).toBe("<!-- section:value -->\nsecond run\nwith two lines\n<!-- /section:value -->\n\n<!-- section:other -->\nother run\n<!-- /section:other -->\n");
  });
});
