/**
 * Jobs benchmark (`npm run --silent bench:jobs`), on a real Redis (ALLOT_BENCH_REDIS_URL, default
 * redis://127.0.0.1:6379) and real worker processes (`api/worker.ts`, one solve thread and one job
 * at a time each):
 *   1. throughput: a batch of mid-size solves (8 generated 2,000 × 40 books, 2 s time limit each)
 *      through 1 and through 2 BullMQ worker processes, beside the embedded path (the same
 *      `runJobWork` calls on a local solve pool of 2 threads, as the embedded job queue runs them):
 *      from the first submit to the last answer, the median of a few rounds that each run every
 *      path in turn (the machine's load drifts; other processes may share its cores);
 *   2. the latency a queue adds to a small solve: the median round trip submit → end event on a
 *      warm worker, against a direct `runJobWork` on a warm pool.
 * Prints the tables and writes them into bench/README.md under "## Jobs". Settings: BENCH_REPEATS
 * (rounds, default 3), BENCH_BATCH (default 8).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { loadConfig } from "../api/config.ts";
import { readJobWork } from "../api/work-input.ts";
import { generateBook } from "../data/book-generator.ts";
import type { JobSummary } from "../models/index.ts";
import { createBullmqJobQueue } from "../src/jobs/bullmq-job-queue.ts";
import type { JobQueue } from "../src/jobs/job-queue.ts";
import { runJobWork, type JobWork } from "../src/jobs/job-work.ts";
import { createSolvePool } from "../src/runtime/solve-pool.ts";
import { projectRoot, startServer } from "./loopback-server.ts";
import { writeSection } from "./readme-section.ts";
import { alignedTable, duration, fixed } from "./table-format.ts";

const REDIS_URL = process.env.ALLOT_BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const REPEATS = Number(process.env.BENCH_REPEATS ?? "3");
const BATCH = Number(process.env.BENCH_BATCH ?? "8");
const LATENCY_RUNS = 20;
const BOOK = { customers: 2000, reps: 40, timeLimitMs: 2000 };
const queueName = `allot-bench-${randomUUID().slice(0, 8)}`;
const config = loadConfig({});

function work(plan: unknown): JobWork {
  const read = readJobWork("solve", plan, {}, config);
  if (!read.ok) throw new Error(`bench plan is invalid: ${read.problem.detail}`);
  return read.work;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

const mids = Array.from({ length: BATCH }, (_, i) => work(generateBook({ seed: i + 1, customers: BOOK.customers, reps: BOOK.reps, policy: { timeLimitMs: BOOK.timeLimitMs } })));
const small = work(generateBook({ seed: 3, customers: 20, reps: 4, territories: 2, policy: { timeLimitMs: 5000 } }));

const workers: ChildProcess[] = [];
function spawnWorker(queue: string): void {
  workers.push(
    spawn(process.execPath, ["--import", "tsx", "api/worker.ts"], {
      cwd: projectRoot,
      env: { ...process.env, ALLOT_REDIS_URL: REDIS_URL, ALLOT_JOB_QUEUE: queue, ALLOT_POOL_SIZE: "1", ALLOT_JOB_CONCURRENCY: "1", LOG_LEVEL: "warn" },
      stdio: ["ignore", "inherit", "inherit"],
    }),
  );
}

async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
  const start = performance.now();
  while (!(await probe())) {
    if (performance.now() - start > 60_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

/** Submits the work and resolves with each job's end (in order) and its answer. */
async function throughQueue(queue: JobQueue, batch: readonly JobWork[]): Promise<{ ms: number; results: (string | null)[] }> {
  const start = performance.now();
  const ends = await Promise.all(
    batch.map(async (w) => {
      const job = await queue.submit("solve", w);
      const end = await new Promise<JobSummary>((resolve) => {
        void queue.subscribe(job.id, (event) => {
          if (event.type === "end") resolve(event.job);
        });
      });
      return end;
    }),
  );
  const ms = performance.now() - start;
  const results = await Promise.all(ends.map(async (end) => (end.state === "succeeded" ? ((await queue.get(end.id))?.resultJson ?? null) : null)));
  return { ms, results };
}

/** Whether `texts` are the 1-worker answers, byte for byte, wherever the clock cut neither search (each difference is shown). */
let answers: (string | null)[] = [];
let clockCuts = 0;
const cutByClock = (text: string | null | undefined) => text == null || text.includes('"stoppedBy":"time-limit"');
function agree(path: string, texts: readonly (string | null)[]): boolean {
  let same = true;
  texts.forEach((text, i) => {
    if (text === answers[i]) return;
    if (cutByClock(text) || cutByClock(answers[i])) {
      clockCuts += 1;
      return;
    }
    same = false;
    process.stdout.write(`  ${path}: book ${i + 1} differs:\n    ${text?.slice(0, 160) ?? "no answer"}\n    ${answers[i]?.slice(0, 160) ?? "no answer"}\n`);
  });
  return same;
}

const ACCEPT_RUNS = 7;

/**
 * POST /v1/jobs of a 20,000 × 200 book against a service started as `npm start` would (defaults,
 * one process; with `redisUrl`, on BullMQ), measured from the client: body sent, validated, recorded,
 * 202 back. Each job is cancelled at once so that solves do not pile up.
 */
async function acceptLatency(redisUrl: string | null): Promise<number[]> {
  const plan = generateBook({ seed: 3, customers: 20_000, reps: 200, territories: 10, policy: { timeLimitMs: 10_000 } });
  const body = JSON.stringify({ kind: "solve", input: plan });
  const server = await startServer(redisUrl === null ? {} : { ALLOT_REDIS_URL: redisUrl, ALLOT_JOB_QUEUE: `${queueName}-accept` });
  const times: number[] = [];
  try {
    for (let i = 0; i < ACCEPT_RUNS + 1; i++) {
      const start = performance.now();
      const res = await fetch(`${server.base}/v1/jobs`, { method: "POST", headers: { "content-type": "application/json" }, body });
      const job = (await res.json()) as { id: string };
      if (res.status !== 202) throw new Error(`POST /v1/jobs answered ${res.status}`);
      if (i > 0) times.push(performance.now() - start); // the first warms the process up
      await (await fetch(`${server.base}/v1/jobs/${job.id}`, { method: "DELETE" })).text();
      await new Promise((wake) => setTimeout(wake, 2_500));
    }
  } finally {
    await server.stop();
  }
  return times;
}

async function main(): Promise<void> {
  // Two queues, so that every path runs in every round (the machine's load drifts): one served by a
  // single worker process, one by two.
  const names = { one: `${queueName}-1`, two: `${queueName}-2` };
  const raws = [new Queue(names.one, { connection: { url: REDIS_URL } }), new Queue(names.two, { connection: { url: REDIS_URL } }), new Queue(`${queueName}-accept`, { connection: { url: REDIS_URL } })];
  const one = createBullmqJobQueue({ redisUrl: REDIS_URL, queueName: names.one, retentionS: 3600 });
  const two = createBullmqJobQueue({ redisUrl: REDIS_URL, queueName: names.two, retentionS: 3600 });
  const pool = createSolvePool({ size: 2 });
  const pool1 = createSolvePool({ size: 1 });
  const started = new Date();
  const rows: string[][] = [];
  const latency: string[][] = [];
  const accept: string[][] = [];
  let same = true;
  try {
    process.stdout.write(`Jobs benchmark: ${BATCH} solves of a ${BOOK.customers} × ${BOOK.reps} book (${duration(BOOK.timeLimitMs)} time limit), ${REPEATS} rounds\n`);
    spawnWorker(names.one);
    spawnWorker(names.two);
    spawnWorker(names.two);
    await until("the workers", async () => (await raws[0]?.getWorkersCount()) === 1 && (await raws[1]?.getWorkersCount()) === 2);
    // Warm: every thread has loaded the engine and HiGHS.
    await Promise.all([throughQueue(one, [small, small]), throughQueue(two, [small, small, small, small]), runJobWork(small, pool), runJobWork(small, pool), runJobWork(small, pool1)]);

    const paths = {
      one: { name: "BullMQ, 1 worker process", runs: [] as number[], run: () => throughQueue(one, mids) },
      two: { name: "BullMQ, 2 worker processes", runs: [] as number[], run: () => throughQueue(two, mids) },
      embedded: {
        name: "embedded, pool of 2 threads (no Redis)",
        runs: [] as number[],
        run: async () => {
          const start = performance.now();
          const results = await Promise.all(mids.map((w) => runJobWork(w, pool)));
          return { ms: performance.now() - start, results: results.map((r) => r.json) };
        },
      },
    };
    const order = [paths.one, paths.two, paths.embedded];
    for (let r = 0; r < REPEATS; r++) {
      for (let k = 0; k < order.length; k++) {
        const path = order[(r + k) % order.length];
        if (path === undefined) continue;
        const run = await path.run();
        path.runs.push(run.ms);
        if (answers.length === 0) answers = run.results;
        else same = agree(path.name, run.results) && same;
        process.stdout.write(`  round ${r + 1}: ${path.name}: ${duration(run.ms)}\n`);
      }
    }
    const base = median(paths.one.runs);
    for (const path of order) {
      const m = median(path.runs);
      rows.push([path.name, duration(m), path.runs.map(duration).join(", "), fixed((BATCH * 60_000) / m, 1), `${fixed(base / m, 2)}×`]);
    }

    // Latency of a small solve, direct and through the queue in turn.
    const direct: number[] = [];
    const queued: number[] = [];
    for (let r = 0; r < LATENCY_RUNS; r++) {
      const start = performance.now();
      await runJobWork(small, pool1);
      direct.push(performance.now() - start);
      queued.push((await throughQueue(one, [small])).ms);
    }
    const d = median(direct);
    const q = median(queued);
    latency.push(["direct `runJobWork`, warm pool of 1 thread", `${fixed(d, 1)} ms`, `${fixed(Math.min(...direct), 1)} ms`]);
    latency.push(["BullMQ: submit → end event, warm worker (1 thread)", `${fixed(q, 1)} ms`, `${fixed(Math.min(...queued), 1)} ms`]);
    latency.push(["added by the queue (difference of the medians)", `${fixed(q - d, 1)} ms`, "—"]);
    for (const [name, url] of [["POST /v1/jobs → 202, 20,000 × 200 book (3.4 MB), embedded (defaults)", null], ["POST /v1/jobs → 202, same book, on BullMQ", REDIS_URL]] as const) {
      const times = await acceptLatency(url);
      accept.push([name, `${fixed(median(times), 0)} ms`, `${fixed(Math.min(...times), 0)} ms`]);
    }
  } finally {
    for (const child of workers) if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.all(workers.map((child) => new Promise((done) => (child.exitCode === null ? child.once("close", done) : done(null)))));
    await Promise.all([one.close(), two.close(), pool.close(), pool1.close()]);
    const redis = new Redis(REDIS_URL);
    for (const raw of raws) {
      await raw.obliterate({ force: true });
      await raw.close();
      const leftovers = await redis.keys(`allot:${raw.name}*`);
      if (leftovers.length > 0) await redis.del(...leftovers);
    }
    await redis.quit();
  }

  const cpus = os.cpus();
  const throughput = alignedTable(["path", `${BATCH} solves (median)`, "each round", "solves / min", "vs 1 worker"], rows);
  const added = alignedTable([`small solve (20 × 4), ${LATENCY_RUNS} runs`, "median", "fastest"], latency);
  const accepted = alignedTable([`accepting a big job, ${ACCEPT_RUNS} runs`, "median", "fastest"], accept);
  const section = [
    "## Jobs",
    "",
    "Generated by `npm run --silent bench:jobs` (bench/jobs-throughput.ts); do not edit by hand — rerun the command.",
    "",
    `- Date: ${started.toISOString()}; machine: ${cpus.length} cores (${cpus[0]?.model ?? "unknown CPU"}), Node ${process.version}; Redis on loopback.`,
    `- Batch: ${BATCH} generated ${BOOK.customers} × ${BOOK.reps} books (seeds 1–${BATCH}), time limit ${duration(BOOK.timeLimitMs)} each, from the first submit to the last answer. ${REPEATS} rounds, each running every path in turn (the order rotating), so that the machine's changing load falls on all of them; the median of the rounds. Each worker process: ALLOT_POOL_SIZE=1, ALLOT_JOB_CONCURRENCY=1.`,
    `- Every path gave the same answers, byte for byte, wherever the clock did not cut the search: ${same ? "yes" : "NO"} (${clockCuts} of the ${(3 * REPEATS - 1) * BATCH} compared differed where the clock had cut a search, \`solver.stoppedBy: "time-limit"\`: 2 solves at once on 2 shared cores).`,
    "",
    throughput,
    "",
    added,
    "",
    accepted,
    "",
    "Wall clock on a machine whose cores other processes may share: the 2-worker and embedded rows are bounded by 2 cores.",
    "",
  ].join("\n");
  process.stdout.write(`\n${section}`);

  writeSection(path.join(projectRoot, "bench", "README.md"), "jobs", section);
  process.stdout.write("\nwritten to bench/README.md (## Jobs)\n");
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
