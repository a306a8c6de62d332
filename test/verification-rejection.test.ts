import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import type { MipModel, SolverBackend } from "../src/mip/mip-model.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";

/** A backend that claims "optimal" for the all-ones vector: every customer on every rep at once. */
const liar: SolverBackend = {
  name: "highs",
  version: async () => "liar-1",
  solve: async (model: MipModel) => {
    const values = new Float64Array(model.numCols).fill(1);
    const objective = model.colCost.reduce((s, c) => s + c, 0);
    return { status: "optimal", values, objective, bound: objective, timeMs: 0 };
  },
};

/** A backend whose answer ignores capacity: everyone with the first eligible rep. */
const overfiller: SolverBackend = {
  name: "highs",
  version: async () => "overfill-1",
  solve: async (model: MipModel) => {
    const values = new Float64Array(model.numCols);
    for (const row of model.rows) if (row.kind === "assign" && row.indices[0] !== undefined) values[row.indices[0]] = 1;
    let objective = 0;
    values.forEach((v, k) => (objective += v * (model.colCost[k] ?? 0)));
    return { status: "optimal", values, objective, bound: objective, timeMs: 0 };
  },
};

/** A backend that stops at its time limit without having found a plan (as HiGHS does on a hard model). */
const outOfTime: SolverBackend = {
  name: "jslp",
  version: async () => "slow-1",
  solve: async () => ({ status: "timeout", values: null, objective: null, bound: null, timeMs: 0, message: "stopped at the time limit" }),
};

/** A backend that fails outright. */
const broken: SolverBackend = {
  name: "highs",
  version: async () => "broken-1",
  solve: async () => ({ status: "error", values: null, objective: null, bound: null, timeMs: 0, message: "could not load HiGHS: out of memory" }),
};

const plan = Plan.parse({
  customers: ["a", "b", "c"].map((id, i) => ({ id, value: 10 + i })),
  reps: [
    { id: "r1", maxAccounts: 1 },
    { id: "r2", maxAccounts: 2 },
  ],
});

describe("a solver's answer is never trusted", () => {
  it("rejects an 'optimal' answer that assigns customers twice and breaks capacity", async () => {
    const { solution } = await solvePlan(plan, { solver: "highs", backends: { highs: liar } });
    expect(solution.status).toBe("timeout");
    expect(solution.assignments).toEqual([]);
    expect(solution.verification.passed).toBe(false);
    expect(solution.verification.state).toBe("failed");
    expect(solution.verification.objective).toBeNull();
    const kinds = solution.verification.rejected[0]?.violations.map((v) => v.kind) ?? [];
    expect(kinds).toEqual(expect.arrayContaining(["duplicate", "max-accounts"]));
    expect(solution.diagnosis?.causes.map((c) => c.kind)).toEqual(["verification"]);
    expect(solution.diagnosis?.summary).toMatch(/^Every plan found \(1\) failed independent verification/);
  });

  it("falls back to the next backend and reports the rejected answer", async () => {
    const { solution } = await solvePlan(plan, { solver: "auto", backends: { highs: overfiller } });
    expect(solution.status).toBe("optimal");
    expect(solution.solver.backend).toBe("jslp");
    expect(solution.verification.passed).toBe(true);
    expect(solution.verification.state).toBe("passed");
    expect(solution.verification.rejected).toHaveLength(1);
    expect(solution.verification.rejected[0]?.violations[0]?.kind).toBe("max-accounts");
    expect(solution.objective).toBeCloseTo(33, 9);
  });
});

describe("a timeout says why no plan came back", () => {
  it("the time limit was reached before any plan was found: nothing verified", async () => {
    const { solution } = await solvePlan(plan, { solver: "jslp", backends: { jslp: outOfTime, highs: outOfTime } });
    expect(solution.status).toBe("timeout");
    expect(solution.assignments).toEqual([]);
    expect(solution.verification).toEqual({ passed: false, state: "not-run", objective: null, rejected: [] });
    expect(solution.diagnosis?.summary).toBe(`The ${solution.solver.timeLimitMs} ms time limit was reached before any plan was found.`);
    expect(solution.diagnosis?.causes).toEqual([{ kind: "time-limit", message: "stopped at the time limit" }]);
  });

  it("every plan found failed verification, even when the next solver then ran out of time", async () => {
    const { solution } = await solvePlan(plan, { solver: "auto", backends: { highs: liar, jslp: outOfTime } });
    expect(solution.status).toBe("timeout");
    expect(solution.verification.passed).toBe(false);
    expect(solution.verification.state).toBe("failed");
    expect(solution.verification.rejected.map((r) => r.backend)).toEqual(["highs"]);
    expect(solution.diagnosis?.causes.map((c) => c.kind)).toEqual(["verification"]);
    expect(solution.diagnosis?.causes[0]?.message).toMatch(/^highs: \d+ violation\(s\), first: /);
  });

  it("a solver error is neither: it is named as the solver's failure", async () => {
    const { solution } = await solvePlan(plan, { solver: "highs", backends: { highs: broken } });
    expect(solution.status).toBe("timeout");
    expect(solution.verification).toEqual({ passed: false, state: "not-run", objective: null, rejected: [] });
    expect(solution.diagnosis?.summary).toBe("The solver failed before it found a plan.");
    expect(solution.diagnosis?.causes).toEqual([{ kind: "solver", message: "could not load HiGHS: out of memory" }]);
  });

  it("an infeasible plan was not verified either: passed is false, state not-run", async () => {
    const full = Plan.parse({ customers: plan.customers, reps: [{ id: "r1", maxAccounts: 1 }] });
    const { solution } = await solvePlan(full, { solver: "highs" });
    expect(solution.status).toBe("infeasible");
    expect(solution.verification).toEqual({ passed: false, state: "not-run", objective: null, rejected: [] });
  });
});
