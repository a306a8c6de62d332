import { describe, expect, it } from "vitest";
import { betaQuantile } from "../src/numeric/beta-distribution.ts";
import { probabilityBetaBelow } from "../src/numeric/beta-comparison.ts";
import { calibrate } from "../src/learning/calibration.ts";
import { jeffreysRate } from "../src/learning/jeffreys-interval.ts";
import { outcomesAsHistory } from "../src/learning/outcome-history.ts";
import { Plan } from "../models/index.ts";

describe("calibration of predicted conversion", () => {
  it("matches a hand-computed Brier score, reliability bins and calibration error", () => {
    const predictions = [
      { p: 0.15, won: false },
      { p: 0.15, won: true },
      { p: 0.35, won: true },
      { p: 0.35, won: false },
      { p: 0.35, won: false },
      { p: 0.95, won: true },
    ];
    const c = calibrate(predictions);
    // (0.15² + 0.85² + 0.65² + 0.35² + 0.35² + 0.05²) / 6 = 1.415 / 6
    expect(c?.brierScore).toBeCloseTo(1.415 / 6, 12);
    // 3 wins of 6: predicting 0.5 for every deal scores 0.25.
    expect(c?.referenceBrierScore).toBeCloseTo(0.25, 12);
    expect(c?.brierSkill).toBeCloseTo(1 - 1.415 / 6 / 0.25, 12);
    expect(c?.bins.map((b) => [b.from, b.to, b.deals])).toEqual([
      [0.1, 0.2, 2],
      [0.3, 0.4, 3],
      [0.9, 1, 1],
    ]);
    expect(c?.bins.map((b) => b.meanPredicted)).toEqual([expect.closeTo(0.15, 12), expect.closeTo(0.35, 12), expect.closeTo(0.95, 12)]);
    expect(c?.bins.map((b) => b.observedRate)).toEqual([0.5, 1 / 3, 1]);
    // 2/6 · |0.15 − 0.5| + 3/6 · |0.35 − 1/3| + 1/6 · |0.95 − 1|
    expect(c?.expectedCalibrationError).toBeCloseTo((2 / 6) * 0.35 + (3 / 6) * (0.35 - 1 / 3) + (1 / 6) * 0.05, 12);
    // Each bin's interval is the 90% Jeffreys interval of its wins.
    expect(c?.bins[0]?.interval[0]).toBeCloseTo(betaQuantile(0.05, 1.5, 1.5), 12);
    expect(c?.bins[0]?.interval[1]).toBeCloseTo(betaQuantile(0.95, 1.5, 1.5), 12);
  });

  it("puts p = 1 in the last bin and p = 0 in the first; nothing to calibrate gives null; all-won has no skill reference", () => {
    const c = calibrate([
      { p: 1, won: true },
      { p: 0, won: true },
    ]);
    expect(c?.bins.map((b) => [b.from, b.deals, b.observedRate])).toEqual([
      [0, 1, 1],
      [0.9, 1, 1],
    ]);
    expect(c?.brierScore).toBe(0.5);
    expect(c?.referenceBrierScore).toBe(0);
    expect(c?.brierSkill).toBeNull();
    expect(calibrate([])).toBeNull();
    expect(() => calibrate([{ p: 1.2, won: true }])).toThrow(RangeError);
  });
});

describe("the rates the drift test compares", () => {
  it("Jeffreys: the posterior Beta(w + ½, n − w + ½), its mean and central interval", () => {
    const r = jeffreysRate(3, 10, 0.9);
    expect(r.p).toBeCloseTo(3.5 / 11, 14);
    expect(r.interval[0]).toBeCloseTo(betaQuantile(0.05, 3.5, 7.5), 12);
    expect(r.interval[1]).toBeCloseTo(betaQuantile(0.95, 3.5, 7.5), 12);
    expect(jeffreysRate(0, 0, 0.5).p).toBe(0.5);
    expect(() => jeffreysRate(3, 2, 0.9)).toThrow(RangeError);
  });

  it("P(X < Y) for two Betas matches closed forms", () => {
    // X ~ Beta(a, 1), Y ~ Beta(b, 1): P(X < Y) = b / (a + b).
    for (const [a, b] of [
      [1, 1],
      [0.5, 3],
      [2, 7],
      [40, 1],
    ] as const) {
      expect(probabilityBetaBelow(a, 1, b, 1), `${a}, ${b}`).toBeCloseTo(b / (a + b), 6);
    }
    // X ~ Beta(1, 1) uniform: P(X < Y) = E[Y] = a / (a + b).
    expect(probabilityBetaBelow(1, 1, 30, 70)).toBeCloseTo(0.3, 6);
    // Symmetric: the same Beta on both sides is 1/2, and swapping gives the complement.
    expect(probabilityBetaBelow(18.5, 102.5, 18.5, 102.5)).toBeCloseTo(0.5, 6);
    expect(probabilityBetaBelow(18.5, 102.5, 120, 300) + probabilityBetaBelow(120, 300, 18.5, 102.5)).toBeCloseTo(1, 5);
    expect(() => probabilityBetaBelow(1, 1, 0.5, 2)).toThrow(RangeError);
  });
});

describe("recorded deals as history", () => {
  it("sums wins and attempts per rep and the customer's segment, in a fixed order", () => {
    const plan = Plan.parse({
      customers: [
        { id: "a", value: 1, segment: "smb" },
        { id: "b", value: 1, segment: "ent" },
        { id: "c", value: 1 },
      ],
      reps: [{ id: "r2" }, { id: "r1" }],
    });
    const rows = outcomesAsHistory(plan, [
      { customer: "a", rep: "r2", won: true },
      { customer: "b", rep: "r2", won: false },
      { customer: "a", rep: "r2", won: false },
      { customer: "c", rep: "r1", won: true },
      { customer: "routed-later", rep: "r1", won: false },
      { customer: "b", rep: "r1", won: true },
    ]);
    expect(rows).toEqual([
      { rep: "r1", segment: "ent", wins: 1, attempts: 1 },
      { rep: "r1", wins: 1, attempts: 2 },
      { rep: "r2", segment: "ent", wins: 0, attempts: 1 },
      { rep: "r2", segment: "smb", wins: 1, attempts: 2 },
    ]);
  });
});
