import { describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { createSolvePool, PoolClosedError, PoolSaturatedError, TaskCancelledError } from "../src/runtime/solve-pool.ts";
import { spinningPlan, standInWorkerUrl, waitFor } from "./api-test-service.ts";
import { THREADS_CUSTOMER } from "./api-stand-in-worker.ts";
import { tinyPlan } from "./tiny-plan.ts";

const tiny = Plan.parse(tinyPlan);
const spinning = Plan.parse(spinningPlan(60_000));

describe("createSolvePool", () => {
  it("offers a solve a second thread only while another thread of the pool is idle (the portfolio)", { timeout: 60_000 }, async () => {
    const echo = Plan.parse({ ...tinyPlan, customers: [{ id: THREADS_CUSTOMER, value: 1 }, ...tinyPlan.customers], reps: [...tinyPlan.reps, { id: "r3", maxAccounts: 1 }] });
    const threadsOf = (outcome: { extra?: unknown }) => (outcome.extra as { threads: number }).threads;
    const pool = createSolvePool({ size: 2, maxQueue: 2, deadlineMarginMs: 1000, workerUrl: standInWorkerUrl });
    const single = createSolvePool({ size: 1, maxQueue: 1, deadlineMarginMs: 1000, workerUrl: standInWorkerUrl });
    const off = createSolvePool({ size: 2, maxQueue: 1, deadlineMarginMs: 1000, workerUrl: standInWorkerUrl, portfolio: false });
    try {
      expect(threadsOf(await pool.solve(echo, { timeLimitMs: 5_000 }))).toBe(2);
      expect(threadsOf(await single.solve(echo, { timeLimitMs: 5_000 }))).toBe(1);
      expect(threadsOf(await off.solve(echo, { timeLimitMs: 5_000 }))).toBe(1);
      // One thread busy: the next solve gets one.
      const caller = new AbortController();
      const busy = pool.solve(spinning, { timeLimitMs: 60_000, signal: caller.signal }).catch((error: unknown) => error);
      await waitFor("the spinning task to run", () => pool.stats().running === 1);
      expect(threadsOf(await pool.solve(echo, { timeLimitMs: 5_000 }))).toBe(1);
      caller.abort();
      expect(await busy).toBeInstanceOf(TaskCancelledError);
    } finally {
      await Promise.all([pool.close(), single.close(), off.close()]);
    }
  });

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
