import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { buildAssignmentProblem, type PairChoice } from "../src/structured/assignment-problem.ts";
import { AssignmentState } from "../src/structured/assignment-state.ts";
import { repairGreedy } from "../src/structured/greedy-repair.ts";
import { SubgradientSolver, pairPrices, reducedScores } from "../src/structured/lagrangian-bound.ts";
import { ChainSearch } from "../src/structured/chain-search.ts";
import { PenaltySearch } from "../src/structured/penalty-search.ts";
import { buildPairTable, type PairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { prng, randomSmallPlan } from "./random-small-plan.ts";

function decode(plan: Plan, table: PairTable, choice: PairChoice) {
  const out: { customer: string; rep: string }[] = [];
  choice.forEach((k, c) => {
    if (k >= 0) out.push({ customer: plan.customers[c]?.id ?? "", rep: plan.reps[table.rep[k] ?? 0]?.id ?? "" });
  });
  return out;
}

describe("local search and repair", () => {
  it("never return a plan the independent verifier rejects, from Lagrangian and from random starts", () => {
    let feasibleSeen = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const plan = Plan.parse(randomSmallPlan(seed, 24, 5));
        const policy = resolvePolicy(plan.policy);
        const table = buildPairTable(plan, policy);
        const problem = buildAssignmentProblem(plan, table, policy);
        const rnd = prng(seed ^ 0x5bd1e995);
        const claimed: { choice: PairChoice; objective: number }[] = [];

        const solver = new SubgradientSolver(problem);
        for (let i = 0; i < 40; i++) solver.step(null);
        const guide = reducedScores(problem, pairPrices(problem, solver.bestMultipliers));
        const random = new Int32Array(problem.customerCount);
        for (let c = 0; c < problem.customerCount; c++) {
          const from = problem.customerStart[c] ?? 0;
          const to = problem.customerStart[c + 1] ?? 0;
          random[c] = to > from && rnd() < 0.9 ? from + Math.floor(rnd() * (to - from)) : -1;
        }
        for (const start of [solver.roundedAverage(), solver.choice, random]) {
          const repaired = repairGreedy(problem, start, guide);
          if (repaired.feasible) claimed.push({ choice: repaired.choice, objective: new AssignmentState(problem, repaired.choice).objective });
          const penalty = new PenaltySearch(problem, repaired.choice);
          penalty.setGuide(guide);
          penalty.run({ maxSweeps: 30 });
          if (penalty.best !== null) {
            claimed.push({ choice: penalty.best, objective: penalty.bestObjective });
            const chain = new ChainSearch(problem, penalty.best);
            chain.run({ maxSweeps: 30 });
            expect(chain.state.isFeasible()).toBe(true);
            expect(chain.state.objective).toBeGreaterThanOrEqual(penalty.bestObjective - 1e-9);
            claimed.push({ choice: chain.state.choice.slice(), objective: chain.state.objective });
          }
        }
        for (const { choice, objective } of claimed) {
          feasibleSeen++;
          const report = verifyAssignment(plan, decode(plan, table, choice));
          expect(report.violations).toEqual([]);
          expect(Math.abs(report.objective - objective)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(objective)));
        }
      }),
      { seed: 8128, numRuns: 150 },
    );
    expect(feasibleSeen).toBeGreaterThan(100);
  });

  it("an ejection chain finds the swap that single shifts cannot make", () => {
    // r1 and r2 take one account each. a is best with r2, b best with r1, but the start has them
    // the other way round; no single shift is feasible, the swap (a chain of two) gains 2 × 50.
    const plan = Plan.parse({
      customers: [
        { id: "a", value: 0 },
        { id: "b", value: 0 },
      ],
      reps: [
        { id: "r1", maxAccounts: 1 },
        { id: "r2", maxAccounts: 1 },
      ],
      pairs: [
        { customer: "a", rep: "r1", score: 50 },
        { customer: "a", rep: "r2", score: 100 },
        { customer: "b", rep: "r1", score: 100 },
        { customer: "b", rep: "r2", score: 50 },
      ],
      policy: { specialtyBonus: 0 },
    });
    const policy = resolvePolicy(plan.policy);
    const table = buildPairTable(plan, policy);
    const problem = buildAssignmentProblem(plan, table, policy);
    // Pairs: a–r1 = 0, a–r2 = 1, b–r1 = 2, b–r2 = 3. Start: a→r1, b→r2 (objective 100).
    const chain = new ChainSearch(problem, Int32Array.from([0, 3]));
    expect(chain.state.objective).toBe(100);
    chain.run();
    expect(Array.from(chain.state.choice)).toEqual([1, 2]);
    expect(chain.state.objective).toBe(200);
  });
});
