import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Evaluation } from "../models/index.ts";
import { appWithStubPool, startService, type TestService } from "./api-test-service.ts";
import { tinyPlan } from "./tiny-plan.ts";
import { openApiChecker } from "./what-if-fixtures.ts";

describe("POST /v1/evaluate", () => {
  let service: TestService;
  const check = openApiChecker();
  beforeAll(() => {
    service = startService({ ALLOT_POOL_SIZE: "1" });
  });
  afterAll(() => service.close());

  it("evaluates the swapped assignment without a solver (the pool is never asked), per the OpenAPI schema", async () => {
    const { app } = appWithStubPool();
    const res = await request(app)
      .post("/v1/evaluate")
      .send({ plan: tinyPlan, assignment: [{ customer: "c1", rep: "r2" }, { customer: "c2", rep: "r1" }] });
    expect(res.status).toBe(200);
    const json: unknown = JSON.parse(res.text);
    expect(check(json, "Evaluation")).toEqual([]);
    const e = Evaluation.parse(json);
    expect(e).toMatchObject({ feasible: true, objective: 12, assigned: 2, unassigned: 0, broken: [], optimum: null });
  });

  it("with optimum: true, solves on the pool: gives up 17 − 12 = 5, c1's choice most; the same bytes twice", async () => {
    const body = { plan: tinyPlan, assignment: [{ customer: "c1", rep: "r2" }, { customer: "c2", rep: "r1" }], optimum: true };
    const first = await request(service.app).post("/v1/evaluate").send(body);
    const second = await request(service.app).post("/v1/evaluate").send(body);
    expect(first.status).toBe(200);
    expect(second.text).toBe(first.text);
    const e = Evaluation.parse(JSON.parse(first.text));
    expect(e.optimum).toMatchObject({ status: "optimal", objective: 17, valueGivenUp: 5, differingChoices: 2 });
    expect(e.optimum?.costliest[0]).toEqual({ customer: "c1", chosen: "r2", optimal: "r1", valueGivenUp: 6 });
  });

  it("a broken capacity names reps[0].maxAccounts and the rep", async () => {
    const res = await request(appWithStubPool().app)
      .post("/v1/evaluate")
      .send({ plan: tinyPlan, assignment: [{ customer: "c1", rep: "r1" }, { customer: "c2", rep: "r1" }] });
    expect(res.status).toBe(200);
    const e = Evaluation.parse(JSON.parse(res.text));
    expect(e.feasible).toBe(false);
    expect(e.broken.map((b) => [b.kind, b.path, b.reps])).toEqual([["max-accounts", "reps[0].maxAccounts", ["r1"]]]);
  });

  it("bad input is a 422 problem naming the field: unknown ids, a customer twice, a missing assignment, a bad plan", async () => {
    const { app } = appWithStubPool();
    const unknown = await request(app)
      .post("/v1/evaluate")
      .send({ plan: tinyPlan, assignment: [{ customer: "c1", rep: "r9" }, { customer: "c1", rep: "r1" }] });
    expect(unknown.status).toBe(422);
    expect(unknown.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect((unknown.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["assignment[0].rep"]);
    const twice = await request(app)
      .post("/v1/evaluate")
      .send({ plan: tinyPlan, assignment: [{ customer: "c1", rep: "r2" }, { customer: "c1", rep: "r1" }] });
    expect((twice.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["assignment[1].customer"]);
    const missing = await request(app).post("/v1/evaluate").send({ plan: tinyPlan });
    expect(missing.status).toBe(422);
    expect((missing.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["assignment"]);
    const badPlan = await request(app).post("/v1/evaluate").send({ plan: { customers: "x" }, assignment: [] });
    expect(badPlan.status).toBe(422);
    expect((badPlan.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain("plan.customers");
  });
});
