import { looseKey } from "./cell-values.ts";

/**
 * Segment names that differ only by case or spacing (`Retail`, `retail `, `RETAIL`) are one segment:
 * each group takes its most frequent spelling (the first seen on a tie).
 */
export class SegmentSpellings {
  private readonly groups = new Map<string, Map<string, { count: number; first: number }>>();
  private seen = 0;

  count(spelling: string): void {
    if (spelling === "") return;
    const key = looseKey(spelling);
    let group = this.groups.get(key);
    if (group === undefined) this.groups.set(key, (group = new Map()));
    const entry = group.get(spelling);
    if (entry === undefined) group.set(spelling, { count: 1, first: this.seen++ });
    else entry.count += 1;
  }

  /** The spelling a segment is written with in the plan (the text itself when never counted). */
  canonical(spelling: string): string {
    const group = this.groups.get(looseKey(spelling));
    if (group === undefined) return spelling.trim();
    let best: [string, { count: number; first: number }] | null = null;
    for (const e of group) if (best === null || e[1].count > best[1].count || (e[1].count === best[1].count && e[1].first < best[1].first)) best = e;
    return best?.[0] ?? spelling;
  }

  /** Every group written more than one way: its spellings and the one kept. */
  merged(): { kept: string; spellings: string[] }[] {
    return [...this.groups.values()].filter((g) => g.size > 1).map((g) => {
      const spellings = [...g.keys()];
      return { kept: this.canonical(spellings[0] ?? ""), spellings };
    });
  }
}
