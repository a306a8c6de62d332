/** Shared set-up of the API tests: the real app over a real (or stub) pool, with a silent logger. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { pino, type Logger } from "pino";
import type { Express } from "express";
import { Plan } from "../models/index.ts";
import { createApp } from "../api/app.ts";
import { loadConfig, type ServiceConfig } from "../api/config.ts";
import { createServiceState, type ServiceState } from "../api/service-state.ts";
import { createSolvePool, type SolvePool } from "../src/runtime/solve-pool.ts";
import { SPIN_CUSTOMER } from "./api-stand-in-worker.ts";
import { projectRoot } from "./project-root.ts";

export const silentLogger: Logger = pino({ level: "silent" });

/** A logger whose JSON lines are kept in `lines`, to check what is (and is not) logged. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: pino({ level: "info" }, { write: (line: string) => void lines.push(line) }), lines };
}

export const standInWorkerUrl = new URL("./api-stand-in-worker.ts", import.meta.url);

export interface TestService {
  app: Express;
  pool: SolvePool;
  config: ServiceConfig;
  state: ServiceState;
  close(): Promise<void>;
}

/** The app with its own real pool (sized by the env, default 1 thread) running the stand-in worker. */
export function startService(env: Record<string, string> = {}, logger: Logger = silentLogger): TestService {
  const config = loadConfig({ ALLOT_POOL_SIZE: "1", LOG_LEVEL: "silent", ...env });
  const pool = createSolvePool({
    size: config.pool.size,
    maxQueue: config.pool.queueLength,
    deadlineMarginMs: config.pool.deadlineMarginMs,
    memoryBudgetBytes: config.memoryBudgetBytes,
    workerUrl: standInWorkerUrl,
  });
  const state = createServiceState();
  const app = createApp({ config, pool, logger, state });
  return { app, pool, config, state, close: () => pool.close({ graceMs: 0 }) };
}

/** The app over a pool that must never be reached (or over a given stub). */
export function appWithStubPool(env: Record<string, string> = {}, pool: SolvePool = unreachablePool(), logger: Logger = silentLogger) {
  const config = loadConfig({ ALLOT_POOL_SIZE: "1", LOG_LEVEL: "silent", ...env });
  const state = createServiceState();
  return { app: createApp({ config, pool, logger, state }), config, state };
}

export function unreachablePool(): SolvePool {
  const fail = () => Promise.reject(new Error("the pool was not supposed to be used"));
  return {
    solve: fail,
    report: fail,
    stats: () => ({ size: 1, maxQueue: 1, deadlineMarginMs: 0, memoryBudgetBytes: Infinity, memoryReservedBytes: 0, running: 0, queued: 0, completed: 0, deadlinesHit: 0, closed: false }),
    retryAfterSeconds: () => 1,
    close: () => Promise.resolve(),
  };
}

/** data/sample-book.json (300 customers, 12 reps) with its policy's timeLimitMs replaced. */
export function samplePlan(timeLimitMs: number): Plan {
  const plan = Plan.parse(JSON.parse(readFileSync(path.join(projectRoot, "data", "sample-book.json"), "utf8")));
  return { ...plan, policy: { ...plan.policy, timeLimitMs } };
}

/** A plan that makes the stand-in worker spin forever. */
export function spinningPlan(timeLimitMs: number) {
  return { customers: [{ id: SPIN_CUSTOMER, value: 1 }], reps: [{ id: "r1" }], policy: { timeLimitMs } };
}

export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 20));
  }
}
