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
    const kinds = solution.verification.rejected[0]?.violations.map((v) => v.kind) ?? [];
    expect(kinds).toEqual(expect.arrayContaining(["duplicate", "max-accounts"]));
    expect(solution.diagnosis?.causes[0]?.kind).toBe("verification");
  });

  it("falls back to the next backend and reports the rejected answer", async () => {
    const { solution } = await solvePlan(plan, { solver: "auto", backends: { highs: overfiller } });
    expect(solution.status).toBe("optimal");
    expect(solution.solver.backend).toBe("jslp");
    expect(solution.verification.passed).toBe(true);
    expect(solution.verification.rejected).toHaveLength(1);
    expect(solution.verification.rejected[0]?.violations[0]?.kind).toBe("max-accounts");
    expect(solution.objective).toBeCloseTo(33, 9);
  });
});
