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

  it("leaves no improving shift or swap that keeps every row (oracle: each one tried on the plan)", () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const plan = Plan.parse(randomSmallPlan(seed, 16, 4));
        const policy = resolvePolicy(plan.policy);
        const problem = buildAssignmentProblem(plan, buildPairTable(plan, policy), policy);
        const solver = new SubgradientSolver(problem);
        for (let i = 0; i < 40; i++) solver.step(null);
        const guide = reducedScores(problem, pairPrices(problem, solver.bestMultipliers));
        const penalty = new PenaltySearch(problem, repairGreedy(problem, solver.roundedAverage(), guide).choice);
        penalty.run({ maxSweeps: 30 });
        if (penalty.best === null) return;
        const chain = new ChainSearch(problem, penalty.best);
        chain.run();
        checked++;
        const state = new AssignmentState(problem, chain.state.choice);
        const objective = state.objective;
        const slack = 1e-6 * Math.max(1, Math.abs(objective));
        const improves = (): boolean => state.objective > objective + slack && state.isFeasible();
        const pairsOf = (c: number): number[] => Array.from({ length: (problem.customerStart[c + 1] ?? 0) - (problem.customerStart[c] ?? 0) }, (_, i) => (problem.customerStart[c] ?? 0) + i);
        const repOf = (k: number): number => (k < 0 ? -1 : (problem.pairRep[k] ?? -1));
        const C = problem.customerCount;
        for (let c1 = 0; c1 < C; c1++) {
          const o1 = state.choice[c1] ?? -1;
          for (const k1 of pairsOf(c1)) {
            if (k1 === o1) continue;
            state.move(c1, k1);
            expect(improves(), `shift of customer ${c1} to pair ${k1}`).toBe(false);
            state.move(c1, o1);
            for (let c2 = 0; c2 < C; c2++) {
              const o2 = state.choice[c2] ?? -1;
              if (c2 === c1 || o1 < 0 || o2 < 0 || repOf(o2) !== repOf(k1)) continue;
              const k2 = pairsOf(c2).find((k) => repOf(k) === repOf(o1));
              if (k2 === undefined) continue;
              state.move(c2, k2);
              state.move(c1, k1);
              expect(improves(), `swap of customers ${c1} and ${c2}`).toBe(false);
              state.move(c1, o1);
              state.move(c2, o2);
            }
          }
        }
      }),
      { seed: 4099, numRuns: 300 },
    );
    expect(checked).toBeGreaterThan(100);
  });

  it("ends where no swap gains on books whose reps are all full (only chains can move anyone)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (reps, perRep, seed) => {
        const rnd = prng(seed);
        const customers = reps * perRep;
        const plan = Plan.parse({
          customers: Array.from({ length: customers }, (_, c) => ({ id: `c${c}`, value: 0 })),
          reps: Array.from({ length: reps }, (_, r) => ({ id: `r${r}`, maxAccounts: perRep })),
          pairs: Array.from({ length: customers * reps }, (_, i) => ({ customer: `c${Math.floor(i / reps)}`, rep: `r${i % reps}`, score: Math.floor(rnd() * 100) })),
          policy: { specialtyBonus: 0 },
        });
        const policy = resolvePolicy(plan.policy);
        const problem = buildAssignmentProblem(plan, buildPairTable(plan, policy), policy);
        // Start: customer c with rep c mod reps (every rep full).
        const start = Int32Array.from({ length: customers }, (_, c) => (problem.customerStart[c] ?? 0) + (c % reps));
        const chain = new ChainSearch(problem, start);
        chain.run();
        const state = new AssignmentState(problem, chain.state.choice);
        expect(state.isFeasible()).toBe(true);
        const score = (c: number, r: number): number => problem.pairScore[(problem.customerStart[c] ?? 0) + r] ?? 0;
        const repOf = (c: number): number => (state.choice[c] ?? 0) - (problem.customerStart[c] ?? 0);
        for (let c1 = 0; c1 < customers; c1++) {
          for (let c2 = c1 + 1; c2 < customers; c2++) {
            const r1 = repOf(c1);
            const r2 = repOf(c2);
            if (r1 === r2) continue;
            expect(score(c1, r2) + score(c2, r1), `swap of c${c1} and c${c2}`).toBeLessThanOrEqual(score(c1, r1) + score(c2, r2));
          }
        }
      }),
      { seed: 77, numRuns: 300 },
    );
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
