/**
 * The jobs API on the BullMQ backend: two API apps on one queue (two "instances") and a worker
 * process on a real Redis. A job submitted to one instance is followed as Server-Sent Events from
 * the other, its result has the bytes the synchronous endpoint answers, and an instance whose Redis
 * does not answer says 503 with Retry-After (its synchronous endpoints keep working).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../api/app.ts";
import { loadConfig } from "../api/config.ts";
import { createServiceState } from "../api/service-state.ts";
import { JobProgress, JobSummary } from "../models/index.ts";
import { createBullmqJobQueue } from "../src/jobs/bullmq-job-queue.ts";
import type { JobQueue } from "../src/jobs/job-queue.ts";
import { createSolvePool, type SolvePool } from "../src/runtime/solve-pool.ts";
import { silentLogger } from "./api-test-service.ts";
import { readEvents } from "./job-events-reader.ts";
import { projectRoot } from "./project-root.ts";
import { tinyPlan } from "./tiny-plan.ts";
import { generateBook } from "../data/book-generator.ts";

const REDIS_URL = process.env.ALLOT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const queueName = `allot-api-test-${randomUUID()}`;

interface Instance {
  base: string;
  server: Server;
  pool: SolvePool;
  jobs: JobQueue;
}

async function instance(redisUrl: string): Promise<Instance> {
  const config = loadConfig({ ALLOT_POOL_SIZE: "1", LOG_LEVEL: "silent", ALLOT_REDIS_URL: redisUrl, ALLOT_JOB_QUEUE: queueName });
  const pool = createSolvePool({ size: 1 });
  const jobs = createBullmqJobQueue({ redisUrl, queueName, retentionS: 600 });
  const app = createApp({ config, pool, logger: silentLogger, state: createServiceState(), jobs });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, pool, jobs };
}

async function stop(i: Instance): Promise<void> {
  i.server.closeAllConnections();
  await new Promise<void>((resolve) => i.server.close(() => resolve()));
  await i.jobs.close();
  await i.pool.close({ graceMs: 0 });
}

const post = (url: string, body: unknown) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("jobs API on BullMQ, two instances and a worker process", () => {
  let a: Instance;
  let b: Instance;
  let worker: ChildProcess;
  beforeAll(async () => {
    [a, b] = await Promise.all([instance(REDIS_URL), instance(REDIS_URL)]);
    worker = spawn(process.execPath, ["--import", "tsx", "api/worker.ts"], {
      cwd: projectRoot,
      env: { ...process.env, ALLOT_REDIS_URL: REDIS_URL, ALLOT_JOB_QUEUE: queueName, ALLOT_POOL_SIZE: "1", ALLOT_JOB_CONCURRENCY: "1", LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "inherit"],
    });
  });
  afterAll(async () => {
    worker.kill("SIGKILL");
    await Promise.all([stop(a), stop(b)]);
    const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it("streams a job submitted to one instance from the other, and its result has the synchronous bytes", async () => {
    const plan = generateBook({ seed: 4, customers: 1500, reps: 30, territories: 3, capacitySlack: 1.05, policy: { timeLimitMs: 3_000, fairness: { valueBand: 0.1 } } });
    const submitted = await post(`${a.base}/v1/jobs`, { kind: "solve", input: plan });
    expect(submitted.status).toBe(202);
    const job = JobSummary.parse(await submitted.json());
    expect(submitted.headers.get("location")).toBe(`/v1/jobs/${job.id}`);

    const { events } = await readEvents(`${b.base}/v1/jobs/${job.id}/events`);
    const progress = events.filter((e) => e.event === "progress").map((e) => JobProgress.parse(JSON.parse(e.data)));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.some((p) => p.solve !== null)).toBe(true);
    const end = events[events.length - 1];
    expect(end?.event).toBe("end");
    expect(JobSummary.parse(JSON.parse(end?.data ?? "null")).state).toBe("succeeded");

    // Both instances answer for the job, with the same record.
    const [fromA, fromB] = await Promise.all([fetch(`${a.base}/v1/jobs/${job.id}`).then((r) => r.json()), fetch(`${b.base}/v1/jobs/${job.id}`).then((r) => r.json())]);
    expect(fromA).toEqual(fromB);
    const listed = (await (await fetch(`${b.base}/v1/jobs?limit=5`)).json()) as { items: JobSummary[] };
    expect(listed.items.map((j) => j.id)).toContain(job.id);
  }, 60_000);

  it("gives a small job's result the bytes of POST /v1/solve on either instance", async () => {
    const submitted = await post(`${b.base}/v1/jobs`, { kind: "solve", input: tinyPlan, query: { compare: "all" } });
    const job = JobSummary.parse(await submitted.json());
    for (;;) {
      const { result: _result, ...record } = (await (await fetch(`${a.base}/v1/jobs/${job.id}`)).json()) as Record<string, unknown>;
      const current = JobSummary.parse(record);
      if (current.state !== "queued" && current.state !== "running") break;
      await new Promise((wake) => setTimeout(wake, 50));
    }
    const result = await (await fetch(`${a.base}/v1/jobs/${job.id}/result`)).text();
    const sync = await (await post(`${a.base}/v1/solve?compare=all`, tinyPlan)).text();
    expect(result).toBe(sync);
  }, 30_000);
});

describe("an instance whose Redis does not answer", () => {
  it("answers 503 jobs-unavailable with Retry-After on the jobs endpoints, and keeps solving synchronously", async () => {
    const down = await instance("redis://127.0.0.1:1");
    try {
      const res = await post(`${down.base}/v1/jobs`, { kind: "solve", input: tinyPlan });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(((await res.json()) as { type: string }).type).toBe("/docs#problem-jobs-unavailable");
      expect((await fetch(`${down.base}/v1/jobs/whatever`)).status).toBe(503);
      expect((await post(`${down.base}/v1/solve`, tinyPlan)).status).toBe(200);
    } finally {
      await stop(down);
    }
  }, 30_000);
});
