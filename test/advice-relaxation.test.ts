import { describe, expect, it } from "vitest";
import { Plan, type RelaxationGroup } from "../models/index.ts";
import { relaxationAdvice } from "../src/advice/cheapest-relaxation.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { bruteForce } from "./brute-force-optimum.ts";
import { EXACT } from "./exact-solve.ts";
import { randomSmallPlan } from "./random-small-plan.ts";

const NONE: Record<RelaxationGroup, null> = { valueBand: null, countBand: null, maxAccounts: null, maxWorkload: null, minAccounts: null, maxMoves: null, territory: null };
const relax = (plan: Plan) => relaxationAdvice(plan, { deadline: performance.now() + 60_000, solve: EXACT });
const withBand = (plan: Plan, valueBand: number): Plan => ({ ...plan, policy: { ...plan.policy, fairness: { ...plan.policy?.fairness, valueBand } } });

describe("the cheapest relaxation of an infeasible plan", () => {
  it("reports the minimal value band: feasible at it, proven infeasible one step below, as the brute-force oracle confirms", { timeout: 300_000 }, async () => {
    let checked = 0;
    for (let seed = 1; seed <= 400 && checked < 12; seed++) {
      const random = randomSmallPlan(seed, 6, 3);
      const { countBand: _count, ...fairness } = random.policy?.fairness ?? {};
      const plan = Plan.parse({
        ...random,
        policy: { ...random.policy, allowUnassigned: false, fairness: { ...fairness, valueBand: 0.02 + (seed % 7) / 50 } },
        advice: { weights: { ...NONE, valueBand: 1 }, bandPrecision: 0.01 },
      });
      // Only plans that the band alone makes infeasible.
      if (bruteForce(plan) !== null) continue;
      const { valueBand: _band, ...noBand } = plan.policy?.fairness ?? {};
      if (bruteForce({ ...plan, policy: { ...plan.policy, fairness: noBand } }) === null) continue;
      checked++;

      const { advice } = await relax(plan);
      const found = advice.cheapest;
      expect(found, `seed ${seed}`).not.toBeNull();
      if (found === null) continue;
      expect(found.changes.map((c) => c.group)).toEqual(["valueBand"]);
      const change = found.changes[0];
      const to = change?.to ?? NaN;
      expect(change?.from).toBe(plan.policy?.fairness?.valueBand);
      // The band reported works, the one just below does not (or is the band as given).
      expect(bruteForce(withBand(plan, to)), `seed ${seed}: band ${to} must be feasible`).not.toBeNull();
      const below = Math.round((to - 0.01) * 1e12) / 1e12;
      expect(bruteForce(withBand(plan, Math.max(below, change?.from ?? 0))), `seed ${seed}: band ${below} must be infeasible`).toBeNull();
      expect(found.minimal).toBe(true);
      expect(found.bandProof?.infeasible).toBe(true);
      // The plan under it is verified against the relaxed plan, and marked as not meeting the plan as given.
      expect(found.plan?.meetsPlanAsGiven).toBe(false);
      expect(found.plan?.status).toBe("optimal");
      const relaxed = withBand(plan, to);
      expect(verifyAssignment(relaxed, found.plan?.assignments ?? []).passed).toBe(true);
      expect(verifyAssignment(plan, found.plan?.assignments ?? []).passed).toBe(false);
      expect(found.plan?.objective).toBeCloseTo(bruteForce(relaxed) ?? NaN, 6);
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it("finds the fewest extra seats, names the reps, and proves it minimal", async () => {
    // Five customers for reps of 1 + 1 + 1 seats: two more seats are needed, cheapest on r1 (any rep would do).
    const plan = Plan.parse({
      customers: ["a", "b", "c", "d", "e"].map((id) => ({ id, value: 100 })),
      reps: [
        { id: "r1", maxAccounts: 1 },
        { id: "r2", maxAccounts: 1 },
        { id: "r3", maxAccounts: 1 },
      ],
      advice: { weights: { maxAccounts: 1 } },
    });
    const { advice } = await relax(plan);
    expect(advice.cheapest?.cost).toBe(2);
    expect(advice.cheapest?.minimal).toBe(true);
    const raised = advice.cheapest?.changes ?? [];
    expect(raised.every((c) => c.group === "maxAccounts" && c.field.startsWith("reps[") && c.message.startsWith("raise"))).toBe(true);
    expect(raised.reduce((s, c) => s + c.amount, 0)).toBe(2);
    expect(advice.cheapest?.plan?.assignments).toHaveLength(5);
  });

  it("weighs the groups as asked: a dear band makes the territory crossing the cheapest, and each group alone is an alternative", async () => {
    // Two territories; north has 3 customers for one 2-seat rep, south one customer for one 2-seat rep.
    const base = {
      customers: [
        { id: "n1", value: 100, territory: "north" },
        { id: "n2", value: 100, territory: "north" },
        { id: "n3", value: 100, territory: "north" },
        { id: "s1", value: 100, territory: "south" },
      ],
      reps: [
        { id: "rn", territories: ["north"], maxAccounts: 2 },
        { id: "rs", territories: ["south"], maxAccounts: 2 },
      ],
    };
    const plan = Plan.parse({ ...base, advice: { weights: { maxAccounts: 5, territory: 1 } } });
    const { advice } = await relax(plan);
    expect(advice.cheapest?.changes).toEqual([expect.objectContaining({ group: "territory", territory: "north", amount: 1, field: "policy.locks" })]);
    expect(advice.cheapest?.cost).toBe(1);
    expect(advice.alternatives.map((a) => a.changes.map((c) => `${c.group}:${c.amount}`).join())).toEqual(["maxAccounts:1", "territory:1"]);
    const dear = await relax(Plan.parse({ ...base, advice: { weights: { maxAccounts: 1, territory: 5 } } }));
    expect(dear.advice.cheapest?.changes).toEqual([expect.objectContaining({ group: "maxAccounts", rep: "rn", from: 2, to: 3 })]);
    const never = await relax(Plan.parse({ ...base, advice: { weights: { maxAccounts: null, territory: null } } }));
    expect(never.advice.cheapest).toBeNull();
    expect(never.advice.summary).toMatch(/No group of this plan may be relaxed/);
  });

  it("says so when no allowed group can make the plan feasible", async () => {
    // A customer that requires a specialty no rep has: no band, limit or territory helps.
    const plan = Plan.parse({
      customers: [{ id: "c", value: 10, requires: ["erp"] }],
      reps: [{ id: "r", maxAccounts: 1 }],
    });
    const { advice } = await relax(plan);
    expect(advice.cheapest).toBeNull();
    expect(advice.alternatives).toEqual([]);
    expect(advice.summary).toMatch(/No relaxation of maxAccounts makes the plan feasible/);
  });
});
