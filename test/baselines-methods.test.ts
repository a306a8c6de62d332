import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCompareQuery } from "../api/compare-query.ts";
import { Plan, Solution } from "../models/index.ts";
import { BASELINES, compareWithBaselines } from "../src/baselines/baseline-comparison.ts";
import { checkAssignment } from "../src/baselines/constraint-breaks.ts";
import { largestRemainder } from "../src/baselines/value-tiers.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { startService, type TestService } from "./api-test-service.ts";
import { repByCustomer } from "./assignment-pairs.ts";
import { openApiChecker } from "./what-if-fixtures.ts";

/**
 * Pools: north → a, b, d (d works everywhere); south → c, d; k5 (no territory) → a, b, c, d.
 * e is unavailable. No history: expected value = value × fit, fit = 1.25 when the rep has the
 * customer's need. Fair shares ∝ maxAccounts (2, 1, 2, 2 of 7); value band 1: b may carry at most
 * 2 × 1450/7 ≈ 414.29.
 */
const plan = Plan.parse({
  customers: [
    { id: "k1", territory: "north", value: 100, workload: 2 },
    { id: "k2", territory: "north", value: 400, workload: 1, requires: ["cloud"] },
    { id: "k3", territory: "south", value: 300, workload: 1, needs: ["cloud"] },
    { id: "k4", territory: "north", value: 200, workload: 1, needs: ["erp"] },
    { id: "k5", value: 50, workload: 1 },
    { id: "k6", territory: "south", value: 400, workload: 3 },
  ],
  reps: [
    { id: "a", territories: ["north"], specialties: ["erp"], seniority: 1, maxAccounts: 2 },
    { id: "b", territories: ["north"], specialties: ["cloud"], seniority: 3, maxAccounts: 1 },
    { id: "c", territories: ["south"], specialties: ["erp", "cloud"], seniority: 2, maxAccounts: 2 },
    { id: "d", seniority: 0, maxAccounts: 2, maxWorkload: 2 },
    { id: "e", territories: ["north"], seniority: 5, maxAccounts: 9, available: false },
  ],
  policy: { fairness: { valueBand: 1 }, mipGap: 0 },
});

describe("each classic method, by hand", () => {
  it("round robin cycles through each territory's reps in plan order", () => {
    // north: k1→a, k2→b, k4→d; south: k3→c, k6→d; no territory: k5→a.
    expect(repByCustomer(BASELINES["round-robin"](plan))).toEqual({ k1: "a", k2: "b", k3: "c", k4: "d", k5: "a", k6: "d" });
  });

  it("least loaded gives each customer to the rep of its territory with the least workload so far (ties: fewer accounts, then plan order)", () => {
    // k1→a (all 0); k2→b (a 2); k3→c; k4→d (a 2, b 1, d 0); k5→b (a 2, b/c/d 1, tie → b); k6→c (c 1, d 1, tie → c).
    expect(repByCustomer(BASELINES["least-loaded"](plan))).toEqual({ k1: "a", k2: "b", k3: "c", k4: "d", k5: "b", k6: "c" });
  });

  it("value tiers deal each territory's customers, highest value first, to reps by seniority in blocks ∝ maxAccounts", () => {
    // north: k2, k4, k1 to b (3), a (1), d (0) with quotas 3·(1,2,2)/5 = 0.6, 1.2, 1.2 → 1, 1, 1.
    // south: k6, k3 to c, d with quotas 1, 1. No territory: k5 to b, c, a, d with shares 1/7, 2/7, 2/7, 2/7 → c.
    expect(repByCustomer(BASELINES["value-tiers"](plan))).toEqual({ k1: "d", k2: "b", k3: "d", k4: "a", k5: "c", k6: "c" });
    expect(largestRemainder(3, [1, 2, 2])).toEqual([1, 1, 1]);
    expect(largestRemainder(1, [1, 2, 2, 2])).toEqual([0, 1, 0, 0]);
    expect(largestRemainder(5, [0, 0])).toEqual([3, 2]);
  });

  it("first match takes the first rep of the territory with the required and a needed specialty, ignoring capacity", () => {
    // k1→a (first); k2 needs cloud → b; k3 → c (cloud); k4 → a (erp); k5 → a; k6 → c.
    expect(repByCustomer(BASELINES["first-match"](plan))).toEqual({ k1: "a", k2: "b", k3: "c", k4: "a", k5: "a", k6: "c" });
  });
});

describe("the comparison with the optimizer", () => {
  it("scores each method like the optimizer, counts the verifier's breaks and computes the uplift", async () => {
    const { solution } = await solvePlan(plan);
    // Every fit can be had within the limits: 100 + 400 + 375 + 250 + 50 + 400.
    expect(solution.objective).toBe(1575);
    const comparison = compareWithBaselines(plan, solution, ["round-robin", "least-loaded", "value-tiers", "first-match"]);
    expect(comparison.optimizer).toBe(1575);
    const rows = comparison.baselines.map((b) => [b.method, b.expectedValue, b.breaks.byKind, b.uplift, b.assigned, b.unassigned]);
    expect(rows).toEqual([
      // d carries k4 + k6: workload 4 > 2.
      ["round-robin", 1525, { "max-workload": 1 }, 50, 6, 0],
      // b carries k2 + k5: 2 accounts > 1 and value 450 > 414.29.
      ["least-loaded", 1525, { "max-accounts": 1, "value-band": 1 }, 50, 6, 0],
      // d carries k1 + k3: workload 3 > 2; k3 and k4 lose or keep their fit: 100 + 400 + 300 + 250 + 50 + 400.
      ["value-tiers", 1500, { "max-workload": 1 }, 75, 6, 0],
      // a carries k1, k4, k5: 3 accounts > 2.
      ["first-match", 1575, { "max-accounts": 1 }, 0, 6, 0],
    ]);
    expect(comparison.baselines[0]?.upliftPercent).toBeCloseTo((50 / 1525) * 100, 12);
    expect(comparison.baselines.every((b) => b.breaks.complete && b.breaks.total === Object.values(b.breaks.byKind).reduce((s, n) => s + n, 0))).toBe(true);
  });

  it("reports breaks the verifier really finds, and none for the optimizer's own plan", async () => {
    const { solution } = await solvePlan(plan);
    expect(checkAssignment(plan, solution.assignments).breaks).toEqual({ total: 0, byKind: {}, complete: true });
    // Missing customers and required specialties count too.
    const broken = checkAssignment(plan, [
      { customer: "k2", rep: "a" },
      { customer: "k3", rep: "c" },
    ]);
    expect(broken.breaks.byKind).toEqual({ missing: 4, requires: 1 });
    expect(broken.expectedValue).toBe(400 + 375);
  });
});

describe("?compare= on POST /v1/solve", () => {
  let service: TestService;
  const check = openApiChecker();
  beforeAll(() => {
    service = startService();
  });
  afterAll(() => service.close());

  it("returns the Solution with the comparison, the same as in process", async () => {
    const res = await request(service.app).post("/v1/solve?compare=round-robin,value-tiers").send(plan);
    expect(res.status).toBe(200);
    const json: unknown = JSON.parse(res.text);
    expect(check(json, "Solution")).toEqual([]);
    const solution = Solution.parse(json);
    expect(solution.comparison?.baselines.map((b) => [b.method, b.expectedValue, b.uplift])).toEqual([
      ["round-robin", 1525, 50],
      ["value-tiers", 1500, 75],
    ]);
    const again = await request(service.app).post("/v1/solve?compare=round-robin,value-tiers").send(plan);
    expect(again.text).toBe(res.text);
    const plain = await request(service.app).post("/v1/solve").send(plan);
    expect(Solution.parse(JSON.parse(plain.text)).comparison).toBeUndefined();
  });

  it("rejects an unknown method with a 400 naming the parameter", async () => {
    const res = await request(service.app).post("/v1/solve?compare=round-robin,coin-flip").send(plan);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({
      type: "/docs#problem-invalid-query",
      errors: [{ path: "compare", message: 'unknown method "coin-flip": expected a comma-separated list of round-robin, least-loaded, value-tiers, first-match (or all)' }],
    });
  });

  it("reads all, repeats and repeated parameters", () => {
    expect(readCompareQuery("/v1/solve")).toEqual({ ok: true, methods: null });
    expect(readCompareQuery("/v1/solve?compare=all")).toEqual({ ok: true, methods: ["round-robin", "least-loaded", "value-tiers", "first-match"] });
    expect(readCompareQuery("/v1/solve?compare=first-match&compare=first-match,%20round-robin")).toEqual({ ok: true, methods: ["first-match", "round-robin"] });
    expect(readCompareQuery("/v1/solve?compare=")).toMatchObject({ ok: false, errors: [{ path: "compare" }] });
  });
});
