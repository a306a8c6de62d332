import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatNumber } from "../src/numeric/number-format.ts";
import { isRecord } from "../src/numeric/is-record.ts";

describe("formatNumber", () => {
  it("writes each style as documented", () => {
    expect(formatNumber(1.5)).toBe("1.50");
    expect(formatNumber(2)).toBe("2.00");
    expect(formatNumber(1234.5678, { decimals: 1 })).toBe("1234.6");
    expect(formatNumber(1.5, { style: "short" })).toBe("1.5");
    expect(formatNumber(2.004, { style: "short" })).toBe("2");
    expect(formatNumber(2, { style: "integer-or-fixed" })).toBe("2");
    expect(formatNumber(1.5, { style: "integer-or-fixed" })).toBe("1.50");
    expect(formatNumber(2.999, { style: "integer-or-fixed" })).toBe("3.00");
    expect(formatNumber(1234567, { style: "exponential", decimals: 2 })).toBe("1.23e+6");
    expect(formatNumber(0.00042, { style: "exponential", decimals: 1 })).toBe("4.2e-4");
  });

  it("rounds half up, and never writes -0", () => {
    expect(formatNumber(0.125)).toBe("0.13");
    expect(formatNumber(-0.125)).toBe("-0.12");
    expect(formatNumber(2.5, { decimals: 0 })).toBe("3");
    expect(formatNumber(-0.001)).toBe("0.00");
    expect(formatNumber(-0.001, { style: "short" })).toBe("0");
  });

  it("groups thousands (en-US) on request", () => {
    expect(formatNumber(1234567.8, { decimals: 0, grouping: true })).toBe("1,234,568");
    expect(formatNumber(-9876543.21, { grouping: true })).toBe("-9,876,543.21");
    expect(formatNumber(1234.5, { style: "short", grouping: true })).toBe("1,234.5");
    expect(formatNumber(1000, { style: "integer-or-fixed", grouping: true })).toBe("1,000");
    expect(formatNumber(999, { decimals: 0, grouping: true })).toBe("999");
    expect(formatNumber(-0.4, { decimals: 0, grouping: true })).toBe("0");
  });

  it("fixed has exactly `decimals` places and is within half a unit of the last place; short is the same number", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 4 }), (x, decimals) => {
        const fixed = formatNumber(x, { decimals });
        const [, fraction = ""] = fixed.split(".");
        expect(fraction.length).toBe(decimals);
        expect(Math.abs(Number(fixed) - x)).toBeLessThanOrEqual(0.5 * 10 ** -decimals * (1 + 1e-9) + Math.abs(x) * 1e-15);
        expect(Number(formatNumber(x, { decimals, style: "short" }))).toBe(Number(fixed));
        expect(Number(formatNumber(x, { decimals, grouping: true }).replaceAll(",", ""))).toBe(Number(fixed));
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe("isRecord", () => {
  it("is true for objects only, not for arrays, null or primitives", () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord({ a: 1 })).toBe(true);
    expect(isRecord(new Error("x"))).toBe(true);
    for (const value of [[], [1], null, undefined, 0, "x", true]) expect(isRecord(value)).toBe(false);
  });
});
