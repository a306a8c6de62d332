import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { smallWorld } from "./learning-fixtures.ts";

/** Six reps with history, one new rep without, every rep with 12 seats for 60 customers. */
function coldStartPlan(exploration: NonNullable<Plan["policy"]>["exploration"]): Plan {
  const world = smallWorld(3, 6, 100);
  return Plan.parse({ ...world.plan, reps: [...world.plan.reps, { id: "new1", maxAccounts: 12 }], policy: { timeLimitMs: 4000, exploration } });
}

const plainOf = (plan: Plan): Plan => Plan.parse({ ...plan, policy: { timeLimitMs: plan.policy?.timeLimitMs } });
const pairsOf = (s: { assignments: { customer: string; rep: string }[] }) => s.assignments.map((a) => ({ customer: a.customer, rep: a.rep }));

describe("policy.exploration (cold start)", () => {
  it("gives a new rep an optimistic conversion, keeps the cost within maxShare, and returns a plan verified and scored on the real plan", async () => {
    const plan = coldStartPlan({ maxShare: 0.05 });
    const { solution } = await solvePlan(plan);
    const plain = (await solvePlan(plainOf(plan))).solution;
    const report = solution.exploration;
    expect(report?.applied).toBe(true);
    expect(report?.bestExpectedValue).toBe(plain.objective);
    expect(report?.expectedValue).toBe(solution.objective);
    // The objective is the honest one: the verifier's, with the plain posterior means.
    const check = verifyAssignment(plan, pairsOf(solution));
    expect(check.passed).toBe(true);
    expect(solution.objective).toBeCloseTo(check.objective, 6);
    expect(solution.verification).toMatchObject({ passed: true, state: "passed" });
    const cost = (plain.objective ?? 0) - (solution.objective ?? 0);
    expect(report?.cost).toBeCloseTo(cost, 6);
    expect(cost).toBeGreaterThan(0);
    expect(cost).toBeLessThanOrEqual(0.05 * (plain.objective ?? 0));
    // The bound is the plain solve's: the gap shows what exploring costs.
    expect(solution.bound).toBe(plain.bound);
    expect(solution.status).toBe("feasible");
    expect(report?.explored.length).toBeGreaterThan(0);
    for (const e of report?.explored ?? []) {
      expect(e.rep).toBe("new1");
      expect(e.attempts).toBe(0);
      expect(e.optimisticConversion).toBeGreaterThan(e.conversion);
    }
    expect(solution.solver.inputHash).not.toBe(plain.solver.inputHash);
    // Deterministic: the same plan, the same bytes.
    expect(JSON.stringify((await solvePlan(plan)).solution)).toBe(JSON.stringify(solution));
  });

  it("halves the bonus, then drops it, when exploring costs more than allowed", async () => {
    const plan = coldStartPlan({ maxShare: 0 });
    const { solution } = await solvePlan(plan);
    const plain = (await solvePlan(plainOf(plan))).solution;
    expect(solution.exploration).toMatchObject({ applied: false, weight: 0, cost: 0 });
    expect(solution.exploration?.note).toMatch(/^Not applied: every bonus tried cost more than the 0.00%/);
    expect(pairsOf(solution)).toEqual(pairsOf(plain));
    expect(solution.objective).toBe(plain.objective);
    const smaller = (await solvePlan(coldStartPlan({ maxShare: 0.02 }))).solution.exploration;
    expect(smaller?.applied).toBe(true);
    expect(smaller?.weight).toBeLessThan(1);
    expect(smaller?.costShare).toBeLessThanOrEqual(0.02);
    expect(smaller?.note).toContain("Before: weight 1: would cost");
  });

  it("has nothing to explore without history, or when every rep has enough attempts", async () => {
    const plan = coldStartPlan({});
    const { history: _history, ...rest } = plan;
    const neutral = Plan.parse(rest);
    const none = (await solvePlan(neutral)).solution;
    expect(none.exploration).toMatchObject({ applied: false, explored: [] });
    expect(none.exploration?.note).toContain("no history");
    const enough = (await solvePlan(coldStartPlan({ minAttempts: 1 }))).solution.exploration;
    // new1 has no attempts at all: still explored with minAttempts 1.
    expect(enough?.explored.every((e) => e.rep === "new1")).toBe(true);
    const world = smallWorld(3, 6, 100);
    const seasoned = (await solvePlan(Plan.parse({ ...world.plan, policy: { exploration: { minAttempts: 50 } } }))).solution.exploration;
    expect(seasoned?.note).toContain("Every available rep has at least 50 attempts");
  });
});
