import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateBook } from "../data/book-generator.ts";
import { Plan, Solution, type Policy } from "../models/index.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { startService, type TestService } from "./api-test-service.ts";
import { gapPlan } from "./gap-fixtures.ts";
import { tinyPlan } from "./tiny-plan.ts";

/**
 * Plans built to be hard: the deadline holds (answer within time limit + margin + slack for a noisy
 * machine), every plan returned is verified, and later requests are unaffected.
 */
const LIMIT_MS = 1_500;
const MARGIN_MS = 500;
const SLACK_MS = 2_500;

function book(seed: number, customers: number, reps: number, policy: Policy): Plan {
  const plan = generateBook({ seed, customers, reps, territories: 3, segments: 4 });
  return { ...plan, policy: { ...plan.policy, ...policy, timeLimitMs: LIMIT_MS } };
}

/** Values spread from 0.01 to 10^12 (big-M-like ranges that stress a MIP's numerics). */
function bigRange(plan: Plan): Plan {
  return {
    ...plan,
    customers: plan.customers.map((c, i) => ({ ...c, value: i % 3 === 0 ? 0.01 * (1 + (i % 7)) : i % 3 === 1 ? 1e12 / (1 + (i % 5)) : c.value })),
  };
}

const cases: [string, () => Plan][] = [
  ["tight GAP capacities (Chu & Beasley c20200)", () => gapPlan("c20200", { timeLimitMs: LIMIT_MS })],
  ["tight GAP capacities cut by 3% (near infeasible)", () => {
    const plan = gapPlan("c10200", { timeLimitMs: LIMIT_MS });
    return { ...plan, reps: plan.reps.map((r) => ({ ...r, maxWorkload: Math.floor((r.maxWorkload ?? 0) * 0.97) })) };
  }],
  ["near-infeasible value and count bands", () => book(3, 400, 12, { fairness: { valueBand: 0.03, countBand: 0.05 } })],
  ["values from 0.01 to 10^12 with a value band", () => bigRange(book(4, 400, 12, { fairness: { valueBand: 0.2 } }))],
  ["a tight move budget with soft territories and travel costs", () => book(5, 500, 15, { territory: "soft", territoryPenalty: 5000, travelCostPerKm: 2, stability: { maxMoves: 3, movePenalty: 100 } })],
];

describe("pathological solves", () => {
  let service: TestService;
  beforeAll(async () => {
    // One worker thread: the cases run one at a time, and the thread that took the hard plan must serve the next.
    service = startService({ ALLOT_POOL_SIZE: "1", ALLOT_MAX_TIME_LIMIT_MS: String(LIMIT_MS), ALLOT_DEADLINE_MARGIN_MS: String(MARGIN_MS) });
    expect((await request(service.app).post("/v1/solve").send(tinyPlan)).status).toBe(200);
  });
  afterAll(() => service.close());

  it.each(cases)("%s: answered within the deadline, verified, and the pool serves afterwards", async (_name, make) => {
    const plan = make();
    const start = performance.now();
    const res = await request(service.app).post("/v1/solve").send(plan);
    const elapsed = performance.now() - start;
    expect(res.status).toBe(200);
    expect(elapsed).toBeLessThan(LIMIT_MS + MARGIN_MS + SLACK_MS);
    const solution = Solution.parse(JSON.parse(res.text));
    expect(["optimal", "feasible", "infeasible", "timeout"]).toContain(solution.status);
    if (solution.status === "optimal" || solution.status === "feasible") {
      expect(verifyAssignment(plan, solution.assignments).violations).toEqual([]);
    } else {
      expect(solution.diagnosis?.causes.length ?? 0).toBeGreaterThan(0);
    }
    const after = await request(service.app).post("/v1/solve").send(tinyPlan);
    expect(after.status).toBe(200);
    expect(Solution.parse(JSON.parse(after.text)).objective).toBe(17);
  });
});

describe("overload", () => {
  let service: TestService;
  beforeAll(async () => {
    service = startService({ ALLOT_POOL_SIZE: "2", ALLOT_QUEUE_LENGTH: "4", ALLOT_MAX_TIME_LIMIT_MS: "1000", ALLOT_DEADLINE_MARGIN_MS: "300" });
    expect((await request(service.app).post("/v1/solve").send(tinyPlan)).status).toBe(200);
  });
  afterAll(() => service.close());

  it("more solves than pool and queue hold: the excess gets 503 + Retry-After, admitted ones complete, health stays up, nothing hangs", async () => {
    const heavy = gapPlan("c10200", { timeLimitMs: 1000 });
    const rssBefore = process.memoryUsage().rss;
    const burst = Array.from({ length: 24 }, () => request(service.app).post("/v1/solve").send(heavy).timeout(30_000));
    const health = await Promise.all(Array.from({ length: 10 }, () => request(service.app).get("/healthz")));
    const answers = await Promise.all(burst);
    for (const h of health) expect(h.status).toBe(200);
    const statuses = answers.map((r) => r.status);
    const ok = answers.filter((r) => r.status === 200);
    const refused = answers.filter((r) => r.status === 503);
    expect(ok.length + refused.length).toBe(answers.length);
    // Two running and four queued at most were admitted while the burst arrived.
    expect(ok.length).toBeGreaterThanOrEqual(2);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(Number(r.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    }
    for (const r of ok) expect(["optimal", "feasible", "timeout"]).toContain(Solution.parse(JSON.parse(r.text)).status);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(service.pool.stats()).toMatchObject({ running: 0, queued: 0 });
    // Memory stays bounded: the refused requests cost nothing lasting (generous bound; no timing).
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(512 * 1024 * 1024);
  });
});
