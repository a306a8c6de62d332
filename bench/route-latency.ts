/**
 * Live-routing benchmark (`npm run --silent bench:route`): POST /v1/route through the real service
 * on loopback (child processes as `npm start` would run them, logging at info), side by side on
 * - SQLite, one API process (its own temporary file);
 * - PostgreSQL, one API process, then two API processes on the same database (the load split
 *   between them as a load balancer would), on a scratch database created for the run and dropped
 *   after it (BENCH_DATABASE_URL, default ALLOT_TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres).
 * Each saves and activates a generated book of 1,000 reps through the API, then autocannon sends
 * distinct new customers (copies of book customers under new ids, so territories, segments, needs
 * and values are realistic): routes per second and latency (median, p99) with one connection, with
 * several, and with an Idempotency-Key on every call. After the runs it checks the database: no rep
 * over its maxAccounts, no customer routed twice.
 *
 * A second table compares the two ways the PostgreSQL store keeps concurrent routings apart
 * (src/storage/postgres-live-routing.ts): row locks and SERIALIZABLE with retries, calling the
 * store directly from two connection pools (two instances) with several callers each.
 *
 * Prints both tables and writes them into bench/README.md (its own section).
 * Settings: BENCH_SECONDS (default 10 per run), BENCH_CUSTOMERS (customers in the saved plan,
 * default 20,000; the plan is solved before it is activated, once per store), BENCH_CONNECTIONS
 * (default 10, split over the processes); ALLOT_DB_SYNCHRONOUS=normal measures SQLite's cheaper
 * durability setting.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import path from "node:path";
import autocannon, { type Result } from "autocannon";
import Database from "better-sqlite3";
import pg from "pg";
import { generateBook } from "../data/book-generator.ts";
import { PlanVersion, type Customer, type Plan } from "../models/index.ts";
import { buildRoutingContext, chooseRep, rankCandidates } from "../src/routing/live-routing.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import type { RouteLocking } from "../src/storage/postgres-live-routing.ts";
import { openPostgresStore, type PostgresStore } from "../src/storage/postgres-store.ts";
import { createTestDatabase, dropTestDatabases } from "../test/postgres-test-database.ts";
import { projectRoot, startServer, type LoopbackServer } from "./loopback-server.ts";
import { writeSection } from "./readme-section.ts";
import { alignedTable, fixed } from "./table-format.ts";

declare module "autocannon" {
  interface RequestParams {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }
  interface Options {
    requests?: (RequestParams & { setupRequest?: (request: RequestParams) => RequestParams })[];
  }
}

const seconds = Number(process.env.BENCH_SECONDS ?? "10");
const planCustomers = Number(process.env.BENCH_CUSTOMERS ?? "20000");
const connections = Number(process.env.BENCH_CONNECTIONS ?? "10");
if (process.env.BENCH_DATABASE_URL !== undefined) process.env.ALLOT_TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;
const REPS = 1000;
const SOLVE_LIMIT_MS = 120_000;

/** Distinct new customers: the book's customers in turn, each time under a new id and without a current rep. */
function leadMaker(templates: readonly Customer[], prefix: string, idempotent: boolean) {
  let n = 0;
  return (request: { method?: string; path?: string; headers?: Record<string, string>; body?: string }) => {
    n += 1;
    const { currentRep: _owner, ...template } = templates[n % templates.length] ?? { id: "x", value: 1 };
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (idempotent) headers["idempotency-key"] = `${prefix}-${n}`;
    return { ...request, method: "POST", path: "/v1/route", headers, body: JSON.stringify({ customer: { ...template, id: `${prefix}-${n}` } }) };
  };
}

const HEADER = ["store, API processes", "load", "routes/s", "p50 ms", "p99 ms", "max ms", "routed (2xx)", "other"];

/** One load run against every server at once (the connections split between them); one row of figures. */
async function measure(servers: LoopbackServer[], label: string, load: string, templates: readonly Customer[], prefix: string, conns: number, idempotent: boolean): Promise<string[]> {
  const per = Math.max(1, Math.round(conns / servers.length));
  const runs = await Promise.all(
    servers.map((s, i) =>
      autocannon({ url: s.base, connections: per, duration: seconds, skipAggregateResult: true, requests: [{ setupRequest: leadMaker(templates, `${prefix}-${i}`, idempotent) }] }),
    ),
  );
  const merged: Result = autocannon.aggregateResult(runs, { url: servers[0]?.base ?? "", connections: per * servers.length });
  const ok = runs.reduce((sum, r) => sum + r["2xx"], 0);
  const other = runs.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0);
  return [label, load, fixed(ok / seconds, 0), fixed(merged.latency.p50, 1), fixed(merged.latency.p99, 1), fixed(merged.latency.max, 1), String(ok), String(other)];
}

async function saveAndActivate(base: string, book: Plan): Promise<{ plan: PlanVersion; solveSeconds: number }> {
  const json = { "content-type": "application/json" };
  const start = performance.now();
  const saved = await fetch(`${base}/v1/plans`, { method: "POST", headers: json, body: JSON.stringify({ label: "bench", plan: book }) });
  const solveSeconds = (performance.now() - start) / 1000;
  if (saved.status !== 200) throw new Error(`saving the plan failed: ${saved.status} ${await saved.text()}`);
  const plan = PlanVersion.parse(await saved.json());
  const activated = await fetch(`${base}/v1/plans/${plan.id}/activate`, { method: "POST" });
  if (activated.status !== 200) throw new Error(`the plan (${plan.status}) could not be activated: ${await activated.text()}`);
  return { plan, solveSeconds };
}

/** The loads of one configuration (after a warm-up): 1 connection (one process only), several, several with Idempotency-Key. */
async function runLoads(servers: LoopbackServer[], label: string, templates: readonly Customer[], prefix: string): Promise<string[][]> {
  // Warm-up: builds each process's routing context, warms the JIT and the connection pools.
  await Promise.all(servers.map((s, i) => autocannon({ url: s.base, connections: 1, amount: 300, requests: [{ setupRequest: leadMaker(templates, `${prefix}-warm-${i}`, false) }] })));
  return [
    ...(servers.length === 1 ? [await measure(servers, label, "1 connection", templates, `${prefix}-one`, 1, false)] : []),
    await measure(servers, label, `${connections} connections`, templates, `${prefix}-many`, connections, false),
    await measure(servers, label, `${connections} connections + Idempotency-Key`, templates, `${prefix}-keyed`, connections, true),
  ];
}

interface Integrity {
  routed: number;
  unassigned: number;
  duplicates: number;
  overfilled: number;
}

function sqliteIntegrity(file: string, book: Plan): Integrity {
  const db = new Database(file, { readonly: true });
  try {
    const counts = db.prepare("SELECT count(rep_id) AS routed, count(*) - count(rep_id) AS unassigned, count(*) - count(DISTINCT customer_id) AS duplicates FROM assignments WHERE source = 'routed'").get() as Omit<Integrity, "overfilled">;
    const loads = db.prepare("SELECT l.rep_id AS rep, l.accounts AS accounts FROM rep_loads l JOIN plans p ON p.seq = l.plan_seq WHERE p.state = 'active'").all() as { rep: string; accounts: number }[];
    return { ...counts, overfilled: overfilledReps(loads, book) };
  } finally {
    db.close();
  }
}

async function postgresIntegrity(url: string, book: Plan): Promise<Integrity> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const counts = (await client.query<Omit<Integrity, "overfilled">>(
      "SELECT count(rep_id)::int AS routed, (count(*) - count(rep_id))::int AS unassigned, (count(*) - count(DISTINCT customer_id))::int AS duplicates FROM assignments WHERE source = 'routed'",
    )).rows[0] ?? { routed: 0, unassigned: 0, duplicates: 0 };
    const loads = (await client.query<{ rep: string; accounts: number }>("SELECT l.rep_id AS rep, l.accounts FROM rep_loads l JOIN plans p ON p.seq = l.plan_seq WHERE p.state = 'active'")).rows;
    return { ...counts, overfilled: overfilledReps(loads, book) };
  } finally {
    await client.end();
  }
}

function overfilledReps(loads: readonly { rep: string; accounts: number }[], book: Plan): number {
  const limit = new Map(book.reps.map((r) => [r.id, r.maxAccounts ?? Infinity] as const));
  return loads.filter((l) => l.accounts > (limit.get(l.rep) ?? Infinity)).length;
}

/** route() straight on the store: 2 pools (instances) × `callers` each, for `ms`; routes/s and latency per call. */
async function lockingRun(locking: RouteLocking, callers: number, plan: Plan, ms: number): Promise<string[]> {
  const url = await createTestDatabase();
  const stores: PostgresStore[] = [];
  try {
    for (let i = 0; i < 2; i++) stores.push(await openPostgresStore(url, { poolSize: callers, routeLocking: locking }));
    const [first] = stores;
    if (first === undefined) throw new Error("no store");
    const { solution } = await solvePlan(plan);
    const version = await first.savePlan({ label: "locking", plan, solution }, { requestId: "bench", keyId: null });
    await first.activatePlan(version.id, { requestId: "bench", keyId: null });
    const ctx = buildRoutingContext(version.id, plan);
    const latencies: number[] = [];
    let n = 0;
    const until = performance.now() + ms;
    const caller = async (store: PostgresStore) => {
      while (performance.now() < until) {
        n += 1;
        const { currentRep: _owner, ...template } = plan.customers[n % plan.customers.length] ?? { id: "x", value: 1 };
        const customer = { ...template, id: `${locking}-${n}` };
        const ranking = rankCandidates(ctx, customer);
        const start = performance.now();
        await store.route({ planId: version.id, customerId: customer.id, reps: ranking.candidates.map((c) => c.rep.id), decide: (l, t) => chooseRep(ctx, ranking, l, t), audit: { requestId: "bench", keyId: null } });
        latencies.push(performance.now() - start);
      }
    };
    await Promise.all(stores.flatMap((s) => Array.from({ length: callers }, () => caller(s))));
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    const integrity = await postgresIntegrity(url, plan);
    return [locking, `2 × ${callers}`, fixed(latencies.length / (ms / 1000), 0), fixed(at(0.5), 1), fixed(at(0.99), 1), fixed(latencies.at(-1) ?? 0, 1), String(latencies.length), `${integrity.overfilled} / ${integrity.duplicates}`];
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
}

async function main(): Promise<void> {
  const started = new Date();
  const book = generateBook({ seed: 11, customers: planCustomers, reps: REPS, territories: 40, workloads: false, capacitySlack: 10, policy: { timeLimitMs: SOLVE_LIMIT_MS } });
  const limits = { ALLOT_MAX_TIME_LIMIT_MS: String(SOLVE_LIMIT_MS), ALLOT_DEFAULT_TIME_LIMIT_MS: String(SOLVE_LIMIT_MS) };
  const rows: string[][] = [];
  const notes: string[] = [];

  // SQLite, one process.
  const dir = mkdtempSync(path.join(tmpdir(), "allot-bench-route-"));
  const dbPath = path.join(dir, "allot.db");
  const sqliteServer = await startServer({ ALLOT_DB_PATH: dbPath, ...limits });
  try {
    const { plan, solveSeconds } = await saveAndActivate(sqliteServer.base, book);
    notes.push(`plan solved (${plan.status}) and saved in ${fixed(solveSeconds, 1)} s on SQLite`);
    rows.push(...(await runLoads([sqliteServer], `SQLite (synchronous=${process.env.ALLOT_DB_SYNCHRONOUS ?? "full"}), 1 process`, book.customers, "sqlite")));
  } finally {
    await sqliteServer.stop();
  }
  const sqliteCheck = sqliteIntegrity(dbPath, book);
  rmSync(dir, { recursive: true, force: true });

  // PostgreSQL: one process, then two on the same database.
  const url = await createTestDatabase();
  const pgEnv = { ALLOT_DB_PATH: "", ALLOT_DATABASE_URL: url, ...limits };
  const first = await startServer(pgEnv);
  const servers = [first];
  try {
    const { solveSeconds } = await saveAndActivate(first.base, book);
    notes.push(`${fixed(solveSeconds, 1)} s on PostgreSQL`);
    rows.push(...(await runLoads([first], "PostgreSQL, 1 process", book.customers, "pg1")));
    servers.push(await startServer(pgEnv));
    rows.push(...(await runLoads(servers, "PostgreSQL, 2 processes", book.customers, "pg2")));
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  const postgresCheck = await postgresIntegrity(url, book);

  const lockPlan = generateBook({ seed: 12, customers: 2_000, reps: 100, territories: 10, workloads: false, capacitySlack: 10 });
  const lockMs = Math.max(1, seconds / 2) * 1000;
  const lockRows: string[][] = [];
  for (const callers of [1, 8]) for (const locking of ["row-locks", "serializable"] as const) lockRows.push(await lockingRun(locking, callers, lockPlan, lockMs));
  await dropTestDatabases();

  const machine = `${availableParallelism()} cores (${cpus()[0]?.model ?? "unknown CPU"}) shared by the servers, PostgreSQL and the load generator, node ${process.version}`;
  const checks = (name: string, c: Integrity) => `${name}: ${c.routed} routed and ${c.unassigned} unassigned recorded, ${c.duplicates} customers twice, ${c.overfilled} reps over maxAccounts`;
  const markdown = [
    "### Live routing (`npm run bench:route`)",
    "",
    `- Date: ${started.toISOString()}; ${machine}.`,
    `- Command: \`BENCH_SECONDS=${seconds} BENCH_CUSTOMERS=${planCustomers} BENCH_CONNECTIONS=${connections} npm run --silent bench:route\`; ${REPS} reps × ${planCustomers} customers in the active plan (40 territories); ${notes.join(", ")}.`,
    `- POST /v1/route, every call a new customer, ${seconds} s per row; the connections are split evenly over the processes; latency per request as the client sees it (autocannon counts whole milliseconds: 0.0 is under 1 ms).`,
    "",
    alignedTable(HEADER, rows),
    "",
    `After the runs: ${checks("SQLite", sqliteCheck)}; ${checks("PostgreSQL", postgresCheck)}.`,
    "",
    `How concurrent routings are kept apart on PostgreSQL (src/storage/postgres-live-routing.ts): route() called on the store by 2 connection pools (instances) with 1 or 8 callers each, ${fixed(lockMs / 1000, 0)} s per row, one plan of 100 reps × 2,000 customers, every call a new customer.`,
    "",
    alignedTable(["locking", "callers", "routes/s", "p50 ms", "p99 ms", "max ms", "routings", "overfilled reps / customers twice"], lockRows),
  ].join("\n");
  process.stdout.write(`\n${markdown}\n`);
  writeSection(path.join(projectRoot, "bench", "README.md"), "route", markdown);
  process.stdout.write("\n(written into bench/README.md)\n");
}

main().catch(async (error: unknown) => {
  process.stderr.write(`bench:route failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await dropTestDatabases().catch(() => undefined);
  process.exit(1);
});
