import { formatNumber } from "../src/numeric/number-format.ts";

/**
 * A `Server-Timing` header value from named durations in milliseconds (null entries are left out),
 * e.g. `queue;dur=0.1, solve;dur=2244.5`. Timings stay out of response bodies so bodies are deterministic.
 */
export function serverTiming(entries: Readonly<Record<string, number | null>>): string {
  return Object.entries(entries)
    .filter((entry): entry is [string, number] => entry[1] !== null && Number.isFinite(entry[1]))
    .map(([name, ms]) => `${name};dur=${formatNumber(ms, { decimals: 1 })}`)
    .join(", ");
}
