import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { createSolvePool, PoolClosedError, PoolSaturatedError, TaskCancelledError } from "../src/runtime/solve-pool.ts";
import { spinningPlan, standInWorkerUrl, waitFor } from "./api-test-service.ts";
import { tinyPlan } from "./tiny-plan.ts";

const tiny = Plan.parse(tinyPlan);
const spinning = Plan.parse(spinningPlan(60_000));

describe("createSolvePool", () => {
  it("refuses impossible sizes", () => {
    expect(() => createSolvePool({ size: 0 })).toThrow(RangeError);
    expect(() => createSolvePool({ size: 1, maxQueue: -1 })).toThrow(RangeError);
  });

  it("cancels a running task on its caller's signal, replaces the thread, and refuses a full queue", async () => {
    const pool = createSolvePool({ size: 1, maxQueue: 0, deadlineMarginMs: 1000, workerUrl: standInWorkerUrl });
    try {
      const caller = new AbortController();
      const stuck = pool.solve(spinning, { timeLimitMs: 60_000, signal: caller.signal });
      await waitFor("the task to run", () => pool.stats().running === 1);
      await expect(pool.solve(tiny, { timeLimitMs: 1000 })).rejects.toBeInstanceOf(PoolSaturatedError);
      caller.abort();
      await expect(stuck).rejects.toBeInstanceOf(TaskCancelledError);
      const next = await pool.solve(tiny, { timeLimitMs: 5000 });
      expect(next.status).toBe("optimal");
      expect(JSON.parse(next.solutionJson)).toMatchObject({ objective: 17 });
      expect(pool.stats()).toMatchObject({ running: 0, queued: 0, deadlinesHit: 0 });
    } finally {
      await pool.close({ graceMs: 0 });
    }
  });

  it("close() stops what outlives the grace period: those callers and later ones get PoolClosedError", async () => {
    const pool = createSolvePool({ size: 1, maxQueue: 1, deadlineMarginMs: 1000, workerUrl: standInWorkerUrl });
    const running = pool.solve(spinning, { timeLimitMs: 60_000 });
    await waitFor("the task to run", () => pool.stats().running === 1);
    const queued = pool.solve(tiny, { timeLimitMs: 5000 });
    const closing = pool.close({ graceMs: 200 });
    await expect(pool.solve(tiny, { timeLimitMs: 5000 })).rejects.toBeInstanceOf(PoolClosedError);
    await expect(running).rejects.toBeInstanceOf(PoolClosedError);
    await expect(queued).rejects.toBeInstanceOf(PoolClosedError);
    await closing;
    expect(pool.stats()).toMatchObject({ closed: true, running: 0, queued: 0 });
  });
});
