import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { PlanExpressionError } from "../src/expressions/plan-expression-error.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { solveReassignment } from "../src/what-if/reassignment.ts";
import { startService, type TestService } from "./api-test-service.ts";

/**
 * c1's rep "gone" has left (unavailable), so the solver never scores (c1, gone); only the move
 * report does, for c1's value change. The score divides by the rep's seniority, which is 0 for
 * "gone" alone: the expression fails on that old pair and nowhere else.
 */
const leftRepPlan = Plan.parse({
  customers: [
    { id: "c1", value: 100, currentRep: "gone" },
    { id: "c2", value: 50, currentRep: "stay" },
  ],
  reps: [
    { id: "gone", seniority: 0, available: false },
    { id: "stay", seniority: 2, maxAccounts: 2 },
  ],
  policy: { score: "value / rep.seniority", mipGap: 0, timeLimitMs: 20_000 },
});

describe("reassignment surfaces errors instead of swallowing them", () => {
  it("a score that fails on a customer's old pair is the plan's expression error, naming the pair", async () => {
    // Premise: the plan itself solves (every pair the solver scores is fine): 100/2 + 50/2 = 75.
    const plain = (await solvePlan(leftRepPlan)).solution;
    expect(plain.status).toBe("optimal");
    expect(plain.objective).toBeCloseTo(75, 9);

    const failure = await solveReassignment(leftRepPlan).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PlanExpressionError);
    const [error] = (failure as PlanExpressionError).errors;
    expect(error?.path).toBe("policy.score");
    expect(error?.message).toMatch(/not a finite number, for customer "c1" and rep "gone"/);
  });

  it("an old pair that the plan's `pairs` do not list has no value change (null), and nothing fails", async () => {
    const plan = Plan.parse({
      customers: [{ id: "c1", value: 100, currentRep: "old" }],
      reps: [{ id: "old", available: false }, { id: "new" }],
      pairs: [{ customer: "c1", rep: "new", score: 40 }],
      policy: { mipGap: 0, timeLimitMs: 20_000 },
    });
    const { result } = await solveReassignment(plan);
    expect(result.status).toBe("optimal");
    expect(result.moves).toEqual([{ customer: "c1", from: "old", to: "new", reason: "rep-left", forced: true, detail: 'rep "old" left (unavailable)', valueDelta: null }]);
  });

  it("a listed old pair still gives its value change (score with the new rep − score with the old)", async () => {
    const plan = Plan.parse({
      customers: [{ id: "c1", value: 100, currentRep: "old" }],
      reps: [{ id: "old", available: false }, { id: "new" }],
      pairs: [
        { customer: "c1", rep: "new", score: 40 },
        { customer: "c1", rep: "old", score: 55 },
      ],
      policy: { mipGap: 0, timeLimitMs: 20_000 },
    });
    const { result } = await solveReassignment(plan);
    expect(result.moves[0]?.valueDelta).toBeCloseTo(40 - 55, 9);
  });
});

describe("POST /v1/reassign with a score that fails on an old pair", () => {
  let service: TestService;
  beforeAll(() => {
    service = startService();
  });
  afterAll(() => service.close());

  it("answers 422 with the expression's path, like /v1/solve, with or without the frontier", async () => {
    for (const frontier of [false, true]) {
      const res = await request(service.app).post("/v1/reassign").send({ plan: leftRepPlan, frontier });
      expect(res.status).toBe(422);
      expect(JSON.parse(res.text)).toMatchObject({
        type: "/docs#problem-invalid-plan",
        errors: [{ path: "policy.score", message: expect.stringMatching(/for customer "c1" and rep "gone"/) }],
      });
    }
  });
});
