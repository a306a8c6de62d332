import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProblemDetails } from "../api/problem-details.ts";
import { Solution } from "../models/index.ts";
import { spinningPlan, startService, waitFor, type TestService } from "./api-test-service.ts";
import { tinyPlan } from "./tiny-plan.ts";

describe("a saturated pool", () => {
  let service: TestService;
  beforeAll(async () => {
    // One worker thread, one queue slot, and a spinning plan to keep the thread busy.
    service = startService({ ALLOT_POOL_SIZE: "1", ALLOT_QUEUE_LENGTH: "1", ALLOT_DEADLINE_MARGIN_MS: "200" });
    expect((await request(service.app).post("/v1/solve").send(tinyPlan)).status).toBe(200);
  });
  afterAll(() => service.close());

  it("keeps answering /healthz and /readyz while every worker is busy", async () => {
    const busy = request(service.app).post("/v1/solve").send(spinningPlan(1500)).then((res) => res);
    await waitFor("the spinning solve to run", () => service.pool.stats().running === 1);
    const health = await request(service.app).get("/healthz");
    expect(health.status).toBe(200);
    expect(health.text).toBe('{"status":"ok"}');
    const ready = await request(service.app).get("/readyz");
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({ status: "ready", pool: { size: 1, running: 1, queued: 0, maxQueue: 1 } });
    // The spinning solve was still running all along.
    expect(service.pool.stats().running).toBe(1);
    expect(Solution.parse(JSON.parse((await busy).text)).status).toBe("timeout");
  });

  it("answers 503 with Retry-After when the queue is full, and serves the queued request afterwards", async () => {
    const running = request(service.app).post("/v1/solve").send(spinningPlan(800)).then((res) => res);
    await waitFor("the spinning solve to run", () => service.pool.stats().running === 1);
    const queued = request(service.app).post("/v1/solve").send(tinyPlan).then((res) => res);
    await waitFor("the second solve to queue", () => service.pool.stats().queued === 1);

    for (const path of ["/v1/solve", "/v1/validate"]) {
      const refused = await request(service.app).post(path).send(tinyPlan);
      expect(refused.status).toBe(503);
      expect(refused.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
      expect(ProblemDetails.parse(JSON.parse(refused.text)).type).toBe("/docs#problem-queue-full");
      const retryAfter = Number(refused.headers["retry-after"]);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(120);
    }

    // Refused before the body is even read: no 415 for a body that is not JSON.
    expect((await request(service.app).post("/v1/solve").set("content-type", "text/plain").send("not json")).status).toBe(503);

    expect(Solution.parse(JSON.parse((await running).text)).status).toBe("timeout");
    const served = await queued;
    expect(served.status).toBe(200);
    expect(Solution.parse(JSON.parse(served.text)).objective).toBe(17);
    expect(service.pool.stats()).toMatchObject({ running: 0, queued: 0 });
  });

  it("drops a queued solve whose client went away", async () => {
    const running = request(service.app).post("/v1/solve").send(spinningPlan(800)).then((res) => res);
    await waitFor("the spinning solve to run", () => service.pool.stats().running === 1);
    const gone = request(service.app).post("/v1/solve").send(tinyPlan).timeout(300);
    await expect(gone).rejects.toThrow(/timeout/i);
    await waitFor("the abandoned solve to leave the queue", () => service.pool.stats().queued === 0);
    expect(service.pool.stats().running).toBe(1);
    expect((await running).status).toBe(200);
  });
});

describe("POST /v1/validate", () => {
  let service: TestService;
  beforeAll(() => {
    service = startService({ ALLOT_MAX_TIME_LIMIT_MS: "500", ALLOT_DEFAULT_TIME_LIMIT_MS: "500", ALLOT_DEADLINE_MARGIN_MS: "200" });
  });
  afterAll(() => service.close());

  it("reports the statistics of a valid plan without solving it", async () => {
    const res = await request(service.app).post("/v1/validate").send(tinyPlan);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(res.headers["server-timing"]).toMatch(/parse;dur=[\d.]+, queue;dur=[\d.]+, run;dur=[\d.]+, engine;dur=[\d.]+/);
    expect(JSON.parse(res.text)).toEqual({
      problems: [],
      statistics: {
        customers: 2,
        reps: 2,
        availableReps: 2,
        eligiblePairs: 4,
        customersWithoutEligibleRep: 0,
        totalValue: 200,
        territoryMode: "hard",
        capacity: { accounts: 2, workload: null },
        demand: { accounts: 2, workload: 2 },
        territories: [],
      },
    });
  });

  it("names the certain causes of infeasibility and the capacity against demand per territory", async () => {
    const plan = {
      customers: [
        { id: "n1", value: 10, territory: "north", workload: 2 },
        { id: "n2", value: 20, territory: "north", workload: 2 },
        { id: "n3", value: 30, territory: "north", workload: 2 },
        { id: "s1", value: 40, territory: "south", workload: 2 },
      ],
      reps: [
        { id: "r1", territories: ["north"], maxAccounts: 2, maxWorkload: 10 },
        { id: "r2", territories: ["south"], maxAccounts: 1, maxWorkload: 1 },
        { id: "r3", territories: ["north"], available: false },
      ],
    };
    const res = await request(service.app).post("/v1/validate").send(plan);
    expect(res.status).toBe(200);
    const report = JSON.parse(res.text) as { problems: { kind: string; territory?: string }[]; statistics: Record<string, unknown> };
    expect(report.problems.map((p) => [p.kind, p.territory ?? null])).toEqual([
      ["capacity", null],
      ["territory-capacity", "north"],
      ["territory-capacity", "south"],
    ]);
    expect(report.statistics).toMatchObject({
      customers: 4,
      reps: 3,
      availableReps: 2,
      eligiblePairs: 4,
      totalValue: 100,
      capacity: { accounts: 3, workload: 11 },
      demand: { accounts: 4, workload: 8 },
      territories: [
        { territory: "north", customers: 3, reps: 1, capacity: { accounts: 2, workload: 10 }, demand: { accounts: 3, workload: 6 } },
        { territory: "south", customers: 1, reps: 1, capacity: { accounts: 1, workload: 1 }, demand: { accounts: 1, workload: 2 } },
      ],
    });
  });

  it("answers 503 when the statistics outlive their deadline, and serves afterwards", async () => {
    const res = await request(service.app).post("/v1/validate").send(spinningPlan(100));
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text)).toMatchObject({ type: "/docs#problem-validation-deadline", detail: expect.stringContaining("700 ms") });
    expect((await request(service.app).post("/v1/validate").send(tinyPlan)).status).toBe(200);
  });
});
