import request from "supertest";
import { describe, expect, it } from "vitest";
import { Plan, PlanVersion, PlanVersionDiff } from "../models/index.ts";
import { diffPlanVersions, diffSideFromSolution } from "../src/what-if/plan-diff.ts";
import { PLAN_A, PLAN_B, plansService, solved } from "./plans-fixtures.ts";

const ref = (id: string) => ({ id, version: 1, label: id, status: "optimal" as const });

describe("diff of two solved plans (hand-built pair)", () => {
  it("lists the customers moved, added and removed, the per-rep changes and the expected-value delta", async () => {
    const [a, b] = await Promise.all([solved(PLAN_A), solved(PLAN_B)]);
    expect([a.objective, b.objective]).toEqual([34, 29]);
    const diff = diffPlanVersions(diffSideFromSolution(ref("A"), a), diffSideFromSolution(ref("B"), b));

    expect(diff.objective).toEqual({ from: 34, to: 29, delta: -5 });
    expect(diff.expectedValue).toEqual({ from: 34, to: 29, delta: -5 });
    expect(diff.assignedValue).toEqual({ from: 1000, to: 1100, delta: 100 });
    expect(diff.customers).toEqual({ moved: 1, unchanged: 2, added: 1, removed: 1 });
    expect(diff.moves).toEqual([{ customer: "c2", from: "r1", to: "r3", expectedValueFrom: 9, expectedValueTo: 6, delta: -3 }]);
    expect(diff.added).toEqual([{ customer: "c5", rep: "r3", expectedValue: 5 }]);
    expect(diff.removed).toEqual([{ customer: "c4", rep: "r2", expectedValue: 7 }]);
    // r1: {c1, c2} → {c1}; r2: {c3, c4} → {c3}; r3 is new: {c2, c5}.
    expect(diff.reps).toEqual([
      {
        rep: "r1",
        inFrom: true,
        inTo: true,
        accounts: { from: 2, to: 1, delta: -1 },
        workload: { from: 2, to: 1, delta: -1 },
        value: { from: 300, to: 100, delta: -200 },
        expectedValue: { from: 19, to: 10, delta: -9 },
        gained: 0,
        lost: 1,
      },
      {
        rep: "r2",
        inFrom: true,
        inTo: true,
        accounts: { from: 2, to: 1, delta: -1 },
        workload: { from: 2, to: 1, delta: -1 },
        value: { from: 700, to: 300, delta: -400 },
        expectedValue: { from: 15, to: 8, delta: -7 },
        gained: 0,
        lost: 1,
      },
      {
        rep: "r3",
        inFrom: false,
        inTo: true,
        accounts: { from: 0, to: 2, delta: 2 },
        workload: { from: 0, to: 2, delta: 2 },
        value: { from: 0, to: 700, delta: 700 },
        expectedValue: { from: 0, to: 11, delta: 11 },
        gained: 2,
        lost: 0,
      },
    ]);
    // The expected-value delta is the sum of the per-customer changes (moves, additions, removals).
    const perCustomer = diff.moves.reduce((s, m) => s + m.delta, 0) + diff.added.reduce((s, c) => s + (c.expectedValue ?? 0), 0) - diff.removed.reduce((s, c) => s + (c.expectedValue ?? 0), 0);
    expect(perCustomer).toBe(diff.expectedValue.delta);
    expect(PlanVersionDiff.safeParse(diff).success).toBe(true);

    // The reverse diff mirrors it.
    const back = diffPlanVersions(diffSideFromSolution(ref("B"), b), diffSideFromSolution(ref("A"), a));
    expect(back.expectedValue.delta).toBe(5);
    expect(back.moves).toEqual([{ customer: "c2", from: "r3", to: "r1", expectedValueFrom: 6, expectedValueTo: 9, delta: 3 }]);
    expect(back.reps.map((r) => [r.rep, r.inFrom, r.inTo, r.accounts.delta])).toEqual([
      ["r1", true, true, 1],
      ["r2", true, true, 1],
      ["r3", true, false, -2],
    ]);
  });

  it("counts a customer left unassigned as moved to null", async () => {
    // PLAN_A with one seat less at r2 and unassignment allowed: c4 (the lower of c3 and c4 at r2) is left out.
    const c = Plan.parse({ ...PLAN_A, reps: [{ id: "r1", maxAccounts: 2 }, { id: "r2", maxAccounts: 1 }], policy: { allowUnassigned: true } });
    const [a, tight] = await Promise.all([solved(PLAN_A), solved(c)]);
    const diff = diffPlanVersions(diffSideFromSolution(ref("A"), a), diffSideFromSolution(ref("C"), tight));
    expect(diff.moves).toEqual([{ customer: "c4", from: "r2", to: null, expectedValueFrom: 7, expectedValueTo: null, delta: -7 }]);
    expect(diff.unassigned).toEqual({ from: 0, to: 1, delta: 1 });
    expect(diff.customers).toEqual({ moved: 1, unchanged: 3, added: 0, removed: 0 });
  });

  it("is served by GET /v1/plans/{id}/diff/{otherId} for saved versions", async () => {
    const { app } = plansService();
    const save = async (label: string, plan: Plan) => {
      const res = await request(app).post("/v1/plans").send({ label, plan });
      expect(res.status).toBe(200);
      return PlanVersion.parse(res.body);
    };
    const a = await save("2027-Q1", PLAN_A);
    const b = await save("2027-Q2", PLAN_B);
    const res = await request(app).get(`/v1/plans/${a.id}/diff/${b.id}`);
    expect(res.status).toBe(200);
    const diff = PlanVersionDiff.parse(res.body);
    expect(diff.from).toEqual({ id: a.id, version: a.version, label: "2027-Q1", status: "optimal" });
    expect(diff.to).toEqual({ id: b.id, version: b.version, label: "2027-Q2", status: "optimal" });
    expect(diff.expectedValue.delta).toBe(-5);
    expect(diff.moves.map((m) => [m.customer, m.from, m.to])).toEqual([["c2", "r1", "r3"]]);
    expect(diff.added.map((m) => m.customer)).toEqual(["c5"]);
    expect(diff.removed.map((m) => m.customer)).toEqual(["c4"]);

    const missing = await request(app).get(`/v1/plans/${a.id}/diff/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body.type).toBe("/docs#problem-plan-not-found");
    expect(missing.body.detail).toContain('"nope"');
  });
});
