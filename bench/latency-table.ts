import type { Result } from "autocannon";
import { alignedTable, fixed } from "./table-format.ts";

/** One row of a latency table from an autocannon result. */
export function row(name: string, r: Result): string[] {
  return [name, fixed(r.requests.average, 1), fixed(r.latency.p50, 1), fixed(r.latency.average, 2), fixed(r.latency.p99, 1), fixed(r.latency.max, 1), String(r["2xx"]), String(r.non2xx + r.errors + r.timeouts)];
}

export const LATENCY_HEADER = ["measure", "req/s", "p50 ms", "mean ms", "p99 ms", "max ms", "2xx", "other"];

/** The latency table of rows made by `row`. */
export function table(rows: string[][]): string {
  return alignedTable(LATENCY_HEADER, rows);
}
