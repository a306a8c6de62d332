/**
 * What carrying out due scheduled activations costs every read of the active plan
 * (`npx tsx bench/activation-check.ts`; docs/planner-control.md): `promoteDueActivations` with
 * nothing due (the cheap "is anything due?" read) and `activePlan()` (that read, then the plan's
 * row), on SQLite (a temporary file) and on PostgreSQL (a scratch database created for the run and
 * dropped after it: BENCH_DATABASE_URL, default ALLOT_TEST_DATABASE_URL or
 * postgres://postgres@127.0.0.1:5432/postgres). Then the same reads with one schedule due each time
 * (a version activated per call, audit included). Prints a table (median and p99 over BENCH_CALLS
 * calls, default 3,000; 200 warm-up calls first).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { Plan } from "../models/index.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import type { PlanStore } from "../src/storage/plan-store.ts";
import { openPostgresStore } from "../src/storage/postgres-store.ts";
import { openSqliteStore } from "../src/storage/sqlite-store.ts";
import { fixed } from "./table-format.ts";

const CALLS = Number(process.env.BENCH_CALLS ?? 3000);
const ADMIN = process.env.BENCH_DATABASE_URL ?? process.env.ALLOT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const who = { requestId: "bench", keyId: null };
const PLAN = Plan.parse({ customers: [{ id: "c1", value: 1 }], reps: [{ id: "r1", maxAccounts: 5 }] });

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function timed(calls: number, f: (i: number) => Promise<unknown>): Promise<{ median: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await f(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

async function rows(name: string, store: PlanStore, clock: { t: number }): Promise<string[]> {
  const solution = (await solvePlan(PLAN)).solution;
  const first = await store.savePlan({ label: "bench", plan: PLAN, solution }, who);
  await store.activatePlan(first.id, who);
  for (let i = 0; i < 200; i++) await store.promoteDueActivations();
  const idle = await timed(CALLS, () => store.promoteDueActivations());
  const active = await timed(CALLS, () => store.activePlan());
  // One schedule due per call: save versions, schedule each one millisecond apart, then move the clock past each in turn.
  const due = Math.min(200, CALLS);
  for (let i = 0; i < due; i++) {
    const v = await store.savePlan({ label: `bench ${i}`, plan: PLAN, solution }, who);
    await store.scheduleActivation(v.id, new Date(clock.t + 1000 + i).toISOString(), who, { requireApproval: false });
  }
  clock.t += 1000;
  const promoting = await timed(due, async () => {
    clock.t += 1;
    return store.activePlan();
  });
  const ms = (x: number) => `${fixed(x, 3)} ms`;
  return [
    `| ${name} | promoteDueActivations, nothing due | ${ms(idle.median)} | ${ms(idle.p99)} |`,
    `| ${name} | activePlan(), nothing due | ${ms(active.median)} | ${ms(active.p99)} |`,
    `| ${name} | activePlan(), one schedule due (carried out, audited) | ${ms(promoting.median)} | ${ms(promoting.p99)} |`,
  ];
}

const lines = ["| store | read | median | p99 |", "| --- | --- | --- | --- |"];
const dir = mkdtempSync(path.join(tmpdir(), "allot-bench-activation-"));
const sqliteClock = { t: Date.now() };
const sqlite = openSqliteStore(path.join(dir, "allot.db"), { now: () => sqliteClock.t });
try {
  lines.push(...(await rows("SQLite", sqlite, sqliteClock)));
} finally {
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
}

const database = `allot_bench_activation_${process.pid}`;
const admin = new pg.Client({ connectionString: ADMIN });
await admin.connect();
await admin.query(`CREATE DATABASE ${database}`);
try {
  const url = new URL(ADMIN);
  url.pathname = `/${database}`;
  const pgClock = { t: Date.now() };
  const store = await openPostgresStore(url.toString(), { poolSize: 2, now: () => pgClock.t });
  try {
    lines.push(...(await rows("PostgreSQL", store, pgClock)));
  } finally {
    await store.close();
  }
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.end();
}
console.log(lines.join("\n"));
