import { describe, expect, it } from "vitest";
import { Plan, type Customer, type RoutePairScore } from "../models/index.ts";
import { buildRoutingContext, chooseRep, rankCandidates, routeRequestProblems, type RoutingContext } from "../src/routing/live-routing.ts";
import type { LoadTotals, RepLoadState } from "../src/storage/plan-store.ts";
import { PLAN_A, ROUTING_PLAN } from "./plans-fixtures.ts";

const ctx = buildRoutingContext("plan-r", ROUTING_PLAN);

function loadsOf(entries: Record<string, Partial<RepLoadState>>): Map<string, RepLoadState> {
  return new Map(Object.entries(entries).map(([rep, l]) => [rep, { accounts: 0, workload: 0, value: 0, expectedValue: 0, ...l }]));
}

function decide(context: RoutingContext, customer: Customer, loads: Record<string, Partial<RepLoadState>> = {}, totals: LoadTotals = { accounts: 0, value: 0 }, pairs?: RoutePairScore[]) {
  return chooseRep(context, rankCandidates(context, customer, pairs), loadsOf(loads), totals);
}

// ROUTING_PLAN: no history (conversion 1), specialty bonus 0.5, hard territories, value ≥ 500 needs seniority ≥ 2.
const bigNorth: Customer = { id: "lead-a", value: 1000, territory: "north", needs: ["x", "y"] };

describe("live routing decision on a small plan (hand-checked)", () => {
  it("picks the best expected value among eligible reps, with the runner-up and the excluded reps by rule", () => {
    const d = decide(ctx, bigNorth);
    // r1 covers both needs: 1000 × 1.5; r4 covers x only: 1000 × 1.25. r2 is too junior, r3 in the
    // south, r5 unavailable.
    expect(d.rep).toBe("r1");
    expect(d.expectedValue).toBe(1500);
    expect(d.components).toEqual({ value: 1000, conversion: 1, conversionInterval: null, fit: 1.5, distanceKm: null, travelCost: 0, penalty: 0, source: "model" });
    expect(d.runnerUp).toEqual({ rep: "r4", expectedValue: 1250 });
    expect(d.counts).toEqual({ reps: 5, eligible: 2, withRoom: 2, withinFairness: 2, excluded: { seniority: 1, territory: 1, unavailable: 1 } });
    expect(d.passedOver).toEqual([]);
    expect(d.reason).toBe("r1 has the highest expected value (1500) among the 2 eligible reps with room. Runner-up: r4 (1250).");
    expect(d.workload).toBe(1);
    expect(d.value).toBe(1000);
    expect(d.limits).toEqual({ maxAccounts: 1, maxWorkload: null });
  });

  it("never takes a full rep: the best one at capacity is passed over and named", () => {
    const d = decide(ctx, bigNorth, { r1: { accounts: 1 } });
    expect(d.rep).toBe("r4");
    expect(d.expectedValue).toBe(1250);
    expect(d.runnerUp).toBeNull();
    expect(d.passedOver).toEqual([{ rep: "r1", expectedValue: 1500, because: "maxAccounts" }]);
    expect(d.counts.withRoom).toBe(1);
    expect(d.reason).toBe(
      "r4 has the highest expected value (1250) among the 1 eligible reps with room. No other eligible rep has room. Higher-scoring reps passed over: r1 (1500) is at maxAccounts.",
    );
  });

  it("answers rep null with the reason when no rep is eligible or every eligible rep is full", () => {
    const nobody = decide(ctx, { id: "lead-z", value: 1000, territory: "north", requires: ["z"] });
    expect(nobody.rep).toBeNull();
    expect(nobody.expectedValue).toBeNull();
    expect(nobody.counts.excluded).toEqual({ unavailable: 1, territory: 1, requires: 3 });
    expect(nobody.reason).toBe("No rep of the active plan is eligible for this customer (1 by unavailable, 1 by territory, 3 by required specialties).");

    const full = decide(ctx, bigNorth, { r1: { accounts: 1 }, r4: { accounts: 5 } });
    expect(full.rep).toBeNull();
    expect(full.runnerUp).toBeNull();
    expect(full.counts).toMatchObject({ eligible: 2, withRoom: 0 });
    expect(full.reason).toBe("All 2 eligible reps are at capacity (2 at maxAccounts, 0 without workload room): the customer is recorded as unassigned.");
  });

  it("applies seniority only above its value threshold, and breaks expected-value ties by load relative to fair share", () => {
    // Value 100: no seniority rule, no needs, so r1, r2 and r4 all score 100. Fair shares follow
    // maxAccounts (1, 5, 5, 5 of 16 among available reps): (accounts + 1) / share is 16 for r1 (0
    // accounts), 9.6 for r2 (2) and 6.4 for r4 (1).
    const small: Customer = { id: "lead-s", value: 100, territory: "north" };
    const d = decide(ctx, small, { r2: { accounts: 2 }, r4: { accounts: 1 } });
    expect(d.counts).toMatchObject({ eligible: 3, excluded: { territory: 1, unavailable: 1 } });
    expect(d.rep).toBe("r4");
    expect(d.runnerUp).toEqual({ rep: "r2", expectedValue: 100 });
    expect(d.reason).toBe(
      "r4 has the highest expected value (100) among the 3 eligible reps with room. Tied with r2 on expected value; r4 has fewer accounts relative to its fair share.",
    );

    const even = decide(ctx, small, { r1: { accounts: 1 }, r2: { accounts: 1 }, r4: { accounts: 1 } });
    expect(even.rep).toBe("r2");
    expect(even.reason).toContain("Tied with r4 on expected value and load; r2 comes first by id.");
  });

  it("checks workload room with the customer's workload, up to the limit included", () => {
    const plan = Plan.parse({
      customers: [{ id: "c", value: 1 }],
      reps: [
        { id: "w1", specialties: ["x"], maxWorkload: 10 },
        { id: "w2", maxWorkload: 10 },
      ],
      policy: { specialtyBonus: 1 },
    });
    const context = buildRoutingContext("plan-w", plan);
    const customer: Customer = { id: "lead-w", value: 100, needs: ["x"], workload: 3 };
    const fits = decide(context, customer, { w1: { workload: 7 } });
    expect(fits.rep).toBe("w1");
    expect(fits.workload).toBe(3);
    const over = decide(context, customer, { w1: { workload: 8 } });
    expect(over.rep).toBe("w2");
    expect(over.passedOver).toEqual([{ rep: "w1", expectedValue: 200, because: "maxWorkload" }]);
    expect(over.reason).toContain("w1 (200) has no workload room (maxWorkload)");
  });

  it("treats the fairness bands as a soft preference: a rep within its band first, else the best expected value", () => {
    const band = (policy: Record<string, unknown>) =>
      buildRoutingContext(
        "plan-f",
        Plan.parse({
          customers: [{ id: "c", value: 1 }],
          reps: [
            { id: "fa", specialties: ["x"], maxAccounts: 10 },
            { id: "fb", maxAccounts: 10 },
          ],
          policy: { specialtyBonus: 1, ...policy },
        }),
      );
    const value = band({ fairness: { valueBand: 0.1 } });
    // Shares 1/2 each. With 1000 assigned, a customer of 100 puts the limit at 1.1 × 0.5 × 1100 = 605:
    // fa (600 + 100) would go above it, fb (400 + 100) stays within.
    const customer: Customer = { id: "lead-f", value: 100, needs: ["x"] };
    const soft = decide(value, customer, { fa: { value: 600, accounts: 5 }, fb: { value: 400, accounts: 5 } }, { accounts: 10, value: 1000 });
    expect(soft.rep).toBe("fb");
    expect(soft.runnerUp).toEqual({ rep: "fa", expectedValue: 200 });
    expect(soft.passedOver).toEqual([{ rep: "fa", expectedValue: 200, because: "valueBand" }]);
    expect(soft.counts).toMatchObject({ withRoom: 2, withinFairness: 1 });
    expect(soft.reason).toBe(
      "fb has the highest expected value (100) among the 1 eligible reps with room that stay within their fairness bands. Runner-up: fa (200). Higher-scoring reps passed over: fa (200) would go above its value band.",
    );

    // A customer of 200 with 500 each: the limit is 1.1 × 0.5 × 1200 = 660 and both would reach 700,
    // so the band cannot be kept and the best expected value wins.
    const both = decide(value, { id: "lead-g", value: 200, needs: ["x"] }, { fa: { value: 500 }, fb: { value: 500 } }, { accounts: 10, value: 1000 });
    expect(both.rep).toBe("fa");
    expect(both.counts.withinFairness).toBe(0);
    expect(both.reason).toBe("No eligible rep with room stays within its fairness bands; fa has the highest expected value (400) among the 2 with room. Runner-up: fb (200).");

    // Count band 0: limit 0.5 × 11 = 5.5 accounts; fa would have 7.
    const count = decide(band({ fairness: { countBand: 0 } }), customer, { fa: { accounts: 6 }, fb: { accounts: 4 } }, { accounts: 10, value: 0 });
    expect(count.rep).toBe("fb");
    expect(count.passedOver).toEqual([{ rep: "fa", expectedValue: 200, because: "countBand" }]);

    // Without bands, fairness only breaks ties: fa wins on expected value despite its load.
    const none = decide(band({}), customer, { fa: { value: 600, accounts: 5 }, fb: { value: 400, accounts: 5 } }, { accounts: 10, value: 1000 });
    expect(none.rep).toBe("fa");
  });

  it("with a plan that lists pairs, scores the customer with the pairs sent along (and with none, says so)", () => {
    const context = buildRoutingContext("plan-a", PLAN_A);
    const pairs = [
      { rep: "r1", score: 3 },
      { rep: "r2", score: 5, workload: 2 },
    ];
    const d = decide(context, { id: "c9", value: 50 }, {}, { accounts: 0, value: 0 }, pairs);
    expect(d.rep).toBe("r2");
    expect(d.expectedValue).toBe(5);
    expect(d.workload).toBe(2);
    expect(d.components?.source).toBe("pairs");
    expect(d.runnerUp).toEqual({ rep: "r1", expectedValue: 3 });

    const bare = decide(context, { id: "c9", value: 50 });
    expect(bare.rep).toBeNull();
    expect(bare.counts.excluded).toEqual({ "not-in-pairs": 2 });
    expect(bare.reason).toContain("send `pairs`");
  });

  it("reports request problems against the plan with their paths", () => {
    expect(routeRequestProblems(ctx, { id: "x", value: 1, currentRep: "ghost" }, [{ rep: "r1", score: 1 }])).toEqual([
      { path: "customer.currentRep", message: 'unknown rep "ghost" (not in the active plan)' },
      { path: "pairs", message: "the active plan does not list pairs: expected values come from the plan's model, so send no pairs" },
    ]);
    const context = buildRoutingContext("plan-a", PLAN_A);
    expect(
      routeRequestProblems(context, { id: "x", value: 1 }, [
        { rep: "r1", score: 1 },
        { rep: "zz", score: 1 },
        { rep: "r1", score: 2 },
      ]).map((p) => p.path),
    ).toEqual(["pairs[1].rep", "pairs[2].rep"]);
    expect(routeRequestProblems(ctx, { id: "x", value: 1, currentRep: "r2" }, undefined)).toEqual([]);
  });
});
