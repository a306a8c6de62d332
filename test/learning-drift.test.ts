import { describe, expect, it } from "vitest";
import { driftTest } from "../src/learning/drift-test.ts";
import { planPerformance } from "../src/learning/plan-performance.ts";
import { closedDeals, smallWorld } from "./learning-fixtures.ts";

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

/** The performance of a world's plan after `deals` deals per rep, r3's true rate multiplied by `r3Factor`. */
function afterQuarter(seed: number, r3Factor: number, deals = 200) {
  const world = smallWorld(seed, 8, 300);
  const outcomes = closedDeals(world, 1000 + seed, deals, (rep) => (rep === "r3" ? r3Factor : 1));
  return planPerformance({ planId: "p", plan: world.plan, placements: [], repExpectedValue: new Map(), outcomes });
}

describe("drift alerts in a simulated world (seeded)", () => {
  it("fire for the rep whose true rate is halved after the plan, with the evidence", () => {
    let flagged = 0;
    for (const seed of SEEDS) {
      const perf = afterQuarter(seed, 0.5);
      const alert = perf.drift.alerts.find((a) => a.rep === "r3");
      if (alert === undefined) continue;
      flagged += 1;
      expect(alert.direction).toBe("lower");
      expect(alert.wins).toBeLessThan(alert.expectedWins);
      expect(alert.probabilityBelowPlan).toBeGreaterThan(1 - (1 - perf.drift.credibility) / 2);
      expect(alert.interval[1]).toBeLessThan(alert.planConversion);
      expect(alert.evidence).toContain("r3 won");
      expect(perf.reps.find((r) => r.rep === "r3")?.drift).toBe("lower");
    }
    expect(flagged).toBeGreaterThanOrEqual(19);
  });

  it("stay quiet where nothing changed: at most about 1 plan in 10 raises any alert (the test's stated level)", () => {
    const noisy = SEEDS.filter((seed) => afterQuarter(seed, 1).drift.alerts.length > 0);
    expect(noisy.length).toBeLessThanOrEqual(2);
    // In the halved world the other reps stay as quiet.
    const others = SEEDS.flatMap((seed) => afterQuarter(seed, 0.5).drift.alerts.filter((a) => a.rep !== "r3"));
    expect(others.length).toBeLessThanOrEqual(2);
  });

  it("apply the stated levels: Bonferroni over the reps tested, both directions", () => {
    const evidence = [
      { rep: "a", deals: 100, wins: 10, expectedWins: 30, planSd: 0.01 },
      { rep: "b", deals: 100, wins: 50, expectedWins: 30, planSd: 0.01 },
      { rep: "c", deals: 100, wins: 31, expectedWins: 30, planSd: 0.01 },
      { rep: "d", deals: 0, wins: 0, expectedWins: 0, planSd: 0 },
    ];
    const test = driftTest(evidence, 0.9);
    expect(test.repsTested).toBe(3);
    expect(test.credibility).toBeCloseTo(1 - 0.1 / 3, 14);
    expect(test.alerts.map((a) => [a.rep, a.direction])).toEqual([
      ["a", "lower"],
      ["b", "higher"],
    ]);
    // A wide plan estimate (little history) makes the same results not credibly different.
    expect(driftTest(evidence.map((e) => ({ ...e, planSd: 0.12 })), 0.9).alerts).toEqual([]);
    expect(() => driftTest(evidence, 1)).toThrow(RangeError);
  });
});
