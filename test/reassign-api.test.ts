import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReassignResult } from "../models/index.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { appWithStubPool, spinningPlan, startService, type TestService } from "./api-test-service.ts";
import { openApiChecker, smallBook } from "./what-if-fixtures.ts";

describe("POST /v1/reassign", () => {
  let service: TestService;
  const check = openApiChecker();
  beforeAll(() => {
    service = startService({ ALLOT_POOL_SIZE: "2" });
  });
  afterAll(() => service.close());

  it("applies the events, moves only what must move with maxMoves 0, and gives the same bytes for the same request", async () => {
    const body = { plan: smallBook, events: [{ op: "removeRep", rep: "r2" }], maxMoves: 0 };
    const [first, second] = await Promise.all([request(service.app).post("/v1/reassign").send(body), request(service.app).post("/v1/reassign").send(body)]);
    expect(first.status).toBe(200);
    expect(second.text).toBe(first.text);
    const json: unknown = JSON.parse(first.text);
    expect(check(json, "ReassignResult")).toEqual([]);
    const result = ReassignResult.parse(json);
    expect(result.status).toBe("optimal");
    expect(result.moves.map((m) => [m.customer, m.from, m.to, m.reason])).toEqual([["c3", "r2", "r4", "rep-left"]]);
    expect(result.moveSummary).toMatchObject({ maxMoves: 0, forced: 1, chosen: 0 });
    expect(result.frontier).toBeUndefined();
    // Verified against the plan after the events.
    const after = { ...smallBook, reps: smallBook.reps.map((r) => (r.id === "r2" ? { ...r, available: false } : r)), policy: { ...smallBook.policy, stability: { movePenalty: 500, maxMoves: 0 } } };
    expect(verifyAssignment(after, result.assignments).violations).toEqual([]);
  });

  it("with frontier: true, adds the best objective for each budget, non-decreasing, ending unconstrained", async () => {
    const res = await request(service.app)
      .post("/v1/reassign")
      .send({ plan: smallBook, maxMoves: 2, movePenalty: 0, frontier: true });
    expect(res.status).toBe(200);
    const json: unknown = JSON.parse(res.text);
    expect(check(json, "ReassignResult")).toEqual([]);
    const result = ReassignResult.parse(json);
    const frontier = result.frontier ?? [];
    expect(frontier.map((p) => p.maxMoves)).toEqual([0, 1, 2, null]);
    expect(frontier.map((p) => p.status)).toEqual(["infeasible", "optimal", "optimal", "optimal"]);
    const values = frontier.flatMap((p) => (p.objective === null ? [] : [p.objective]));
    for (let i = 1; i < values.length; i++) expect(values[i] ?? -Infinity).toBeGreaterThanOrEqual(values[i - 1] ?? Infinity);
    // The point of the budget asked for is the answer's own plan.
    expect(frontier[2]?.objective).toBe(result.objective);
    expect(frontier[2]?.chosenMoves).toBe(result.moveSummary.chosen);
    expect(result.moveSummary.chosen).toBeLessThanOrEqual(2);
  });

  it("rejects an event naming an unknown id with a 422 and its path, and bad options with theirs", async () => {
    const res = await request(service.app)
      .post("/v1/reassign")
      .send({ plan: smallBook, events: [{ op: "updateRep", rep: "r1", set: { maxAccounts: 2 } }, { op: "removeCustomers", customers: ["c1", "c404"] }] });
    expect(res.status).toBe(422);
    expect(JSON.parse(res.text)).toMatchObject({
      type: "/docs#problem-invalid-plan",
      errors: [{ path: "events[1].customers[1]", message: 'unknown customer "c404"' }],
    });
    const bad = await request(service.app)
      .post("/v1/reassign")
      .send({ plan: { ...smallBook, customers: [{ ...smallBook.customers[0], value: -1 }, ...smallBook.customers.slice(1)] }, maxMoves: -1, frontier: "yes" });
    expect(bad.status).toBe(422);
    expect((JSON.parse(bad.text) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["plan.customers[0].value", "maxMoves", "frontier"]);
    const missing = await request(service.app).post("/v1/reassign").send({ events: [] });
    expect(JSON.parse(missing.text)).toMatchObject({ status: 422, errors: [{ path: "plan", message: "required" }] });
  });

  it("refuses a frontier that needs more solves than ALLOT_MAX_SCENARIOS", async () => {
    // Refused before any solve: a pool that fails when used proves it.
    const small = appWithStubPool({ ALLOT_MAX_SCENARIOS: "3" });
    const res = await request(small.app).post("/v1/reassign").send({ plan: smallBook, frontier: true });
    expect(res.status).toBe(422);
    expect(JSON.parse(res.text)).toMatchObject({ type: "/docs#problem-plan-too-large", errors: [{ path: "frontier" }] });
  });

  it("accepts an Idempotency-Key: the same key and body replay the stored answer", async () => {
    const body = { plan: smallBook, maxMoves: 1 };
    const first = await request(service.app).post("/v1/reassign").set("Idempotency-Key", "reassign-test-1").send(body);
    const replay = await request(service.app).post("/v1/reassign").set("Idempotency-Key", "reassign-test-1").send(body);
    expect(first.status).toBe(200);
    expect(replay.headers["idempotency-replayed"]).toBe("true");
    expect(replay.text).toBe(first.text);
  });

  it("answers a solve stopped at its hard deadline as a timeout with no moves", async () => {
    const quick = startService({ ALLOT_MAX_TIME_LIMIT_MS: "200", ALLOT_DEADLINE_MARGIN_MS: "200" });
    try {
      const res = await request(quick.app).post("/v1/reassign").send({ plan: spinningPlan(100), maxMoves: 3 });
      expect(res.status).toBe(200);
      const json: unknown = JSON.parse(res.text);
      expect(check(json, "ReassignResult")).toEqual([]);
      const result = ReassignResult.parse(json);
      expect(result.status).toBe("timeout");
      expect(result.solver.backend).toBe("deadline");
      expect(result.moves).toEqual([]);
      expect(result.moveSummary).toMatchObject({ maxMoves: 3, forced: 0, chosen: 0 });
    } finally {
      await quick.close();
    }
  });
});
