/**
 * Per key, the `keep` best entries: entries are (key, gain, tie) triples; within a key the best have
 * the highest gain, ties going to the lower `tie`. The result is what sorting every entry by (key
 * ascending, gain descending, tie ascending) and keeping each key's first `keep` would give, in
 * time linear in the entries: a radix sort by key (keys are below `keyCount`), then a top-`keep`
 * insertion per key. Keys come out ascending. Used by the band-aware exchanges' candidate lists,
 * where a comparison sort of half a million entries took most of a sweep (20,000 × 400 books).
 */
export interface TopPerKey {
  /** The keys that have entries, ascending. */
  keys: Int32Array;
  /** Key i's kept entries are `items[start[i] .. start[i + 1])`, best first; `items` holds the entries' `tie` values. */
  start: Int32Array;
  items: Int32Array;
}

/**
 * `count` entries: entry i has key `keys[i]` (0 ≤ key < keyCount), gain `gains[i]` and tie-breaker
 * `ties[i]`, distinct within a key (so that the order is total and the answer unique).
 */
export function topPerKey(count: number, keys: Int32Array, gains: Float64Array, ties: Int32Array, keyCount: number, keep: number): TopPerKey {
  // A stable sort of the entries by key: two counting passes over the key's digits in base
  // `base` (about √keyCount: counters the size of a rep list, not of every pair of reps).
  const base = Math.max(1, Math.ceil(Math.sqrt(keyCount)));
  const byLow = countingPass(count, null, (i) => (keys[i] ?? 0) % base, base);
  const grouped = countingPass(count, byLow, (i) => Math.floor((keys[i] ?? 0) / base), base);
  const outKeys: number[] = [];
  const start: number[] = [0];
  const items: number[] = [];
  const best: number[] = [];
  const better = (x: number, y: number): boolean => {
    const gx = gains[x] ?? 0;
    const gy = gains[y] ?? 0;
    return gx > gy || (!(gx < gy) && (ties[x] ?? 0) < (ties[y] ?? 0));
  };
  for (let from = 0; from < count; ) {
    const key = keys[grouped[from] ?? 0] ?? 0;
    let to = from;
    best.length = 0;
    for (; to < count; to++) {
      const i = grouped[to] ?? 0;
      if ((keys[i] ?? 0) !== key) break;
      if (best.length === keep && !better(i, best[keep - 1] ?? 0)) continue;
      // Insert i in order, dropping the worst once `keep` are held.
      let j = best.length < keep ? best.length : keep - 1;
      if (best.length < keep) best.push(i);
      while (j > 0 && better(i, best[j - 1] ?? 0)) {
        best[j] = best[j - 1] ?? 0;
        j--;
      }
      best[j] = i;
    }
    outKeys.push(key);
    for (const i of best) items.push(ties[i] ?? 0);
    start.push(items.length);
    from = to;
  }
  return { keys: Int32Array.from(outKeys), start: Int32Array.from(start), items: Int32Array.from(items) };
}

/** The entries (`order`, or 0 … count - 1) stably sorted by `digit` (0 ≤ digit < base). */
function countingPass(count: number, order: Int32Array | null, digit: (i: number) => number, base: number): Int32Array {
  const at = new Int32Array(base + 1);
  for (let i = 0; i < count; i++) {
    const d = digit(i) + 1;
    at[d] = (at[d] ?? 0) + 1;
  }
  for (let d = 0; d < base; d++) at[d + 1] = (at[d + 1] ?? 0) + (at[d] ?? 0);
  const out = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const i = order === null ? n : (order[n] ?? 0);
    const d = digit(i);
    const slot = at[d] ?? 0;
    out[slot] = i;
    at[d] = slot + 1;
  }
  return out;
}
