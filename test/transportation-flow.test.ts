import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { buildAssignmentProblem, isTransportation } from "../src/structured/assignment-problem.ts";
import { solveMinCostFlow } from "../src/structured/network-simplex.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { solveTransportation } from "../src/structured/transportation-flow.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { prng } from "./random-small-plan.ts";

/** A random plan with count capacities only (maxAccounts, minAccounts), external scores, maybe unassigned customers. */
function randomTransportationPlan(seed: number): Plan {
  const rnd = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const nC = int(1, 40);
  const nR = int(1, 7);
  const reps = Array.from({ length: nR }, (_, r) => {
    const max = rnd() < 0.75 ? int(0, Math.ceil(nC / 2)) : undefined;
    const min = rnd() < 0.3 ? int(0, 3) : undefined;
    return {
      id: `r${r}`,
      ...(max === undefined ? {} : { maxAccounts: max }),
      ...(min !== undefined && (max === undefined || min <= max) ? { minAccounts: min } : {}),
      ...(rnd() < 0.1 ? { available: false } : {}),
    };
  });
  const customers = Array.from({ length: nC }, (_, c) => ({ id: `c${c}`, value: int(0, 1000) }));
  const pairs = customers.flatMap((c) =>
    reps.filter(() => rnd() < 0.6).map((r) => ({ customer: c.id, rep: r.id, score: Math.round((rnd() * 300 - 60) * 100) / 100 })),
  );
  return Plan.parse({ customers, reps, pairs, policy: { allowUnassigned: rnd() < 0.4, specialtyBonus: 0 } });
}

describe("network simplex (min-cost flow)", () => {
  it("finds a hand-computed optimum and its potentials certify it", () => {
    // Two sources (supply 2 and 1) and two sinks (demand 2 and 1); the cheap arc 0→2 has capacity 1.
    // Best: 1 unit on 0→2 (cost 1), 1 unit on 0→3 (cost 4), 1 unit on 1→2 (cost 2) = 7.
    const net = {
      nodes: 4,
      supply: Float64Array.from([2, 1, -2, -1]),
      arcSource: Int32Array.from([0, 0, 1, 1]),
      arcTarget: Int32Array.from([2, 3, 2, 3]),
      arcCapacity: Float64Array.from([1, Infinity, Infinity, Infinity]),
      arcCost: Float64Array.from([1, 4, 2, 6]),
    };
    const result = solveMinCostFlow(net);
    expect(result.status).toBe("optimal");
    expect(Array.from(result.flow)).toEqual([1, 1, 1, 0]);
    // Complementary slackness: arcs with flow below capacity have reduced cost ≥ 0, arcs with flow > 0 ≤ 0.
    for (let e = 0; e < 4; e++) {
      const reduced = (net.arcCost[e] ?? 0) + (result.potential[net.arcSource[e] ?? 0] ?? 0) - (result.potential[net.arcTarget[e] ?? 0] ?? 0);
      if ((result.flow[e] ?? 0) < (net.arcCapacity[e] ?? 0)) expect(reduced).toBeGreaterThanOrEqual(-1e-9);
      if ((result.flow[e] ?? 0) > 0) expect(reduced).toBeLessThanOrEqual(1e-9);
    }
  });

  it("reports infeasibility when the demand cannot be met", () => {
    const result = solveMinCostFlow({
      nodes: 3,
      supply: Float64Array.from([2, 0, -2]),
      arcSource: Int32Array.from([0, 1]),
      arcTarget: Int32Array.from([1, 2]),
      arcCapacity: Float64Array.from([Infinity, 1]),
      arcCost: Float64Array.from([0, 0]),
    });
    expect(result.status).toBe("infeasible");
  });
});

describe("transportation plans: network simplex vs HiGHS", () => {
  it("matches HiGHS's optimum (and its infeasibility) on random plans, with a bound equal to the objective", async () => {
    let feasible = 0;
    let infeasible = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const plan = randomTransportationPlan(seed);
        const policy = resolvePolicy(plan.policy);
        const table = buildPairTable(plan, policy);
        const problem = buildAssignmentProblem(plan, table, policy);
        expect(isTransportation(problem)).toBe(true);
        const flow = solveTransportation(problem);
        const highs = (await solvePlan(plan, { solver: "highs", mipGap: 0 })).solution;
        if (highs.status === "infeasible") {
          infeasible++;
          // Either the flow proves it, or the cheap checks before solving already did.
          if (flow.status !== "infeasible") expect(highs.solver.backend).toBe("presolve");
          return;
        }
        feasible++;
        expect(highs.status).toBe("optimal");
        expect(flow.status).toBe("optimal");
        const objective = flow.objective ?? Number.NaN;
        const optimum = highs.objective ?? Number.NaN;
        expect(Math.abs(objective - optimum)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(optimum)));
        expect(flow.bound ?? Number.NaN).toBeGreaterThanOrEqual(objective - 1e-9);
        expect((flow.bound ?? Number.NaN) - objective).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(objective)));
        // The flow's plan passes the independent verifier.
        const assignments: { customer: string; rep: string }[] = [];
        flow.choice?.forEach((k, c) => {
          if (k >= 0) assignments.push({ customer: plan.customers[c]?.id ?? "", rep: plan.reps[table.rep[k] ?? 0]?.id ?? "" });
        });
        const report = verifyAssignment(plan, assignments);
        expect(report.passed).toBe(true);
        expect(report.objective).toBeCloseTo(objective, 6);
      }),
      { seed: 61206, numRuns: 120 },
    );
    expect(feasible).toBeGreaterThan(40);
    expect(infeasible).toBeGreaterThan(3);
  });
});
