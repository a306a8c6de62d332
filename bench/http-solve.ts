/**
 * HTTP benchmark (`npm run --silent bench:http`): starts the service on loopback as a child process
 * (as `npm start` would), then measures with autocannon
 *   1. requests per second for small solves (a 20-customer book), and
 *   2. /healthz latency while every worker is busy with heavy solves (Chu & Beasley c20200 if the
 *      GAP instances are next to the project, else a 2,000-customer generated book).
 *   3. the 100,000 × 1,000 book sent gzipped to POST /v1/jobs of a service with its default
 *      settings, beside the CLI on the same book (big-book-job.ts; BENCH_BIG=0 skips it).
 * Prints tables. Settings: BENCH_SECONDS (default 10), ALLOT_POOL_SIZE (default: the cores).
 */
import { availableParallelism } from "node:os";
import autocannon from "autocannon";
import { generateBook } from "../data/book-generator.ts";
import { row, table } from "./latency-table.ts";
import { heavyPlan } from "./heavy-plan.ts";
import { bigBookRows, bigBookTable } from "./big-book-job.ts";
import { startServer } from "./loopback-server.ts";

const seconds = Number(process.env.BENCH_SECONDS ?? "10");
const poolSize = Number(process.env.ALLOT_POOL_SIZE ?? String(availableParallelism()));
/** Long enough to keep every thread busy for the whole saturated measurement. */
const HEAVY_TIME_LIMIT_MS = (Math.min(5, seconds) + 10) * 1000;



async function main(): Promise<void> {
  const small = generateBook({ seed: 3, customers: 20, reps: 4, territories: 2, policy: { timeLimitMs: 5000 } });
  const heavy = heavyPlan(HEAVY_TIME_LIMIT_MS);
  const server = await startServer({
    ALLOT_POOL_SIZE: String(poolSize),
    ALLOT_QUEUE_LENGTH: String(4 * poolSize),
    ALLOT_MAX_TIME_LIMIT_MS: String(HEAVY_TIME_LIMIT_MS),
    ALLOT_DEADLINE_MARGIN_MS: "2000",
  });
  const rows: string[][] = [];
  try {
    const solveUrl = `${server.base}/v1/solve`;
    const json = { "content-type": "application/json" };
    // Warm-up: every thread has loaded the engine and HiGHS.
    await Promise.all(Array.from({ length: poolSize }, () => fetch(solveUrl, { method: "POST", headers: json, body: JSON.stringify(small) })));

    const idleHealth = await autocannon({ url: `${server.base}/healthz`, connections: 10, duration: Math.min(5, seconds) });
    rows.push(row("GET /healthz, idle pool", idleHealth));

    const smallSolves = await autocannon({ url: solveUrl, method: "POST", headers: json, body: JSON.stringify(small), connections: 2 * poolSize, duration: seconds });
    rows.push(row(`POST /v1/solve, 20 customers × 4 reps (${2 * poolSize} connections)`, smallSolves));

    // Saturate: one heavy solve per thread plus a full queue.
    const heavyBody = JSON.stringify(heavy.plan);
    const heavyCount = poolSize + 4 * poolSize;
    const heavyRuns = Array.from({ length: heavyCount }, () => fetch(solveUrl, { method: "POST", headers: json, body: heavyBody }).then((r) => r.status));
    for (;;) {
      const ready = (await (await fetch(`${server.base}/readyz`)).json()) as { pool: { running: number } };
      if (ready.pool.running === poolSize) break;
      await new Promise((wake) => setTimeout(wake, 100));
    }
    const busyHealth = await autocannon({ url: `${server.base}/healthz`, connections: 10, duration: Math.min(5, seconds) });
    rows.push(row(`GET /healthz, all ${poolSize} workers busy (${heavy.name})`, busyHealth));
    const refused = await autocannon({ url: solveUrl, method: "POST", headers: json, body: JSON.stringify(small), connections: 4, amount: 200 });
    rows.push(row("POST /v1/solve while the queue is full (503s)", refused));

    process.stdout.write(`\nAllot HTTP benchmark: pool ${poolSize} thread(s), node ${process.version}, ${availableParallelism()} core(s), ${seconds} s per run\n\n`);
    process.stdout.write(`${table(rows)}\n\n`);
    // Shutting down (grace 0) stops the heavy solves: they are answered 503 and not waited for.
    await server.stop();
    await Promise.all(heavyRuns.map((p) => p.catch(() => 0)));
  } finally {
    await server.stop();
  }
  if (process.env.BENCH_BIG !== "0") {
    const big = await bigBookRows();
    process.stdout.write(`${bigBookTable(big)}\n\n${big.note}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:http failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
