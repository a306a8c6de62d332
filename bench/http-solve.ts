/**
 * HTTP benchmark (`npm run --silent bench:http`): starts the service on loopback as a child process
 * (as `npm start` would), then measures with autocannon
 *   1. requests per second for small solves (a 20-customer book), and
 *   2. /healthz latency while every worker is busy with heavy solves (Chu & Beasley c20200 if the
 *      GAP instances are next to the project, else a 2,000-customer generated book).
 * Prints a table. Settings: BENCH_SECONDS (default 10), ALLOT_POOL_SIZE (default: the cores).
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon, { type Result } from "autocannon";
import { generateBook } from "../data/book-generator.ts";
import type { Plan } from "../models/index.ts";
import { gapToPlan, parseGapInstance } from "../src/gap-instance.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const seconds = Number(process.env.BENCH_SECONDS ?? "10");
const poolSize = Number(process.env.ALLOT_POOL_SIZE ?? String(availableParallelism()));
/** Long enough to keep every thread busy for the whole saturated measurement. */
const HEAVY_TIME_LIMIT_MS = (Math.min(5, seconds) + 10) * 1000;

function heavyPlan(): { name: string; plan: Plan } {
  const gap = path.resolve(root, "..", "shared", "data", "gap", "chu1997", "c20200");
  if (existsSync(gap)) return { name: "GAP c20200", plan: gapToPlan(parseGapInstance(readFileSync(gap, "utf8")), { timeLimitMs: HEAVY_TIME_LIMIT_MS }) };
  return { name: "book 2000×40", plan: generateBook({ seed: 7, customers: 2000, reps: 40, territories: 4, policy: { timeLimitMs: HEAVY_TIME_LIMIT_MS, fairness: { valueBand: 0.05 } } }) };
}

/** A port that was free a moment ago (the server is then started on it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function startServer(): Promise<{ base: string; stop: () => Promise<number | null> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "api/server.ts"], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      // Logs as in production (one line per request), sent nowhere.
      LOG_LEVEL: "info",
      ALLOT_POOL_SIZE: String(poolSize),
      ALLOT_QUEUE_LENGTH: String(4 * poolSize),
      ALLOT_MAX_TIME_LIMIT_MS: String(HEAVY_TIME_LIMIT_MS),
      ALLOT_DEADLINE_MARGIN_MS: "2000",
      ALLOT_SHUTDOWN_GRACE_MS: "0",
      ALLOT_RATE_LIMIT_PER_MINUTE: "0",
      ALLOT_API_KEYS: "",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  for (;;) {
    const up = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (child.exitCode !== null || performance.now() - started > 60_000) throw new Error("the server did not start");
    await new Promise((wake) => setTimeout(wake, 100));
  }
  return {
    base,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

function row(name: string, r: Result): string[] {
  return [name, r.requests.average.toFixed(1), r.latency.p50.toFixed(1), r.latency.p99.toFixed(1), r.latency.max.toFixed(1), String(r["2xx"]), String(r.non2xx + r.errors)];
}

function table(rows: string[][]): string {
  const header = ["measure", "req/s", "p50 ms", "p99 ms", "max ms", "2xx", "other"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`;
  return [line(header), `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...rows.map(line)].join("\n");
}

async function main(): Promise<void> {
  const small = generateBook({ seed: 3, customers: 20, reps: 4, territories: 2, policy: { timeLimitMs: 5000 } });
  const heavy = heavyPlan();
  const server = await startServer();
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
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:http failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
