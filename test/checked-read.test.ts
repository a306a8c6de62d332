import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { buildAssignmentProblem, pairOf } from "../src/structured/assignment-problem.ts";
import { AssignmentState } from "../src/structured/assignment-state.ts";
import { ChainSearch } from "../src/structured/chain-search.ts";
import { indexAt } from "../src/structured/checked-read.ts";
import { solveMinCostFlow } from "../src/structured/network-simplex.ts";
import { PenaltySearch } from "../src/structured/penalty-search.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";

/** Two customers, two reps, every pair eligible: pairs a–r1 = 0, a–r2 = 1, b–r1 = 2, b–r2 = 3. */
function twoByTwo() {
  const plan = Plan.parse({
    customers: [
      { id: "a", value: 10 },
      { id: "b", value: 20 },
    ],
    reps: [
      { id: "r1", maxAccounts: 1 },
      { id: "r2", maxAccounts: 1 },
    ],
    pairs: [
      { customer: "a", rep: "r1", score: 5 },
      { customer: "a", rep: "r2", score: 7 },
      { customer: "b", rep: "r1", score: 9 },
      { customer: "b", rep: "r2", score: 3 },
    ],
    policy: { specialtyBonus: 0 },
  });
  const policy = resolvePolicy(plan.policy);
  return buildAssignmentProblem(plan, buildPairTable(plan, policy), policy);
}

describe("checked reads in the structured kernels", () => {
  it("read values in range, the -1 sentinel included, and throw outside", () => {
    const a = Int32Array.from([4, -1, 7]);
    expect([indexAt(a, 0), indexAt(a, 1), indexAt(a, 2)]).toEqual([4, -1, 7]);
    expect(() => indexAt(a, 3)).toThrow(RangeError);
    expect(() => indexAt(a, -1)).toThrow(RangeError);
  });

  it("a pair index past the pair table is an error, not rep 0", () => {
    const problem = twoByTwo();
    // In range: a on a–r2 (pair 1), b on b–r1 (pair 2).
    const state = new AssignmentState(problem, Int32Array.from([1, 2]));
    expect(Array.from(state.accounts)).toEqual([1, 1]);
    expect(state.objective).toBe(16);
    expect(() => new AssignmentState(problem, Int32Array.from([1, 4]))).toThrow(RangeError);
    expect(pairOf(problem, 1, 0)).toBe(2);
    expect(() => pairOf(problem, 2, 0)).toThrow(RangeError);
  });

  it("a start that misses customers is an error, not 'unassigned'", () => {
    const problem = twoByTwo();
    expect(() => new ChainSearch(problem, Int32Array.from([1]))).toThrow(RangeError);
    expect(() => new PenaltySearch(problem, Int32Array.from([1]))).toThrow(RangeError);
  });

  it("an arc to a node the network does not have stops the network simplex", () => {
    const net = {
      nodes: 2,
      supply: Float64Array.from([1, -1]),
      arcSource: Int32Array.from([0]),
      arcTarget: Int32Array.from([5]),
      arcCapacity: Float64Array.from([Infinity]),
      arcCost: Float64Array.from([-1]),
    };
    expect(() => solveMinCostFlow(net)).toThrow(RangeError);
  });
});
