/**
 * Live-routing benchmark (`npm run --silent bench:route`): starts the service on loopback as a child
 * process (as `npm start` would, logging at info, with its own temporary database), saves and
 * activates a generated book of 1,000 reps through the API, then measures POST /v1/route with
 * autocannon, every request a distinct new customer (a copy of a book customer under a new id, so
 * territories, segments, needs and values are realistic): latency (median, p99) and throughput with
 * one connection and with several, and with an Idempotency-Key on every call. Prints a table.
 *
 * Settings: BENCH_SECONDS (default 10 per run), BENCH_CUSTOMERS (customers in the saved plan,
 * default 20,000; the plan is solved before it is activated, so this also sets the set-up time),
 * BENCH_CONNECTIONS (default 10); ALLOT_DB_SYNCHRONOUS=normal measures the cheaper durability setting.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { generateBook } from "../data/book-generator.ts";
import { PlanVersion, type Customer } from "../models/index.ts";
import { row, table } from "./latency-table.ts";
import { fixed } from "./table-format.ts";
import { startServer } from "./loopback-server.ts";

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

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "allot-bench-route-"));
  const dbPath = path.join(dir, "allot.db");
  const book = generateBook({ seed: 11, customers: planCustomers, reps: REPS, territories: 40, workloads: false, capacitySlack: 10, policy: { timeLimitMs: SOLVE_LIMIT_MS } });
  const server = await startServer({
    ALLOT_DB_PATH: dbPath,
    ALLOT_MAX_TIME_LIMIT_MS: String(SOLVE_LIMIT_MS),
    ALLOT_DEFAULT_TIME_LIMIT_MS: String(SOLVE_LIMIT_MS),
  });
  const rows: string[][] = [];
  let solveSeconds = 0;
  let status = "";
  try {
    const json = { "content-type": "application/json" };
    const solveStart = performance.now();
    const saved = await fetch(`${server.base}/v1/plans`, { method: "POST", headers: json, body: JSON.stringify({ label: "bench", plan: book }) });
    solveSeconds = (performance.now() - solveStart) / 1000;
    if (saved.status !== 200) throw new Error(`saving the plan failed: ${saved.status} ${await saved.text()}`);
    const plan = PlanVersion.parse(await saved.json());
    status = plan.status;
    const activated = await fetch(`${server.base}/v1/plans/${plan.id}/activate`, { method: "POST" });
    if (activated.status !== 200) throw new Error(`the plan (${plan.status}) could not be activated: ${await activated.text()}`);

    const url = server.base;
    // Warm-up (builds the routing context, warms the JIT).
    await autocannon({ url, connections: 1, amount: 300, requests: [{ setupRequest: leadMaker(book.customers, "warm", false) }] });

    const single = await autocannon({ url, connections: 1, duration: seconds, requests: [{ setupRequest: leadMaker(book.customers, "one", false) }] });
    rows.push(row("POST /v1/route, 1 connection", single));
    const many = await autocannon({ url, connections, duration: seconds, requests: [{ setupRequest: leadMaker(book.customers, "many", false) }] });
    rows.push(row(`POST /v1/route, ${connections} connections`, many));
    const keyed = await autocannon({ url, connections, duration: seconds, requests: [{ setupRequest: leadMaker(book.customers, "keyed", true) }] });
    rows.push(row(`POST /v1/route + Idempotency-Key, ${connections} connections`, keyed));
  } finally {
    await server.stop();
  }

  const db = new Database(dbPath, { readonly: true });
  const counts = db.prepare("SELECT count(rep_id) AS routed, count(*) - count(rep_id) AS unassigned FROM assignments WHERE source = 'routed'").get();
  const loads = db
    .prepare("SELECT l.rep_id AS rep, l.accounts AS accounts FROM rep_loads l JOIN plans p ON p.seq = l.plan_seq WHERE p.state = 'active'")
    .all()
    .map((r) => (typeof r === "object" && r !== null && "rep" in r && "accounts" in r ? { rep: String(r.rep), accounts: Number(r.accounts) } : { rep: "", accounts: 0 }));
  const limit = new Map(book.reps.map((r) => [r.id, r.maxAccounts ?? Infinity] as const));
  const overfilled = loads.filter((l) => l.accounts > (limit.get(l.rep) ?? Infinity)).length;
  db.close();
  rmSync(dir, { recursive: true, force: true });

  process.stdout.write(
    `\nAllot live-routing benchmark: ${REPS} reps × ${planCustomers} customers in the active plan (40 territories), ` +
      `SQLite synchronous=${process.env.ALLOT_DB_SYNCHRONOUS ?? "full"}, node ${process.version}, ${availableParallelism()} core(s) shared by server and load generator, ` +
      `${seconds} s per run; plan solved (${status}) and saved in ${fixed(solveSeconds, 1)} s\n\n`,
  );
  process.stdout.write(`${table(rows)}\n\n`);
  process.stdout.write(`routed customers recorded: ${JSON.stringify(counts)}; reps over maxAccounts: ${overfilled}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:route failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
