/**
 * How the benchmarks write their tables, in one place: the cells (numbers through the project's one
 * number formatter, src/numeric/number-format.ts) and the two Markdown table layouts.
 */
import { formatNumber } from "../src/numeric/number-format.ts";

const NONE = "—";

/** `x` with exactly `decimals` places. */
export const fixed = (x: number, decimals: number): string => formatNumber(x, { decimals });

/** Milliseconds as `840 ms`, `2.35 s` or `12.3 s`. */
export const duration = (ms: number): string => (ms >= 10_000 ? `${fixed(ms / 1000, 1)} s` : ms >= 1000 ? `${fixed(ms / 1000, 2)} s` : `${fixed(ms, 0)} ms`);

/** An objective or bound: integers as they are, large values in exponent form, others with 2 places. */
export const figure = (x: number | null): string =>
  x === null ? NONE : Math.abs(x) >= 1e6 ? formatNumber(x, { style: "exponential", decimals: 6 }) : formatNumber(x, { style: "integer-or-fixed" });

/** A fraction as a percentage: 0.0123 → `1.230%`. */
export const percentOf = (fraction: number | null, decimals = 3): string => (fraction === null ? NONE : `${fixed(100 * fraction, decimals)}%`);

/** A value that already is a percentage: 12.34 → `12.3%`. */
export const percent = (x: number | null): string => (x === null ? NONE : `${fixed(x, 1)}%`);

/** Memory in MiB as `512 MiB` or `1.50 GiB`. */
export const memory = (mb: number | null): string => (mb === null ? NONE : mb >= 1024 ? `${fixed(mb / 1024, 2)} GiB` : `${fixed(mb, 0)} MiB`);

/** Money rounded to a unit with thousands separators: 1234567.8 → `1,234,568`. */
export const money = (x: number | null | undefined): string => (x === null || x === undefined ? NONE : formatNumber(x, { decimals: 0, grouping: true }));

/** A count with thousands separators. */
export const count = (n: number): string => formatNumber(n, { decimals: 0, grouping: true });

/** A Markdown table with padded columns, the first left-aligned, the others right-aligned. */
export function alignedTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`;
  return [line(header), `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** A `###` section: its title, a plain Markdown table and an optional note under it. */
export function titledTable(title: string, header: string[], rows: string[][], note?: string): string {
  const lines = [`### ${title}`, "", `| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
  if (note !== undefined) lines.push("", note);
  return `${lines.join("\n")}\n`;
}
