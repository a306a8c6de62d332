import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { diffSolutions, digestSolution } from "../src/what-if/solution-diff.ts";
import { changedPlan } from "./changed-plan.ts";
import { solveExactly } from "./exact-solve.ts";
import { randomSmallPlan } from "./random-small-plan.ts";

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

/** A random small plan without the policy parts that make the property below not hold (say which). */
function planWithout(seed: number, drop: (policy: NonNullable<Plan["policy"]>) => void, reps = 4): Plan {
  const plan = Plan.parse(randomSmallPlan(seed, 7, reps));
  const policy = { ...plan.policy };
  drop(policy);
  return Plan.parse({ ...plan, policy });
}

describe("scenario semantics (exact solves of random small plans)", () => {
  it("removing a rep that got no customers leaves the objective unchanged (no fairness bands: shares would move; no move budget: its former customers' moves become forced)", async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const plan = planWithout(seed, (p) => {
          delete p.fairness;
          delete p.stability;
        });
        const base = await solveExactly(plan);
        if (base.objective === null) return;
        const idle = base.reps.find((r, i) => r.accounts === 0 && plan.reps[i]?.available !== false);
        if (idle === undefined) return;
        checked++;
        const without = await solveExactly(changedPlan(plan, [{ op: "removeRep", rep: idle.id }]));
        expect(without.status).toBe("optimal");
        expect(close(without.objective ?? NaN, base.objective)).toBe(true);
      }),
      { seed: 4104, numRuns: 60 },
    );
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it("adding capacity (raising or lifting a limit, or a new rep) never lowers the objective (no fairness bands: shares follow capacity)", async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 4 }), async (seed, kind, extra) => {
        const plan = planWithout(seed, (p) => delete p.fairness, 3);
        const rep = plan.reps[seed % plan.reps.length];
        if (rep === undefined) return;
        // A rep without a limit keeps none (setting one would cut capacity).
        const change =
          kind === 0
            ? { op: "updateRep", rep: rep.id, set: { maxAccounts: rep.maxAccounts === undefined ? null : rep.maxAccounts + extra } }
            : kind === 1
              ? { op: "updateRep", rep: rep.id, set: { maxWorkload: rep.maxWorkload === undefined ? null : rep.maxWorkload + extra } }
              : kind === 2
                ? { op: "updateRep", rep: rep.id, set: { maxAccounts: null, maxWorkload: null } }
                : { op: "addRep", rep: { id: "extra-rep", maxAccounts: extra } };
        const base = await solveExactly(plan);
        if (base.objective === null) return;
        checked++;
        const more = await solveExactly(changedPlan(plan, [change]));
        expect(more.objective).not.toBeNull();
        expect((more.objective ?? -Infinity) >= base.objective - 1e-6 * Math.max(1, Math.abs(base.objective))).toBe(true);
      }),
      { seed: 777, numRuns: 50 },
    );
    expect(checked).toBeGreaterThanOrEqual(20);
  });

  it("scaling every value by k scales the objective by k (no travel cost, penalties, seniority thresholds or external scores: they do not scale)", async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom(0.5, 2, 3.7), async (seed, k) => {
        const raw = Plan.parse(randomSmallPlan(seed, 7, 3));
        const { pairs: _pairs, ...rest } = raw;
        const policy = { ...raw.policy, territoryPenalty: 0, travelCostPerKm: 0 };
        delete policy.seniority;
        if (policy.stability !== undefined) policy.stability = { ...policy.stability, movePenalty: 0 };
        const plan = Plan.parse({ ...rest, policy });
        const base = await solveExactly(plan);
        if (base.objective === null) return;
        checked++;
        const scaled = await solveExactly(changedPlan(plan, [{ op: "scaleValues", factor: k }]));
        expect(scaled.status).toBe("optimal");
        expect(close(scaled.objective ?? NaN, k * base.objective)).toBe(true);
      }),
      { seed: 99, numRuns: 40 },
    );
    expect(checked).toBeGreaterThanOrEqual(20);
  });
});

describe("the diff of a scenario against its base (hand-computed)", () => {
  // Base optimum: c1→r1 (10), c2→r1 (8), c3→r2 (5) = 23. When r2 leaves and r3 joins:
  // c1→r1 (10), c2→r3 (10), c3→r3 (4) = 24 (r1+r3 {c1,c2}+{c3} = 22, {c1,c3}+{c2} = 21).
  const base = Plan.parse({
    customers: [
      { id: "c1", value: 100, currentRep: "r1" },
      { id: "c2", value: 100 },
      { id: "c3", value: 100 },
    ],
    reps: [
      { id: "r1", maxAccounts: 2 },
      { id: "r2", maxAccounts: 2 },
      { id: "r3", maxAccounts: 2, available: false },
    ],
    pairs: [
      { customer: "c1", rep: "r1", score: 10 },
      { customer: "c1", rep: "r2", score: 1 },
      { customer: "c1", rep: "r3", score: 2 },
      { customer: "c2", rep: "r1", score: 8 },
      { customer: "c2", rep: "r2", score: 7 },
      { customer: "c2", rep: "r3", score: 10 },
      { customer: "c3", rep: "r1", score: 1 },
      { customer: "c3", rep: "r2", score: 5 },
      { customer: "c3", rep: "r3", score: 4 },
    ],
  });

  it("gives the objective delta, the customers moved with their value change, and per-rep loads", async () => {
    const changed = changedPlan(base, [
      { op: "removeRep", rep: "r2" },
      { op: "updateRep", rep: "r3", set: { available: true } },
      { op: "addCustomers", customers: [{ id: "c4", value: 100 }] },
      { op: "setPolicy", policy: { allowUnassigned: true } },
    ]);
    const [a, b] = await Promise.all([solveExactly(base), solveExactly(changed)]);
    expect(a.objective).toBe(23);
    expect(b.objective).toBe(24);
    const diff = diffSolutions({ plan: base, digest: digestSolution(base, a) }, { plan: changed, digest: digestSolution(changed, b) });
    expect(diff).not.toBeNull();
    if (diff === null) return;
    expect(diff.objective).toEqual({ from: 23, to: 24, delta: 1 });
    // Both solves proved optimal: the optimal objectives differ by exactly 1.
    expect(diff.optimalDelta?.low).toBeCloseTo(1, 6);
    expect(diff.optimalDelta?.high).toBeCloseTo(1, 6);
    expect(diff.expectedValue).toEqual({ from: 23, to: 24, delta: 1 });
    expect(diff.customers).toEqual({ moved: 2, unchanged: 1, added: 1, removed: 0 });
    expect(diff.moves).toEqual([
      { customer: "c2", from: "r1", to: "r3", expectedValueFrom: 8, expectedValueTo: 10, delta: 2 },
      { customer: "c3", from: "r2", to: "r3", expectedValueFrom: 5, expectedValueTo: 4, delta: -1 },
    ]);
    // c4 has no pairs, so it stays unassigned.
    expect(diff.added).toEqual([{ customer: "c4", rep: null, expectedValue: null }]);
    expect(diff.unassigned).toEqual({ from: 0, to: 1, delta: 1 });
    const rep = (id: string) => diff.reps.find((r) => r.rep === id);
    expect(rep("r1")).toMatchObject({ accounts: { from: 2, to: 1, delta: -1 }, value: { from: 200, to: 100, delta: -100 }, expectedValue: { from: 18, to: 10, delta: -8 }, gained: 0, lost: 1 });
    expect(rep("r2")).toMatchObject({ accounts: { from: 1, to: 0, delta: -1 }, expectedValue: { from: 5, to: 0, delta: -5 }, gained: 0, lost: 1, inFrom: true, inTo: true });
    expect(rep("r3")).toMatchObject({ accounts: { from: 0, to: 2, delta: 2 }, expectedValue: { from: 0, to: 14, delta: 14 }, gained: 2, lost: 0 });
    expect(diff.fairness.valueGini.delta).toBeCloseTo(b.metrics.valueGini - a.metrics.valueGini, 12);
  });

  it("is null when either side has no plan", async () => {
    const impossible = changedPlan(base, [{ op: "removeRep", rep: "r2" }]);
    const [a, b] = await Promise.all([solveExactly(base), solveExactly(impossible)]);
    expect(b.status).toBe("infeasible");
    expect(diffSolutions({ plan: base, digest: digestSolution(base, a) }, { plan: impossible, digest: digestSolution(impossible, b) })).toBeNull();
  });
});
