/**
 * Numbers as text for people (messages, reasons, headers, benchmark tables), written one way
 * everywhere: rounded half up (`Math.round`) to a number of decimals, then shown in one of a few
 * styles. JSON bodies never use it: they carry numbers as numbers.
 */

export interface NumberFormat {
  /** Places after the decimal point (default 2); significant digits after the first for "exponential". */
  decimals?: number;
  /**
   * - "fixed" (default): exactly `decimals` places: 1.5 → "1.50", 2 → "2.00";
   * - "short": no trailing zeros: 1.5 → "1.5", 2 → "2";
   * - "integer-or-fixed": an integer as it is, anything else with `decimals` places: 2 → "2", 1.5 → "1.50";
   * - "exponential": `x.toExponential(decimals)`: 1234567 → "1.23e+6".
   */
  style?: "fixed" | "short" | "integer-or-fixed" | "exponential";
  /** Thousands separators (en-US): 1234567 → "1,234,567". */
  grouping?: boolean;
}

/** `x` rounded to `decimals` places, half up (-0 as 0): what every style but "exponential" writes. */
function rounded(x: number, decimals: number): number {
  const scale = 10 ** decimals;
  const r = Math.round(x * scale) / scale;
  return r === 0 ? 0 : r;
}

export function formatNumber(x: number, format: NumberFormat = {}): string {
  const decimals = format.decimals ?? 2;
  const style = format.style ?? "fixed";
  if (style === "exponential") return x.toExponential(decimals);
  if (style === "integer-or-fixed" && Number.isInteger(x)) return format.grouping === true ? x.toLocaleString("en-US") : String(x);
  const r = rounded(x, decimals);
  if (format.grouping === true) {
    const places = style === "short" ? { maximumFractionDigits: decimals } : { minimumFractionDigits: decimals, maximumFractionDigits: decimals };
    return r.toLocaleString("en-US", places);
  }
  return style === "short" ? String(r) : r.toFixed(decimals);
}
