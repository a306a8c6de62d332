/**
 * Mixed-load benchmark (`npm run --silent bench:load`): the real service on loopback, a mixed
 * workload — small solves, validations, single-lead routes and health checks — at increasing
 * concurrency, then /healthz latency while heavy solves hold every worker. Prints, per level and
 * endpoint: throughput, p50/p99 latency, 503 refusals and errors. Bounded in time: BENCH_SECONDS
 * per level (default 5).
 */
import { availableParallelism } from "node:os";
import autocannon, { type Result } from "autocannon";
import { generateBook } from "../data/book-generator.ts";
import type { Customer } from "../models/index.ts";
import { heavyPlan } from "./heavy-plan.ts";
import { alignedTable, fixed } from "./table-format.ts";
import { startServer } from "./loopback-server.ts";

const seconds = Number(process.env.BENCH_SECONDS ?? "5");
const levels = (process.env.BENCH_LEVELS ?? "4,16,64").split(",").map(Number);
const poolSize = availableParallelism();
const HEAVY_LIMIT_MS = (seconds + 10) * 1000;
const json = { "content-type": "application/json" };

const small = generateBook({ seed: 3, customers: 20, reps: 4, territories: 2, policy: { timeLimitMs: 5000 } });
const book = generateBook({ seed: 9, customers: 2000, reps: 100, territories: 8, policy: { timeLimitMs: 30_000 } });

/** Distinct new leads, shaped like the book's customers, for POST /v1/route. */
function leads(templates: readonly Customer[], prefix: string) {
  let n = 0;
  return (req: { method?: string; path?: string; headers?: Record<string, string>; body?: string }) => {
    n += 1;
    const { currentRep: _owner, ...template } = templates[n % templates.length] ?? { id: "x", value: 1 };
    return { ...req, method: "POST", path: "/v1/route", headers: json, body: JSON.stringify({ customer: { ...template, id: `${prefix}-${n}` } }) };
  };
}

function line(level: number, endpoint: string, r: Result): string[] {
  const refused = r.statusCodeStats["503"]?.count ?? 0;
  const other = r.non2xx - refused + r.errors + r.timeouts;
  return [`${level} conns: ${endpoint}`, fixed(r.requests.average, 1), fixed(r.latency.p50, 1), fixed(r.latency.p99, 1), String(r["2xx"]), String(refused), String(other)];
}

async function main(): Promise<void> {
  const server = await startServer({ ALLOT_POOL_SIZE: String(poolSize), ALLOT_QUEUE_LENGTH: String(4 * poolSize), ALLOT_MAX_TIME_LIMIT_MS: String(Math.max(30_000, HEAVY_LIMIT_MS)), ALLOT_DEADLINE_MARGIN_MS: "2000" });
  const rows: string[][] = [];
  try {
    // An active plan for routing (solved once, up front).
    const saved = await fetch(`${server.base}/v1/plans`, { method: "POST", headers: json, body: JSON.stringify({ label: "load bench", plan: book }) });
    const id = ((await saved.json()) as { id?: string }).id;
    if (id === undefined) throw new Error(`saving the routing plan failed (${saved.status})`);
    const activated = await fetch(`${server.base}/v1/plans/${id}/activate`, { method: "POST" });
    if (!activated.ok) throw new Error(`activating the routing plan failed (${activated.status})`);

    process.stderr.write("routing plan active; measuring levels\n");
    for (const level of levels) {
      process.stderr.write(`level ${level}\n`);
      const share = Math.max(1, Math.floor(level / 4));
      const [solve, validate, route, health] = await Promise.all([
        autocannon({ url: `${server.base}/v1/solve`, method: "POST", headers: json, body: JSON.stringify(small), connections: share, duration: seconds }),
        autocannon({ url: `${server.base}/v1/validate`, method: "POST", headers: json, body: JSON.stringify(book), connections: share, duration: seconds }),
        autocannon({ url: server.base, connections: share, duration: seconds, requests: [{ setupRequest: leads(book.customers, `lead-${level}`) }] }),
        autocannon({ url: `${server.base}/healthz`, connections: share, duration: seconds }),
      ]);
      rows.push(line(level, "POST /v1/solve (20×4)", solve), line(level, "POST /v1/validate (2000×100)", validate), line(level, "POST /v1/route", route), line(level, "GET /healthz", health));
    }

    process.stderr.write("saturating the pool\n");
    // Heavy solves on every thread, queue full: how does /healthz fare?
    const heavy = heavyPlan(HEAVY_LIMIT_MS);
    const heavyRuns = Array.from({ length: 5 * poolSize }, () => fetch(`${server.base}/v1/solve`, { method: "POST", headers: json, body: JSON.stringify(heavy.plan) }).catch(() => undefined));
    const waitUntil = performance.now() + 20_000;
    while (performance.now() < waitUntil) {
      const ready = (await (await fetch(`${server.base}/readyz`)).json()) as { pool: { running: number } };
      if (ready.pool.running === poolSize) break;
      await new Promise((wake) => setTimeout(wake, 100));
    }
    const busy = await autocannon({ url: `${server.base}/healthz`, connections: 10, duration: seconds });
    rows.push(line(10, `GET /healthz, all ${poolSize} workers on ${heavy.name}`, busy));

    process.stdout.write(`\nAllot mixed load: pool ${poolSize} thread(s), node ${process.version}, ${availableParallelism()} core(s), ${seconds} s per level\n\n`);
    process.stdout.write(`${alignedTable(["level: endpoint", "req/s", "p50 ms", "p99 ms", "2xx", "503", "errors"], rows)}\n\n`);
    await server.stop();
    await Promise.all(heavyRuns);
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:load failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
