import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { LEGACY_MAX_COLUMNS } from "../src/structured/algorithm-choice.ts";
import { buildAssignmentProblem } from "../src/structured/assignment-problem.ts";
import { solveComponent } from "../src/structured/component-solver.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { canDecompose, componentProblem, findComponents } from "../src/structured/plan-components.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { prng } from "./random-small-plan.ts";

/**
 * A plan whose eligibility graph falls apart: hard territories, each rep covering its own territory
 * only, workloads, capacities and (optionally) a value band, so that several parts are GAP-like and
 * are solved independently.
 */
function territoryPlan(seed: number, customers: number, territories: number, repsPer: number, band: boolean): Plan {
  const rnd = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const names = Array.from({ length: territories }, (_, t) => `t${t}`);
  // Capacity around what an even split needs (sometimes less: some plans are infeasible).
  const perRep = customers / territories / repsPer;
  const reps = names.flatMap((t, i) =>
    Array.from({ length: repsPer }, (_, j) => ({
      id: `r${i}-${j}`,
      territories: [t],
      specialties: rnd() < 0.5 ? ["erp"] : [],
      maxWorkload: Math.round(perRep * (1.7 + rnd() * 1.4)),
      maxAccounts: Math.round(perRep * (0.9 + rnd() * 0.6)),
    })),
  );
  const list = Array.from({ length: customers }, (_, c) => ({
    id: `c${c}`,
    value: int(1, 100) * 100,
    territory: names[c % territories] ?? "t0",
    workload: int(1, 3),
    ...(rnd() < 0.6 ? { needs: ["erp"] } : {}),
    segment: rnd() < 0.5 ? "smb" : "ent",
  }));
  const history = reps.flatMap((r) => ["smb", "ent"].map((segment) => ({ rep: r.id, segment, attempts: 20, wins: int(1, 15) })));
  return Plan.parse({ customers: list, reps, history, policy: { specialtyBonus: 0.5, ...(band ? { fairness: { valueBand: 0.6 } } : {}) } });
}

describe("independent parts of a plan", () => {
  it("finds the territories as components: every pair inside one, every customer and rep in exactly one", () => {
    const plan = territoryPlan(7, 90, 3, 4, false);
    const policy = resolvePolicy(plan.policy);
    const problem = buildAssignmentProblem(plan, buildPairTable(plan, policy), policy);
    expect(canDecompose(problem)).toBe(true);
    const components = findComponents(problem);
    expect(components).toHaveLength(3);
    const customerPart = new Int32Array(problem.customerCount).fill(-1);
    const repPart = new Int32Array(problem.repCount).fill(-1);
    components.forEach((part, i) => {
      for (const c of part.customers) customerPart[c] = i;
      for (const r of part.reps) repPart[r] = i;
    });
    expect(Array.from(customerPart).every((i) => i >= 0)).toBe(true);
    expect(Array.from(repPart).every((i) => i >= 0)).toBe(true);
    for (let k = 0; k < problem.pairCount; k++) {
      expect(customerPart[problem.pairCustomer[k] ?? 0]).toBe(repPart[problem.pairRep[k] ?? 0]);
    }
    expect(components.reduce((s, part) => s + part.pairs, 0)).toBe(problem.pairCount);
  });

  it("does not split a plan that a move budget or a band on the assigned total couples", () => {
    const plan = territoryPlan(7, 30, 3, 2, false);
    const withBudget = Plan.parse({
      ...plan,
      customers: plan.customers.map((c, i) => ({ ...c, currentRep: plan.reps[i % plan.reps.length]?.id })),
      policy: { ...plan.policy, stability: { maxMoves: 1 } },
    });
    const withShare = Plan.parse({ ...plan, policy: { ...plan.policy, allowUnassigned: true, fairness: { valueBand: 0.5 } } });
    for (const p of [withBudget, withShare]) {
      const policy = resolvePolicy(p.policy);
      expect(canDecompose(buildAssignmentProblem(p, buildPairTable(p, policy), policy))).toBe(false);
    }
  });

  it("parts solved one by one and merged reach the same optimum as the whole problem solved at once", async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.boolean(), async (seed, band) => {
        const plan = territoryPlan(seed, 40, 3, 3, band);
        const policy = resolvePolicy(plan.policy);
        const problem = buildAssignmentProblem(plan, buildPairTable(plan, policy), policy);
        const far = performance.now() + 20_000;
        const whole = await solveComponent(problem, { deadline: far, mipGap: 0, budgetMs: 20_000 });
        let merged = 0;
        let partsFeasible = true;
        for (const part of findComponents(problem)) {
          const result = await solveComponent(componentProblem(problem, part), { deadline: far, mipGap: 0, budgetMs: 20_000 });
          if (result.status === "infeasible") partsFeasible = false;
          else {
            expect(result.status).toBe("optimal");
            merged += result.objective ?? Number.NaN;
          }
        }
        if (whole.status === "infeasible") {
          expect(partsFeasible).toBe(false);
          return;
        }
        expect(whole.status).toBe("optimal");
        expect(partsFeasible).toBe(true);
        expect(Math.abs(merged - (whole.objective ?? Number.NaN))).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(merged)));
        compared++;
      }),
      { seed: 424242, numRuns: 12 },
    );
    expect(compared).toBeGreaterThanOrEqual(6);
  });

  it("solvePlan's decomposed structured path agrees with HiGHS on the undecomposed MIP", async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const plan = territoryPlan(seed, 100, 4, 3, true);
        const policy = resolvePolicy(plan.policy);
        expect(buildPairTable(plan, policy).count).toBeGreaterThan(LEGACY_MAX_COLUMNS);
        const decomposed = (await solvePlan(plan, { mipGap: 0, timeLimitMs: 20_000 })).solution;
        const whole = (await solvePlan(plan, { mipGap: 0, timeLimitMs: 20_000, solver: "highs" })).solution;
        expect(decomposed.status).toBe(whole.status);
        if (whole.status !== "optimal") return;
        expect(decomposed.verification.passed).toBe(true);
        expect(decomposed.solver.backend).toBe("highs in 4 parts");
        expect(Math.abs((decomposed.objective ?? Number.NaN) - (whole.objective ?? Number.NaN))).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(whole.objective ?? 0)));
        expect(decomposed.gap ?? Number.NaN).toBeLessThanOrEqual(1e-9);
        compared++;
      }),
      { seed: 777, numRuns: 6 },
    );
    expect(compared).toBeGreaterThanOrEqual(3);
  });
});
