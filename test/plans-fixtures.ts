/**
 * Shared set-up of the saved-plan, routing, idempotency and storage suites: the real app over a
 * pool that solves in-process with the real engine (no worker threads, so suites stay fast), with
 * an optional gate that holds solves until released, and small hand-built plans.
 */
import type { Express } from "express";
import type { Logger } from "pino";
import { createApp, type AppDeps } from "../api/app.ts";
import { loadConfig, type ServiceConfig } from "../api/config.ts";
import { Plan, type Solution } from "../models/index.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import type { PoolSolveOutcome, SolvePool } from "../src/runtime/solve-pool.ts";
import { openSqliteStore, type SqliteStore } from "../src/storage/sqlite-store.ts";
import { silentLogger } from "./api-test-service.ts";

export interface InProcessPool extends SolvePool {
  /** How many solves were started. */
  readonly solves: number;
  /** Holds every solve started from now on until `release()`. */
  hold(): void;
  release(): void;
}

/** A SolvePool that runs the real engine on the calling thread. */
export function inProcessPool(): InProcessPool {
  let solves = 0;
  let gate: Promise<void> | null = null;
  let open: (() => void) | null = null;
  return {
    get solves() {
      return solves;
    },
    hold() {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    release() {
      open?.();
      gate = null;
      open = null;
    },
    async solve(plan, { timeLimitMs }): Promise<PoolSolveOutcome> {
      solves += 1;
      if (gate !== null) await gate;
      const { solution, timings } = await solvePlan(plan, { timeLimitMs });
      return {
        status: solution.status,
        backend: solution.solver.backend,
        gap: solution.gap,
        solutionJson: JSON.stringify(solution),
        deadlineHit: false,
        timings: { queueMs: 0, runMs: timings.totalMs, engineMs: timings.totalMs, solverMs: timings.solveMs },
      };
    },
    report: () => Promise.reject(new Error("not used by these suites")),
    stats: () => ({ size: 1, maxQueue: 10, deadlineMarginMs: 0, memoryBudgetBytes: Infinity, memoryReservedBytes: 0, running: 0, queued: 0, completed: solves, deadlinesHit: 0, closed: false }),
    retryAfterSeconds: () => 1,
    close: () => Promise.resolve(),
  };
}

/** What the app keeps its state in (SQLite unless a test passes another store). */
export type AppStore = NonNullable<AppDeps["store"]>;

export interface PlansService<S extends AppStore = SqliteStore> {
  app: Express;
  store: S;
  pool: InProcessPool;
  config: ServiceConfig;
}

/** The app over an in-process pool and its own store (SQLite in memory unless `store` is given). */
export function plansService<S extends AppStore>(options: { env?: Record<string, string>; store: S; logger?: Logger }): PlansService<S>;
export function plansService(options?: { env?: Record<string, string>; store?: SqliteStore; logger?: Logger }): PlansService;
export function plansService(options: { env?: Record<string, string>; store?: AppStore; logger?: Logger } = {}): PlansService<AppStore> {
  const config = loadConfig({ ALLOT_POOL_SIZE: "1", LOG_LEVEL: "silent", ...options.env });
  const store = options.store ?? openSqliteStore(":memory:");
  const pool = inProcessPool();
  const app = createApp({ config, pool, logger: options.logger ?? silentLogger, store });
  return { app, store, pool, config };
}

/**
 * Four customers, two reps with two seats each, external scores: the optimum puts c1, c2 with r1
 * and c3, c4 with r2 (objective 10 + 9 + 8 + 7 = 34).
 */
export const PLAN_A = Plan.parse({
  customers: [
    { id: "c1", value: 100 },
    { id: "c2", value: 200 },
    { id: "c3", value: 300 },
    { id: "c4", value: 400 },
  ],
  reps: [
    { id: "r1", maxAccounts: 2 },
    { id: "r2", maxAccounts: 2 },
  ],
  pairs: [
    { customer: "c1", rep: "r1", score: 10 },
    { customer: "c1", rep: "r2", score: 1 },
    { customer: "c2", rep: "r1", score: 9 },
    { customer: "c2", rep: "r2", score: 2 },
    { customer: "c3", rep: "r1", score: 1 },
    { customer: "c3", rep: "r2", score: 8 },
    { customer: "c4", rep: "r1", score: 1 },
    { customer: "c4", rep: "r2", score: 7 },
  ],
});

/**
 * PLAN_A a quarter later: c4 gone, c5 new, r1 down to one seat, r3 hired. The optimum keeps c1
 * with r1 (10 + 6 beats 9 + 3), moves c2 to r3, keeps c3 with r2 and gives c5 to r3: 29.
 */
export const PLAN_B = Plan.parse({
  customers: [
    { id: "c1", value: 100 },
    { id: "c2", value: 200 },
    { id: "c3", value: 300 },
    { id: "c5", value: 500 },
  ],
  reps: [
    { id: "r1", maxAccounts: 1 },
    { id: "r2", maxAccounts: 2 },
    { id: "r3", maxAccounts: 2 },
  ],
  pairs: [
    { customer: "c1", rep: "r1", score: 10 },
    { customer: "c1", rep: "r2", score: 1 },
    { customer: "c1", rep: "r3", score: 3 },
    { customer: "c2", rep: "r1", score: 9 },
    { customer: "c2", rep: "r2", score: 2 },
    { customer: "c2", rep: "r3", score: 6 },
    { customer: "c3", rep: "r1", score: 1 },
    { customer: "c3", rep: "r2", score: 8 },
    { customer: "c3", rep: "r3", score: 1 },
    { customer: "c5", rep: "r2", score: 4 },
    { customer: "c5", rep: "r3", score: 5 },
  ],
});

/** Three customers, one rep with one seat and no unassignment allowed: infeasible. */
export const INFEASIBLE_PLAN = Plan.parse({
  customers: [
    { id: "x1", value: 1 },
    { id: "x2", value: 1 },
  ],
  reps: [{ id: "solo", maxAccounts: 1 }],
});

/**
 * A routing book: hard territories, a seniority rule (value ≥ 500 needs seniority ≥ 2), no history
 * (conversion 1) and a specialty bonus of 0.5, so a new customer's expected value is
 * value × (1 + 0.5 × share of its needs the rep has). Its own two customers are locked: r2 and r3
 * start with one account each.
 */
export const ROUTING_PLAN = Plan.parse({
  customers: [
    { id: "n1", value: 100, territory: "north" },
    { id: "s1", value: 100, territory: "south" },
  ],
  reps: [
    { id: "r1", territories: ["north"], specialties: ["x", "y"], seniority: 3, maxAccounts: 1 },
    { id: "r2", territories: ["north"], seniority: 1, maxAccounts: 5 },
    { id: "r3", territories: ["south"], specialties: ["x", "y"], seniority: 3, maxAccounts: 5 },
    { id: "r4", territories: ["north"], specialties: ["x"], seniority: 3, maxAccounts: 5 },
    { id: "r5", territories: ["north"], specialties: ["x", "y"], seniority: 3, maxAccounts: 5, available: false },
  ],
  policy: {
    territory: "hard",
    specialtyBonus: 0.5,
    seniority: [{ minValue: 500, minSeniority: 2 }],
    locks: [
      { customer: "n1", rep: "r2" },
      { customer: "s1", rep: "r3" },
    ],
  },
});

/** A POST /v1/route body for ROUTING_PLAN: a north customer worth 1000 who needs x and y, plus `extra` fields. */
export const lead = (id: string, extra: Record<string, unknown> = {}) => ({ customer: { id, value: 1000, territory: "north", needs: ["x", "y"], ...extra } });

/** Solves a plan in-process and returns its Solution. */
export async function solved(plan: Plan): Promise<Solution> {
  return (await solvePlan(plan)).solution;
}
