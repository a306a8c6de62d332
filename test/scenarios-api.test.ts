import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Change, ScenarioResponse, Solution } from "../models/index.ts";
import { applyChanges } from "../src/what-if/plan-changes.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { appWithStubPool, spinningPlan, startService, type TestService } from "./api-test-service.ts";
import { openApiChecker, smallBook } from "./what-if-fixtures.ts";

const scenarios = [
  { name: "r2 leaves", changes: [{ op: "removeRep", rep: "r2" }] },
  { name: "north grows 20%", changes: [{ op: "scaleValues", factor: 1.2, territory: "north" }] },
  { name: "r3 capped at 1", changes: [{ op: "updateRep", rep: "r3", set: { maxAccounts: 1 } }] },
];

describe("POST /v1/scenarios", () => {
  let service: TestService;
  const check = openApiChecker();
  beforeAll(() => {
    service = startService({ ALLOT_POOL_SIZE: "2", ALLOT_MAX_SCENARIOS: "4" });
  });
  afterAll(() => service.close());

  it("solves the base and every scenario like /v1/solve would, with diffs against the base; the same request gives the same bytes", async () => {
    const body = { base: smallBook, scenarios };
    const [first, second] = await Promise.all([request(service.app).post("/v1/scenarios").send(body), request(service.app).post("/v1/scenarios").send(body)]);
    expect(first.status).toBe(200);
    expect(first.headers["server-timing"]).toMatch(/parse;dur=[\d.]+, queue;dur=[\d.]+, run;dur=[\d.]+, engine;dur=[\d.]+, solver;dur=[\d.]+, total;dur=[\d.]+/);
    expect(second.text).toBe(first.text);
    const json: unknown = JSON.parse(first.text);
    expect(check(json, "ScenarioResponse")).toEqual([]);
    const answer = ScenarioResponse.parse(json);
    expect(answer.base.solution).toBeUndefined();

    // The engine, in process, on the same plans.
    const base = (await solvePlan(smallBook)).solution;
    expect(answer.base.status).toBe("optimal");
    expect(answer.base.objective).toBeCloseTo(base.objective ?? NaN, 6);
    expect(answer.scenarios.map((s) => s.name)).toEqual(scenarios.map((s) => s.name));
    for (const [i, s] of scenarios.entries()) {
      const applied = applyChanges(smallBook, s.changes.map((c) => Change.parse(c)), ["scenarios", i, "changes"]);
      if (!applied.ok) throw new Error("changes should apply");
      const expected = (await solvePlan(applied.plan)).solution;
      const got = answer.scenarios[i];
      expect(got?.status).toBe(expected.status);
      expect(got?.objective).toBeCloseTo(expected.objective ?? NaN, 6);
      expect(got?.diff?.objective.delta).toBeCloseTo((expected.objective ?? NaN) - (base.objective ?? NaN), 6);
      const range = got?.diff?.optimalDelta;
      expect(range?.low ?? Infinity).toBeLessThanOrEqual((got?.diff?.objective.delta ?? NaN) + 1e-9);
      expect(range?.high ?? -Infinity).toBeGreaterThanOrEqual((got?.diff?.objective.delta ?? NaN) - 1e-9);
      // Customers moved: exactly those whose rep differs between the two solutions.
      const before = new Map(base.assignments.map((a) => [a.customer, a.rep]));
      const moved = expected.assignments.filter((a) => before.get(a.customer) !== a.rep).map((a) => [a.customer, before.get(a.customer), a.rep]);
      expect(got?.diff?.moves.map((m) => [m.customer, m.from, m.to])).toEqual(moved);
      // Per-rep loads: the scenario's own figures minus the base's.
      for (const r of expected.reps) {
        const change = got?.diff?.reps.find((x) => x.rep === r.id);
        const was = base.reps.find((x) => x.id === r.id);
        expect(change?.accounts.delta).toBe(r.accounts - (was?.accounts ?? 0));
        expect(change?.value.delta).toBeCloseTo(r.value - (was?.value ?? 0), 6);
      }
    }
    // r2 leaving: its customers go to other reps and its load drops to zero.
    const leaves = answer.scenarios[0]?.diff;
    expect(leaves?.reps.find((r) => r.rep === "r2")?.accounts.to).toBe(0);
    expect(leaves?.moves.every((m) => m.to !== "r2")).toBe(true);
  });

  it("returns full Solutions on request, matching the figures", async () => {
    const res = await request(service.app)
      .post("/v1/scenarios")
      .send({ base: smallBook, scenarios: [scenarios[0]], solutions: true });
    expect(res.status).toBe(200);
    const answer = ScenarioResponse.parse(JSON.parse(res.text));
    const solution = Solution.parse(answer.scenarios[0]?.solution);
    expect(solution.objective).toBe(answer.scenarios[0]?.objective);
    expect(Solution.parse(answer.base.solution).objective).toBe(answer.base.objective);
    expect(check(JSON.parse(res.text), "ScenarioResponse")).toEqual([]);
  });

  it("answers an infeasible scenario with its diagnosis and no diff", async () => {
    const res = await request(service.app)
      .post("/v1/scenarios")
      .send({ base: smallBook, scenarios: [{ name: "everyone at one", changes: [{ op: "updateRep", rep: "r1", set: { maxAccounts: 0 } }, { op: "removeRep", rep: "r2" }, { op: "removeRep", rep: "r4" }] }] });
    expect(res.status).toBe(200);
    const answer = ScenarioResponse.parse(JSON.parse(res.text));
    expect(answer.scenarios[0]?.status).toBe("infeasible");
    expect(answer.scenarios[0]?.diff).toBeNull();
    expect(answer.scenarios[0]?.diagnosis?.causes.length).toBeGreaterThan(0);
  });

  it("rejects a change naming an unknown id with a 422 and the change's path", async () => {
    const res = await request(service.app)
      .post("/v1/scenarios")
      .send({ base: smallBook, scenarios: [scenarios[0], { name: "typo", changes: [{ op: "removeRep", rep: "r99" }] }] });
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    const problem = JSON.parse(res.text) as { type: string; errors: unknown };
    expect(problem.type).toBe("/docs#problem-invalid-plan");
    expect(problem.errors).toEqual([{ path: "scenarios[1].changes[0].rep", message: 'unknown rep "r99"' }]);
  });

  it("reports every problem of the request at once: base paths, shapes, duplicate names", async () => {
    const res = await request(service.app)
      .post("/v1/scenarios")
      .send({
        base: { ...smallBook, customers: [{ ...smallBook.customers[0], value: -1 }, ...smallBook.customers.slice(1)] },
        scenarios: [{ name: "a", changes: [{ op: "explode" }] }, { name: "b", changes: [{ op: "scaleValues" }] }],
        extra: true,
      });
    expect(res.status).toBe(422);
    const paths = (JSON.parse(res.text) as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toEqual(["base.customers[0].value", "scenarios[0].changes[0].op", "scenarios[1].changes[0].factor", ""]);

    const dup = await request(service.app)
      .post("/v1/scenarios")
      .send({ base: smallBook, scenarios: [scenarios[0], { ...scenarios[1], name: "r2 leaves" }] });
    expect(dup.status).toBe(422);
    expect((JSON.parse(dup.text) as { errors: unknown }).errors).toEqual([{ path: "scenarios[1].name", message: 'duplicate scenario name "r2 leaves" (first at scenarios[0])' }]);
  });

  it("counts scenarios and scenarios × plan size against the limits", async () => {
    const many = await request(service.app)
      .post("/v1/scenarios")
      .send({ base: smallBook, scenarios: Array.from({ length: 5 }, (_, i) => ({ name: `s${i}`, changes: [] })) });
    expect(many.status).toBe(422);
    expect(JSON.parse(many.text)).toMatchObject({ type: "/docs#problem-plan-too-large", errors: [{ path: "scenarios" }] });

    // Refused before any solve: a pool that fails when used proves it.
    const small = appWithStubPool({ ALLOT_MAX_CUSTOMERS: "20" });
    // 8 customers in the base and in each of two scenarios: 24 > 20, though each plan alone fits.
    const res = await request(small.app).post("/v1/scenarios").send({ base: smallBook, scenarios: [scenarios[0], scenarios[1]] });
    expect(res.status).toBe(422);
    expect(JSON.parse(res.text)).toMatchObject({
      type: "/docs#problem-plan-too-large",
      errors: [{ path: "scenarios", message: "24 customers over the 3 plans to solve, more than the 20 this server accepts in one request" }],
    });
  });

  it("answers solves stopped at their hard deadline as timeouts, without a diff", async () => {
    const quick = startService({ ALLOT_POOL_SIZE: "2", ALLOT_MAX_TIME_LIMIT_MS: "200", ALLOT_DEADLINE_MARGIN_MS: "200" });
    try {
      const res = await request(quick.app).post("/v1/scenarios").send({ base: spinningPlan(100), scenarios: [{ name: "same", changes: [] }] });
      expect(res.status).toBe(200);
      const answer = ScenarioResponse.parse(JSON.parse(res.text));
      expect([answer.base.status, answer.scenarios[0]?.status, answer.scenarios[0]?.diff]).toEqual(["timeout", "timeout", null]);
      expect(answer.base.diagnosis?.causes[0]?.kind).toBe("time-limit");
    } finally {
      await quick.close();
    }
  });
});
