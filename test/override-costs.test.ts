import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { adviseOnSolution } from "../src/advice/plan-advice.ts";
import { applyChanges } from "../src/what-if/plan-changes.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { EXACT, solveExactly } from "./exact-solve.ts";
import { prng, randomSmallPlan } from "./random-small-plan.ts";
import { tinyPlan } from "./tiny-plan.ts";

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

/** A random small plan with one or two overrides that the contract accepts (none against a lock, a forbid or the pairs list). */
function planWithOverrides(seed: number): Plan | null {
  const base = randomSmallPlan(seed, 7, 3);
  const rnd = prng(seed + 99);
  const taken = new Set((base.policy?.locks ?? []).map((l) => l.customer));
  const overrides: NonNullable<NonNullable<Plan["policy"]>["overrides"]> = [];
  for (let k = 0; k < 2; k++) {
    const c = base.customers[Math.floor(rnd() * base.customers.length)];
    const r = base.reps[Math.floor(rnd() * base.reps.length)];
    if (c === undefined || r === undefined || taken.has(c.id)) continue;
    taken.add(c.id);
    overrides.push({ customer: c.id, rep: r.id, by: "planner", reason: `seed ${seed}` });
  }
  const parsed = Plan.safeParse({ ...base, policy: { ...base.policy, overrides } });
  return parsed.success && overrides.length > 0 ? parsed.data : null;
}

describe("overrides: solved as locks, priced by re-solve", () => {
  it("the hand-computed case: keeping c1 with r2 (a stay) forces c2 to r1: 4 + 8 = 12 against 17, cost 5; the override is honoured", async () => {
    const plan = Plan.parse({
      ...tinyPlan,
      customers: [{ id: "c1", value: 100, currentRep: "r2" }, { id: "c2", value: 100 }],
      policy: { overrides: [{ customer: "c1", rep: "r2", by: "ana", reason: "the customer asked for her" }] },
    });
    const solution = await solveExactly(plan);
    expect(solution.objective).toBe(12);
    expect(solution.assignments.map((a) => [a.customer, a.rep, a.locked])).toEqual([
      ["c1", "r2", true],
      ["c2", "r1", false],
    ]);
    const advice = await adviseOnSolution(plan, solution, { parts: ["overrides"], solve: EXACT, timeLimitMs: 20_000 });
    expect(advice.overrides).toEqual([
      { customer: "c1", rep: "r2", by: "ana", reason: "the customer asked for her", kind: "stay", method: "re-solve", status: "optimal", cost: 5, costAtLeast: 5, costAtMost: 5 },
    ]);
    expect(advice.stoppedBy).toBe("complete");
  });

  it("on random small plans: each override is honoured by the solve and its cost matches a separate re-solve without it", async () => {
    let priced = 0;
    for (let seed = 1; seed <= 80 && priced < 25; seed++) {
      const plan = planWithOverrides(seed * 104729);
      if (plan === null) continue;
      const solution = await solveExactly(plan);
      if (solution.status !== "optimal" || solution.objective === null) continue;
      // The overrides are locks: the verifier (which reads them from the policy) passes, and each is kept.
      expect(verifyAssignment(plan, solution.assignments).passed).toBe(true);
      const overrides = plan.policy?.overrides ?? [];
      for (const o of overrides) expect(solution.assignments.find((a) => a.customer === o.customer)?.rep).toBe(o.rep);
      const advice = await adviseOnSolution(plan, solution, { parts: ["overrides"], solve: EXACT, timeLimitMs: 60_000 });
      expect(advice.overrides?.length).toBe(overrides.length);
      for (const [i, o] of overrides.entries()) {
        const without = await solveExactly({ ...plan, policy: { ...plan.policy, overrides: overrides.filter((_, j) => j !== i) } });
        const reported = advice.overrides?.[i];
        expect(reported?.customer).toBe(o.customer);
        expect(reported?.status).toBe(without.status);
        if (without.objective === null) {
          // Without it the plan has no solution (the lock made an ineligible pair the customer's only way in): no cost.
          expect(reported?.cost).toBeNull();
          continue;
        }
        const expected = (without.objective ?? NaN) - solution.objective;
        expect(close(reported?.cost ?? NaN, expected), `seed ${seed}: ${reported?.cost} vs ${expected}`).toBe(true);
        // The proven bracket holds the exact cost (both solves are proven optimal with gap 0).
        expect((reported?.costAtLeast ?? NaN) - 1e-6 * Math.max(1, Math.abs(expected))).toBeLessThanOrEqual(expected);
        expect((reported?.costAtMost ?? NaN) + 1e-6 * Math.max(1, Math.abs(expected))).toBeGreaterThanOrEqual(expected);
        priced++;
      }
    }
    expect(priced).toBeGreaterThanOrEqual(10);
  });

  it("a scenario carries overrides through setPolicy (unknown ids named by path), and removing the customer drops its override", () => {
    const plan = Plan.parse(tinyPlan);
    const override = { customer: "c1", rep: "r2", by: "ana", reason: "pilot" };
    const set = applyChanges(plan, [{ op: "setPolicy", policy: { overrides: [override] } }], ["changes"]);
    expect(set.ok && set.plan.policy?.overrides).toEqual([override]);
    const unknown = applyChanges(plan, [{ op: "setPolicy", policy: { overrides: [{ ...override, rep: "r9" }] } }], ["changes"]);
    expect(unknown.ok ? [] : unknown.errors.map((e) => e.path)).toEqual(["changes[0].policy.overrides[0].rep"]);
    const removed = applyChanges(Plan.parse({ ...tinyPlan, policy: { overrides: [override] } }), [{ op: "removeCustomers", customers: ["c1"] }], ["changes"]);
    expect(removed.ok && removed.plan.policy?.overrides).toEqual([]);
  });

  it("the contract refuses an override on a locked customer, a second one for a customer, an unknown rep, and a forbidden pair", () => {
    const result = Plan.safeParse({
      ...tinyPlan,
      policy: {
        locks: [{ customer: "c1", rep: "r1" }],
        forbid: [{ customer: "c2", rep: "r2" }],
        overrides: [
          { customer: "c1", rep: "r2", by: "a", reason: "" },
          { customer: "c2", rep: "r2", by: "a", reason: "" },
          { customer: "c2", rep: "r1", by: "a", reason: "" },
          { customer: "c2", rep: "r9", by: "a", reason: "" },
        ],
      },
    });
    expect(result.success).toBe(false);
    const paths = result.success ? [] : result.error.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["policy.overrides.0", "policy.overrides.2", "policy.overrides.3.rep", "policy.forbid.0"]));
  });
});
