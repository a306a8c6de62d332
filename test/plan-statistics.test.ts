import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Plan } from "../models/index.ts";
import { parsePlan } from "../src/plan/parse-plan.ts";
import { estimatePairCount, PlanReport, planReport } from "../src/solve/plan-statistics.ts";
import { randomSmallPlan } from "./random-small-plan.ts";

/** Territories: "east" has 2 customers and reps r1 (capped) and r3 (everywhere); "west" has 1. */
const plan: Plan = {
  customers: [
    { id: "e1", value: 100, territory: "east", workload: 3 },
    { id: "e2", value: 50, territory: "east" },
    { id: "w1", value: 10, territory: "west", workload: 2 },
    { id: "x1", value: 5 },
  ],
  reps: [
    { id: "r1", territories: ["east", "east"], maxAccounts: 1, maxWorkload: 4 },
    { id: "r2", territories: ["west", "north"], maxAccounts: 2 },
    { id: "r3", maxAccounts: 3, maxWorkload: 10 },
    { id: "r4", territories: ["east"], available: false },
  ],
};

describe("planReport", () => {
  it("counts customers, reps, eligible pairs, capacity and demand overall and per territory", () => {
    const report = planReport(plan);
    expect(PlanReport.parse(report)).toEqual(report);
    // Eligible: e1, e2 → r1, r3 (r4 unavailable): 4; w1 → r2, r3: 2; x1 (no territory) → r1, r2, r3: 3.
    expect(report.statistics).toEqual({
      customers: 4,
      reps: 4,
      availableReps: 3,
      eligiblePairs: 4 + 2 + 3,
      customersWithoutEligibleRep: 0,
      totalValue: 165,
      territoryMode: "hard",
      // r2 has no maxWorkload: workload capacity is unlimited (null).
      capacity: { accounts: 6, workload: null },
      demand: { accounts: 4, workload: 3 + 1 + 2 + 1 },
      territories: [
        { territory: "east", customers: 2, reps: 2, capacity: { accounts: 4, workload: 14 }, demand: { accounts: 2, workload: 4 } },
        { territory: "north", customers: 0, reps: 2, capacity: { accounts: 5, workload: null }, demand: { accounts: 0, workload: 0 } },
        { territory: "west", customers: 1, reps: 2, capacity: { accounts: 5, workload: null }, demand: { accounts: 1, workload: 2 } },
      ],
    });
    expect(report.problems).toEqual([]);
  });

  it("uses the least per-pair workload as demand and reports the cheap infeasibility causes", () => {
    const withPairs: Plan = {
      customers: [
        { id: "a", value: 1, workload: 5 },
        { id: "b", value: 1 },
      ],
      reps: [
        { id: "r1", maxAccounts: 1, maxWorkload: 3 },
        { id: "r2", maxAccounts: 0 },
      ],
      pairs: [
        { customer: "a", rep: "r1", score: 1, workload: 2 },
        { customer: "a", rep: "r2", score: 1, workload: 4 },
      ],
    };
    const report = planReport(withPairs);
    expect(report.statistics).toMatchObject({ eligiblePairs: 2, customersWithoutEligibleRep: 1, capacity: { accounts: 1, workload: null }, demand: { accounts: 2, workload: 2 + 1 } });
    expect(report.problems.map((p) => p.kind)).toEqual(["no-eligible-rep", "capacity"]);
    expect(report.problems[0]?.customers).toEqual(["b"]);
  });
});

describe("estimatePairCount", () => {
  it("is the length of pairs when given, and a per-territory count otherwise", () => {
    expect(estimatePairCount({ ...plan, pairs: [{ customer: "e1", rep: "r1", score: 1 }] })).toBe(1);
    // e1, e2: r1, r4 and r3 (everywhere) = 3 each; w1: r2 and r3 = 2; x1: all 4 reps.
    expect(estimatePairCount(plan)).toBe(3 + 3 + 2 + 4);
    expect(estimatePairCount({ ...plan, policy: { locks: [{ customer: "x1", rep: "r2" }] } })).toBe(3 + 3 + 2 + 1);
    expect(estimatePairCount({ ...plan, policy: { territory: "soft" } })).toBe(16);
  });

  it("never underestimates the eligible pairs (random plans, fixed seed)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
        const parsed = parsePlan(randomSmallPlan(seed, 10, 4));
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        expect(estimatePairCount(parsed.plan)).toBeGreaterThanOrEqual(planReport(parsed.plan).statistics.eligiblePairs);
      }),
      { seed: 20_251_123, numRuns: 300 },
    );
  });
});
