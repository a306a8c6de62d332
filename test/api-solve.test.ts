import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Solution } from "../models/index.ts";
import { DEADLINE_BACKEND } from "../src/solve/deadline-solution.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { samplePlan, spinningPlan, startService, type TestService } from "./api-test-service.ts";
import { gapPlan } from "./gap-fixtures.ts";
import { tinyPlan } from "./tiny-plan.ts";

function solutionOf(text: string) {
  return Solution.parse(JSON.parse(text));
}

describe("POST /v1/solve on the sample plan", () => {
  let service: TestService;
  beforeAll(() => {
    service = startService({ ALLOT_POOL_SIZE: "2", ALLOT_MAX_TIME_LIMIT_MS: "120000" });
  });
  afterAll(() => service.close());

  it("returns a verified optimal solution, and the same request twice gives the same bytes", async () => {
    // A time limit far above what the solve needs, so that both runs end on proven optimality.
    const plan = samplePlan(120_000);
    const [first, second] = await Promise.all([
      request(service.app).post("/v1/solve").send(plan),
      request(service.app).post("/v1/solve").send(plan),
    ]);
    for (const res of [first, second]) {
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers["server-timing"]).toMatch(/queue;dur=[\d.]+, run;dur=[\d.]+, engine;dur=[\d.]+, solver;dur=[\d.]+/);
    }
    expect(first.headers["x-request-id"]).not.toBe(second.headers["x-request-id"]);
    expect(second.text).toBe(first.text);

    const solution = solutionOf(first.text);
    expect(solution.status).toBe("optimal");
    expect(solution.verification.passed).toBe(true);
    expect(solution.assignments).toHaveLength(300);
    expect(solution.unassigned).toEqual([]);
    expect(solution.solver.timeLimitMs).toBe(120_000);
    // Re-check with the independent verifier, from the plan alone.
    const check = verifyAssignment(plan, solution.assignments);
    expect(check.violations).toEqual([]);
    expect(check.passed).toBe(true);
    expect(solution.objective).toBeCloseTo(check.objective, 6);
  });
});

describe("POST /v1/solve: time limits and the hard deadline", () => {
  let service: TestService;
  beforeAll(async () => {
    service = startService({ ALLOT_MAX_TIME_LIMIT_MS: "1000", ALLOT_DEFAULT_TIME_LIMIT_MS: "800", ALLOT_DEADLINE_MARGIN_MS: "300" });
    // Wait for the worker thread to be up, so that its start-up is not part of any deadline below.
    const warm = await request(service.app).post("/v1/solve").send(tinyPlan);
    expect(warm.status).toBe(200);
  });
  afterAll(() => service.close());

  it("solves a small plan to its hand-computed optimum, with the default time limit when the plan sets none", async () => {
    const res = await request(service.app).post("/v1/solve").send(tinyPlan);
    expect(res.status).toBe(200);
    const solution = solutionOf(res.text);
    expect(solution.status).toBe("optimal");
    expect(solution.objective).toBe(17);
    expect(solution.assignments.map((a) => [a.customer, a.rep])).toEqual([
      ["c1", "r1"],
      ["c2", "r2"],
    ]);
    expect(solution.solver.timeLimitMs).toBe(800);
  });

  it("clamps a plan's timeLimitMs to the server maximum; a hard GAP plan comes back within the deadline", async () => {
    // Chu & Beasley c20200: 20 agents × 200 jobs, far from solved to optimality in one second.
    const plan = gapPlan("c20200", { timeLimitMs: 600_000 });
    const start = performance.now();
    const res = await request(service.app).post("/v1/solve").send(plan);
    const elapsed = performance.now() - start;
    expect(res.status).toBe(200);
    const solution = solutionOf(res.text);
    expect(solution.solver.timeLimitMs).toBe(1000);
    expect(["feasible", "timeout"]).toContain(solution.status);
    // Deadline (1000 ms limit + 300 ms margin) plus 2 s for a noisy machine.
    expect(elapsed).toBeLessThan(1000 + 300 + 2000);
    if (solution.status === "feasible") {
      expect(verifyAssignment(plan, solution.assignments).passed).toBe(true);
      expect(solution.diagnosis?.causes[0]?.kind).toBe("time-limit");
    }
  });

  it("stops a worker that ignores its time limit at the deadline, answers timeout, and keeps serving", async () => {
    // A live thread first (the GAP solve above may have had its thread replaced), so that only the
    // deadline is measured below.
    expect((await request(service.app).post("/v1/solve").send(tinyPlan)).status).toBe(200);
    const before = service.pool.stats().deadlinesHit;
    const start = performance.now();
    const res = await request(service.app).post("/v1/solve").send(spinningPlan(400));
    const elapsed = performance.now() - start;
    expect(res.status).toBe(200);
    expect(elapsed).toBeLessThan(400 + 300 + 2000);
    const solution = solutionOf(res.text);
    expect(solution.status).toBe("timeout");
    expect(solution.objective).toBeNull();
    expect(solution.assignments).toEqual([]);
    expect(solution.unassigned.map((u) => u.customer)).toEqual(["spin-forever"]);
    expect(solution.solver.backend).toBe(DEADLINE_BACKEND);
    expect(solution.solver.timeLimitMs).toBe(400);
    expect(solution.diagnosis?.causes.map((c) => c.kind)).toEqual(["time-limit"]);
    expect(solution.diagnosis?.summary).toContain("700 ms");
    expect(solution.verification).toEqual({ passed: false, state: "not-run", objective: null, rejected: [] });
    expect(service.pool.stats().deadlinesHit).toBe(before + 1);

    // The stopped thread was replaced: the pool still solves.
    const after = await request(service.app).post("/v1/solve").send(tinyPlan);
    expect(after.status).toBe(200);
    expect(solutionOf(after.text).objective).toBe(17);
  });
});
