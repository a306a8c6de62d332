/**
 * Memory-aware admission: a solve estimated (src/solve/memory-estimate.ts) above the memory budget
 * is refused with 422 naming the budget and the estimate, one just under it is solved; the pool runs
 * solves together only while their estimates fit in the budget.
 */
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import { generateBook } from "../data/book-generator.ts";
import { Plan } from "../models/index.ts";
import { createSolvePool, MemoryBudgetError } from "../src/runtime/solve-pool.ts";
import { estimateSolveMemory, MEMORY_MODEL } from "../src/solve/memory-estimate.ts";
import { startService, type TestService } from "./api-test-service.ts";
import { tinyPlan } from "./tiny-plan.ts";

const MIB = 2 ** 20;
const services: TestService[] = [];
afterAll(async () => {
  for (const s of services) await s.close();
});

describe("the memory estimate", () => {
  it("grows with eligible pairs and customers, on the path solvePlan would take", () => {
    const small = estimateSolveMemory(Plan.parse(tinyPlan));
    expect(small.path).toBe("mip");
    expect(small.pairs).toBe(4);
    expect(small.bytes).toBe(MEMORY_MODEL.mip.fixedBytes + 4 * MEMORY_MODEL.mip.bytesPerPair + 2 * MEMORY_MODEL.bytesPerCustomer);
    const book = generateBook({ seed: 2, customers: 2000, reps: 40, territories: 4 });
    const big = estimateSolveMemory(book);
    expect(big.path).toBe("structured");
    expect(big.bytes).toBe(MEMORY_MODEL.structured.fixedBytes + big.pairs * MEMORY_MODEL.structured.bytesPerPair + 2000 * MEMORY_MODEL.bytesPerCustomer);
    // An explicit MIP solver costs the MIP's figures.
    expect(estimateSolveMemory({ ...book, policy: { ...book.policy, solver: "highs" } }).path).toBe("mip");
  });
});

describe("admission against ALLOT_MEMORY_BUDGET", () => {
  const estimate = estimateSolveMemory(Plan.parse(tinyPlan)).bytes;

  it("refuses a plan over the budget with 422 naming the estimate and the budget; just at it, the plan is solved", async () => {
    const under = startService({ ALLOT_MEMORY_BUDGET: String(estimate - 1) });
    const at = startService({ ALLOT_MEMORY_BUDGET: String(estimate) });
    services.push(under, at);
    const refused = await request(under.app).post("/v1/solve").send(tinyPlan);
    expect(refused.status).toBe(422);
    const problem = JSON.parse(refused.text) as { type: string; detail: string; errors: { path: string; message: string }[] };
    expect(problem.type).toBe("/docs#problem-memory-budget");
    expect(problem.detail).toContain(`about ${Math.ceil(estimate / MIB)} MiB`);
    expect(problem.detail).toContain("ALLOT_MEMORY_BUDGET");
    // Jobs are checked before anything is queued, with the path of the plan.
    const job = await request(under.app).post("/v1/jobs").send({ kind: "scenarios", input: { base: tinyPlan, scenarios: [{ name: "same", changes: [] }] } });
    expect(job.status).toBe(422);
    expect((JSON.parse(job.text) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["input.base", "input.scenarios[0]"]);
    const solved = await request(at.app).post("/v1/solve").send(tinyPlan);
    expect(solved.status).toBe(200);
  });

  it("lets solves run together only while their estimates fit, and refuses one larger than the whole budget", async () => {
    const plan = Plan.parse(tinyPlan);
    const pool = createSolvePool({ size: 2, memoryBudgetBytes: 100 });
    try {
      await expect(pool.solve(plan, { timeLimitMs: 1000, memoryBytes: 101 })).rejects.toBeInstanceOf(MemoryBudgetError);
      const seen: number[] = [];
      const watch = setInterval(() => seen.push(pool.stats().running), 1);
      const both = [pool.solve(plan, { timeLimitMs: 1000, memoryBytes: 60 }), pool.solve(plan, { timeLimitMs: 1000, memoryBytes: 60 })];
      expect(pool.stats()).toMatchObject({ running: 1, queued: 1, memoryReservedBytes: 60 });
      await Promise.all(both);
      clearInterval(watch);
      expect(Math.max(...seen)).toBe(1);
      // Two that fit together run together.
      const pair = [pool.solve(plan, { timeLimitMs: 1000, memoryBytes: 50 }), pool.solve(plan, { timeLimitMs: 1000, memoryBytes: 50 })];
      expect(pool.stats()).toMatchObject({ running: 2, queued: 0, memoryReservedBytes: 100 });
      await Promise.all(pair);
      expect(pool.stats().memoryReservedBytes).toBe(0);
    } finally {
      await pool.close({ graceMs: 0 });
    }
  });
});

describe("limits that point to the jobs endpoint", () => {
  it("refuses a book over the synchronous limits with a detail naming POST /v1/jobs, which accepts it", async () => {
    const service = startService({ ALLOT_MAX_CUSTOMERS: "3", ALLOT_JOB_MAX_CUSTOMERS: "50" });
    services.push(service);
    const book = generateBook({ seed: 1, customers: 10, reps: 2, territories: 1 });
    const sync = await request(service.app).post("/v1/solve").send(book);
    expect(sync.status).toBe(422);
    const problem = JSON.parse(sync.text) as { type: string; detail: string };
    expect(problem.type).toBe("/docs#problem-plan-too-large");
    expect(problem.detail).toContain("POST /v1/jobs");
    expect(problem.detail).toContain("50 customers");
    const job = await request(service.app).post("/v1/jobs").send({ kind: "solve", input: book });
    expect(job.status).toBe(202);
  });

  it("reads job bodies up to the jobs' own body limit and says so past it", async () => {
    const service = startService({ ALLOT_BODY_LIMIT: "2kb", ALLOT_JOB_BODY_LIMIT: "64kb" });
    services.push(service);
    const book = generateBook({ seed: 1, customers: 40, reps: 2, territories: 1 });
    expect(JSON.stringify(book).length).toBeGreaterThan(2048);
    const sync = await request(service.app).post("/v1/solve").send(book);
    expect(sync.status).toBe(413);
    expect((JSON.parse(sync.text) as { detail: string }).detail).toContain("POST /v1/jobs");
    expect((await request(service.app).post("/v1/jobs").send({ kind: "solve", input: book })).status).toBe(202);
  });
});
