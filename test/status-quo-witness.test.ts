import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { choiceColumns, formulate, satisfiesModel } from "../src/mip/formulation.ts";
import type { SolverBackend } from "../src/mip/mip-model.ts";
import { buildPairTable } from "../src/plan/pair-table.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { relativeGap } from "../src/numeric/tolerance.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { claimedBound } from "../src/solve/status-quo-witness.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";

/** A backend that claims the empty plan is optimal, as HiGHS did on a badly scaled model. */
function emptyClaim(name: "highs" | "jslp"): SolverBackend {
  return {
    name,
    version: async () => "empty-1",
    solve: async (model) => ({ status: "optimal", values: new Float64Array(model.numCols), objective: 0, bound: name === "highs" ? 0 : null, timeMs: 0 }),
  };
}

/** Three customers, two reps; the current book puts a on r1 and b on r2, c has no rep yet. */
function plan(policy: Plan["policy"], r1MaxAccounts?: number, bOnR1 = false): Plan {
  return Plan.parse({
    customers: [
      { id: "a", value: 5_000, currentRep: "r1" },
      { id: "b", value: 3_000, currentRep: bOnR1 ? "r1" : "r2" },
      { id: "c", value: 1_000 },
    ],
    reps: [{ id: "r1", ...(r1MaxAccounts === undefined ? {} : { maxAccounts: r1MaxAccounts }) }, { id: "r2" }],
    policy: { allowUnassigned: true, ...policy },
  });
}

describe("claimedBound", () => {
  it("is the proven bound, or what an optimal answer within mipGap allows, or nothing", () => {
    expect(claimedBound("optimal", 7, 5, 0.1)).toBe(7);
    expect(claimedBound("feasible", 7, 5, 0.1)).toBe(7);
    expect(claimedBound("optimal", null, 5, 0)).toBe(5);
    expect(claimedBound("optimal", null, 1_000_000, 1e-4)).toBeCloseTo(1_000_000 + 100 / (1 - 1e-4), 6);
    expect(claimedBound("optimal", null, 0.5, 0.5)).toBe(1.5);
    expect(claimedBound("feasible", null, 5, 0.1)).toBeNull();
    expect(claimedBound("optimal", null, 5, 1)).toBeNull();
  });

  it("covers every bound an answer within mipGap of it can have", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), fc.double({ min: 0, max: 1e12, noNaN: true }), (objective, above) => {
        const bound = objective + above;
        const gap = relativeGap(bound, objective);
        fc.pre(gap < 0.99);
        const claimed = claimedBound("optimal", null, objective, gap);
        expect(claimed).not.toBeNull();
        expect(bound).toBeLessThanOrEqual((claimed ?? -Infinity) + 1e-12 * Math.max(1, Math.abs(bound)));
      }),
    );
  });
});

describe("a false optimality claim against the current book", () => {
  for (const name of ["highs", "jslp"] as const) {
    it(`is caught when the current book is feasible and worth more (${name} claims the empty plan)`, async () => {
      const p = plan({ solver: name });
      const { solution } = await solvePlan(p, { backends: { [name]: emptyClaim(name) } });
      const book = verifyAssignment(p, [
        { customer: "a", rep: "r1" },
        { customer: "b", rep: "r2" },
      ]);
      expect(book.passed).toBe(true);
      expect(solution.status).toBe("feasible");
      expect(solution.bound).toBeNull();
      expect(solution.verification.passed).toBe(true);
      expect(solution.assignments.map((a) => `${a.customer}>${a.rep}`)).toEqual(["a>r1", "b>r2"]);
      expect(solution.objective).toBe(book.objective);
      expect(solution.diagnosis?.causes.map((c) => c.kind)).toEqual(["solver"]);
    });
  }

  it("is not caught when the current book breaks a constraint: the guard needs a feasible book", async () => {
    const p = plan({ solver: "highs" }, 1, true);
    const { solution } = await solvePlan(p, { backends: { highs: emptyClaim("highs") } });
    expect(solution.status).toBe("optimal");
    expect(solution.assignments).toHaveLength(0);
    expect(solution.diagnosis).toBeUndefined();
  });

  it("is not caught when the book passes the verifier only by its tolerance, outside the solver's rows", async () => {
    // a's workload passes r1's limit by 5e-7 of it: inside the verifier's 1e-6, outside the MIP's 1e-9 slack.
    const over = (workload: number) =>
      Plan.parse({
        customers: [{ id: "a", value: 5_000, workload, currentRep: "r1" }],
        reps: [{ id: "r1", maxWorkload: 1_000_000 }],
        policy: { allowUnassigned: true, solver: "highs" },
      });
    expect(verifyAssignment(over(1_000_000.5), [{ customer: "a", rep: "r1" }]).passed).toBe(true);
    const outside = (await solvePlan(over(1_000_000.5), { backends: { highs: emptyClaim("highs") } })).solution;
    expect(outside.status).toBe("optimal");
    expect(outside.assignments).toHaveLength(0);
    const onTheLimit = (await solvePlan(over(1_000_000), { backends: { highs: emptyClaim("highs") } })).solution;
    expect(onTheLimit.status).toBe("feasible");
    expect(onTheLimit.assignments).toHaveLength(1);
  });

  it("never fires on an honest answer, even when the current book is itself optimal", async () => {
    // Without limits every customer is worth taking: the book (a, b) is below the optimum (a, b, c).
    const open = (await solvePlan(plan({ solver: "highs" }), { mipGap: 0 })).solution;
    expect(open.status).toBe("optimal");
    expect(open.assignments).toHaveLength(3);
    expect(open.diagnosis).toBeUndefined();
    // With one account each and b worth less than a on either rep, the book is the optimum itself.
    const tight = Plan.parse({ ...plan({ solver: "highs" }), reps: [{ id: "r1", maxAccounts: 1 }, { id: "r2", maxAccounts: 1 }] });
    const { solution } = await solvePlan(tight, { mipGap: 0 });
    expect(solution.status).toBe("optimal");
    expect(solution.diagnosis).toBeUndefined();
    expect(solution.objective).toBe(verifyAssignment(tight, [{ customer: "a", rep: "r1" }, { customer: "b", rep: "r2" }]).objective);
  });
});

describe("choiceColumns and satisfiesModel", () => {
  it("set the assigned-total column from its row and judge the share band with it", () => {
    const p = Plan.parse({
      customers: [
        { id: "w1", value: 900, territory: "west" },
        { id: "w2", value: 900, territory: "west" },
        { id: "e1", value: 1_000, territory: "east" },
        { id: "e2", value: 1_000, territory: "east" },
      ],
      reps: [
        { id: "r1", territories: ["west"] },
        { id: "r2", territories: ["east"] },
        { id: "r3", territories: ["east"] },
      ],
      policy: { fairness: { valueBand: 0.2 }, allowUnassigned: true },
    });
    const policy = resolvePolicy(p.policy);
    const table = buildPairTable(p, policy);
    const model = formulate(p, table, policy);
    // Pairs by customer, then rep: w1-r1, w2-r1, e1-r2, e1-r3, e2-r2, e2-r3; the total is the last column.
    const x = choiceColumns(model, [0, 2, 5]);
    expect(x[model.numCols - 1]).toBe((900 + 1_000 + 1_000) / 512);
    expect(satisfiesModel(model, x)).toBe(true);
    // Both west customers: r1 has 1800 of 3800, above 1.2 × 3800 / 3 ≈ 1520.
    expect(satisfiesModel(model, choiceColumns(model, [0, 1, 2, 5]))).toBe(false);
    // Nobody: every band holds at a total of 0.
    expect(satisfiesModel(model, choiceColumns(model, []))).toBe(true);
    // Two pairs of one customer break its assignment row.
    expect(satisfiesModel(model, choiceColumns(model, [2, 3]))).toBe(false);
  });
});
