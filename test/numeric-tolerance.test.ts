import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import {
  allowance,
  atLeast,
  atMost,
  FIT_TOLERANCE,
  fitAllowance,
  nearlyEqual,
  relativeGap,
  SOLVER_ANSWER_TOLERANCE,
  SOLVER_SLACK,
  solverSlack,
} from "../src/numeric/tolerance.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { findInfeasibilityCauses } from "../src/solve/infeasibility-diagnosis.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { buildAssignmentProblem } from "../src/structured/assignment-problem.ts";
import { AssignmentState } from "../src/structured/assignment-state.ts";
import { solveComponent } from "../src/structured/component-solver.ts";
import { verifyAssignment, type AssignmentPair } from "../src/verify/verify-assignment.ts";

describe("relative tolerances and their comparisons", () => {
  it("scale with the reference, with an absolute floor of the tolerance itself below 1", () => {
    expect(allowance(0, 1e-6)).toBe(1e-6);
    expect(allowance(0.5, 1e-6)).toBe(1e-6);
    expect(allowance(-5e6, 1e-6)).toBe(5);
    expect(allowance(1e12, 1e-9)).toBeCloseTo(1000, 9);
    expect(fitAllowance(2e12)).toBe(2e12 * FIT_TOLERANCE);
    expect(solverSlack(2e12)).toBe(2e12 * SOLVER_SLACK);
  });

  it("an absolute 1e-9 is no tolerance at all near 10^12", () => {
    expect(1e12 + 1e-9).toBe(1e12);
    expect(atMost(1e12 + 1e6, 1e12)).toBe(true);
    expect(atMost(1e12 + 1.01e6, 1e12)).toBe(false);
    expect(atLeast(1e12 - 1e6, 1e12)).toBe(true);
    expect(atLeast(1e12 - 1.01e6, 1e12)).toBe(false);
  });

  it("hand-computed cases at small bounds, zero and infinity", () => {
    expect(atMost(1.0000009, 1)).toBe(true);
    expect(atMost(1.0000011, 1)).toBe(false);
    expect(atMost(1e-6, 0)).toBe(true);
    expect(atMost(2e-6, 0)).toBe(false);
    expect(atLeast(-1e-6, 0)).toBe(true);
    expect(atLeast(-2e-6, 0)).toBe(false);
    expect(atMost(1e300, Infinity)).toBe(true);
    expect(atLeast(-1e300, -Infinity)).toBe(true);
    expect(atMost(1e12 + 999, 1e12, SOLVER_SLACK)).toBe(true);
    expect(atMost(1e12 + 1001, 1e12, SOLVER_SLACK)).toBe(false);
  });

  it("a bound fits itself, half an allowance past it fits, two allowances past it do not", () => {
    const bound = fc.double({ min: -1e15, max: 1e15, noNaN: true });
    const tolerance = fc.constantFrom(FIT_TOLERANCE, SOLVER_SLACK, SOLVER_ANSWER_TOLERANCE);
    fc.assert(
      fc.property(bound, tolerance, (b, t) => {
        const a = allowance(b, t);
        expect(atMost(b, b, t) && atLeast(b, b, t)).toBe(true);
        expect(atMost(b + a / 2, b, t) && atLeast(b - a / 2, b, t)).toBe(true);
        expect(atMost(b + 2 * a, b, t) || atLeast(b - 2 * a, b, t)).toBe(false);
      }),
    );
  });

  it("what the solvers' slack accepts, the verifier's tolerance accepts", () => {
    const big = fc.double({ min: -1e13, max: 1e13, noNaN: true });
    fc.assert(
      fc.property(big, big, (x, b) => {
        if (atMost(x, b, SOLVER_SLACK)) expect(atMost(x, b, FIT_TOLERANCE)).toBe(true);
        if (atLeast(x, b, SOLVER_SLACK)) expect(atLeast(x, b, FIT_TOLERANCE)).toBe(true);
        if (atMost(x, b, SOLVER_ANSWER_TOLERANCE)) expect(atMost(x, b, FIT_TOLERANCE)).toBe(true);
      }),
    );
  });

  it("nearlyEqual is symmetric and relative to the larger magnitude", () => {
    expect(nearlyEqual(1e12, 1e12 + 999, 1e-9)).toBe(true);
    expect(nearlyEqual(1e12 + 1001, 1e12, 1e-9)).toBe(false);
    expect(nearlyEqual(0, 1e-10, 1e-9)).toBe(true);
    expect(nearlyEqual(0, 2e-9, 1e-9)).toBe(false);
    const any = fc.double({ min: -1e15, max: 1e15, noNaN: true });
    fc.assert(fc.property(any, any, (a, b) => nearlyEqual(a, b, 1e-9) === nearlyEqual(b, a, 1e-9)));
  });

  it("relativeGap divides by the bound, at least 1", () => {
    expect(relativeGap(100, 99)).toBeCloseTo(0.01, 15);
    expect(relativeGap(0.5, 0.25)).toBe(0.25);
    expect(relativeGap(-200, -202)).toBeCloseTo(0.01, 15);
    expect(relativeGap(7, 7)).toBe(0);
  });
});

/**
 * Three equal reps and a value band of ±10%: rep r1 may only take the west customers, worth
 * together exactly (1 − 0.1) × ⅓ of the total — the band's lower edge — so the plan has one
 * feasible assignment up to swapping e1 and e2. The values are cents near 10^12; computed in
 * doubles, the band edge lands 1.2e-4 above what the west customers add up to.
 */
const WEST = [32095284525.37, 1028782074388.01] as const;
const EAST = 1237690252065.61;
const lowerEdgePlan = (short = 0) =>
  Plan.parse({
    customers: [
      { id: "w1", value: WEST[0], territory: "west" },
      { id: "w2", value: WEST[1] - short, territory: "west" },
      { id: "e1", value: EAST, territory: "east" },
      { id: "e2", value: EAST, territory: "east" },
    ],
    reps: [
      { id: "r1", territories: ["west"] },
      { id: "r2", territories: ["east"] },
      { id: "r3", territories: ["east"] },
    ],
    policy: { fairness: { valueBand: 0.1 } },
  });
const lowerEdgeAssignment: AssignmentPair[] = [
  { customer: "w1", rep: "r1" },
  { customer: "w2", rep: "r1" },
  { customer: "e1", rep: "r2" },
  { customer: "e2", rep: "r3" },
];

/**
 * A ±5% band and a customer locked to r1 worth exactly (1 + 0.05) × ⅓ of the total — the band's
 * upper edge; in doubles the edge lands 1.2e-4 below the locked value.
 */
const HIGH = 1_050_000_000_735;
const REST = 974_999_999_632.5;
const upperEdgePlan = (over = 0) =>
  Plan.parse({
    customers: [
      { id: "big", value: HIGH + over },
      { id: "x", value: REST },
      { id: "y", value: REST },
    ],
    reps: [{ id: "r1" }, { id: "r2" }, { id: "r3" }],
    policy: { fairness: { valueBand: 0.05 }, locks: [{ customer: "big", rep: "r1" }] },
  });

/** One rep whose maxWorkload is the customers' workload written out; in doubles their sum is 1e-3 more. */
const WORKLOADS = [1e12 + 0.3, 2e12 + 0.6, 3e12 + 0.9] as const;
const DEMAND = 6000000000001.8;
const capacityEdgePlan = (less = 0) =>
  Plan.parse({
    customers: WORKLOADS.map((workload, k) => ({ id: `c${k}`, value: 10 + k, workload })),
    reps: [{ id: "r1", maxWorkload: DEMAND - less }],
  });

const causesOf = (plan: Plan) => {
  const policy = resolvePolicy(plan.policy);
  return findInfeasibilityCauses(plan, buildPairTable(plan, policy), policy);
};

describe("a plan exactly on a bound, with totals near 10^12", () => {
  it("the fixtures are on their edges only up to rounding (an absolute 1e-9 presolve refused them)", () => {
    const total = WEST[0] + WEST[1] + EAST + EAST;
    expect(WEST[0] + WEST[1]).toBeLessThan((1 - 0.1) * (1 / 3) * total);
    expect(HIGH).toBeGreaterThan((1 + 0.05) * (1 / 3) * (HIGH + REST + REST));
    expect(WORKLOADS[0] + WORKLOADS[1] + WORKLOADS[2]).toBeGreaterThan(DEMAND);
  });

  for (const solver of ["highs", "jslp"] as const) {
    it(`on the value band's lower edge is solved and verified (${solver})`, async () => {
      const { solution } = await solvePlan(lowerEdgePlan(), { solver, timeLimitMs: 20_000 });
      expect(["optimal", "feasible"]).toContain(solution.status);
      expect(solution.verification.passed).toBe(true);
      expect(solution.assignments.filter((a) => a.rep === "r1").map((a) => a.customer).sort()).toEqual(["w1", "w2"]);
      expect(solution.reps.find((r) => r.id === "r1")?.value).toBe(WEST[0] + WEST[1]);
    });

    it(`on the value band's upper edge (a lock) is solved and verified (${solver})`, async () => {
      const { solution } = await solvePlan(upperEdgePlan(), { solver, timeLimitMs: 20_000 });
      expect(["optimal", "feasible"]).toContain(solution.status);
      expect(solution.verification.passed).toBe(true);
      expect(solution.assignments.map((a) => a.rep).sort()).toEqual(["r1", "r2", "r3"]);
    });

    it(`on a rep's maxWorkload, equal to the demand, is solved and verified (${solver})`, async () => {
      const { solution } = await solvePlan(capacityEdgePlan(), { solver, timeLimitMs: 20_000 });
      expect(["optimal", "feasible"]).toContain(solution.status);
      expect(solution.verification.passed).toBe(true);
      expect(solution.assignments).toHaveLength(3);
    });
  }

  it("the structured path finds the band-edge plan and its own checks accept it", async () => {
    const plan = lowerEdgePlan();
    const policy = resolvePolicy(plan.policy);
    const table = buildPairTable(plan, policy);
    const problem = buildAssignmentProblem(plan, table, policy);
    const pairOf = (customer: string, rep: string) => {
      const c = plan.customers.findIndex((x) => x.id === customer);
      const r = plan.reps.findIndex((x) => x.id === rep);
      return (table.byCustomer[c] ?? []).find((k) => table.rep[k] === r) ?? -1;
    };
    const edge = Int32Array.from(lowerEdgeAssignment, (a) => pairOf(a.customer, a.rep));
    expect(new AssignmentState(problem, edge).isFeasible()).toBe(true);

    const result = await solveComponent(problem, { deadline: performance.now() + 10_000, mipGap: 1e-4, budgetMs: 10_000 });
    expect(result.status).toBe("optimal");
    const found = [...(result.choice ?? [])].map((k, c) => ({ customer: plan.customers[c]?.id ?? "", rep: plan.reps[table.rep[k] ?? -1]?.id ?? "" }));
    expect(verifyAssignment(plan, found).passed).toBe(true);
  });
});

describe("a plan outside a bound by more than the tolerance is refused before solving", () => {
  it("below the value band: a fairness cause naming the rep", async () => {
    // 5e6 less in w2 leaves r1 3.5e6 short of its lower edge, over 3 × its allowance of 1.06e6.
    const { solution } = await solvePlan(lowerEdgePlan(5e6), { timeLimitMs: 20_000 });
    expect(solution.status).toBe("infeasible");
    expect(solution.solver.backend).toBe("presolve");
    const cause = solution.diagnosis?.causes.find((c) => c.kind === "fairness");
    expect(cause?.reps).toEqual(["r1"]);
    expect(cause?.message).toMatch(/must receive at least .* of value/);
  });

  it("above the value band: a lock cause on the band maximum", async () => {
    const { solution } = await solvePlan(upperEdgePlan(5e6), { timeLimitMs: 20_000 });
    expect(solution.status).toBe("infeasible");
    expect(solution.solver.backend).toBe("presolve");
    const cause = solution.diagnosis?.causes.find((c) => c.kind === "fairness");
    expect(cause?.reps).toEqual(["r1"]);
    expect(cause?.message).toMatch(/above its value band maximum/);
  });

  it("over the capacity: a capacity cause", async () => {
    // maxWorkload 1.2e7 below the demand of 6e12: twice its allowance of 6e6.
    const { solution } = await solvePlan(capacityEdgePlan(1.2e7), { timeLimitMs: 20_000 });
    expect(solution.status).toBe("infeasible");
    expect(solution.solver.backend).toBe("presolve");
    expect(solution.diagnosis?.causes.map((c) => c.kind)).toContain("capacity");
  });
});

describe("presolve refuses exactly what the verifier would reject", () => {
  it("for a value band missed by 0 to 3 allowances", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000_000 }), (short) => {
        const plan = lowerEdgePlan(short);
        const refused = causesOf(plan).length > 0;
        expect(refused).toBe(!verifyAssignment(plan, lowerEdgeAssignment).passed);
      }),
      { numRuns: 200 },
    );
  });

  it("for a capacity missed by 0 to 3 allowances", () => {
    const everything: AssignmentPair[] = WORKLOADS.map((_, k) => ({ customer: `c${k}`, rep: "r1" }));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 18_000_000 }), (less) => {
        const plan = capacityEdgePlan(less);
        const refused = causesOf(plan).length > 0;
        expect(refused).toBe(!verifyAssignment(plan, everything).passed);
      }),
      { numRuns: 200 },
    );
  });
});
