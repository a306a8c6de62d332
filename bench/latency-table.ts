import type { Result } from "autocannon";

/** One row of a benchmark table from an autocannon result. */
export function row(name: string, r: Result): string[] {
  return [name, r.requests.average.toFixed(1), r.latency.p50.toFixed(1), r.latency.average.toFixed(2), r.latency.p99.toFixed(1), r.latency.max.toFixed(1), String(r["2xx"]), String(r.non2xx + r.errors + r.timeouts)];
}

export const LATENCY_HEADER = ["measure", "req/s", "p50 ms", "mean ms", "p99 ms", "max ms", "2xx", "other"];

/** A Markdown table, first column left-aligned, the others right-aligned. */
export function table(rows: string[][], header: string[] = LATENCY_HEADER): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`;
  return [line(header), `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...rows.map(line)].join("\n");
}
