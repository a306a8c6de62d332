/**
 * The production shape on loopback: two API processes (`api/server.ts`) sharing one PostgreSQL
 * database (a fresh one, reached through a TCP relay the test can cut) and one Redis queue, and two
 * job worker processes (`api/worker.ts`). What must hold when many things happen at once and parts
 * die:
 * (a) 300 routes at once spread over both API processes against tight capacity: no rep overfilled,
 *     each customer once, each rep's load its own customer plus the sum of what was routed to it;
 * (b) an API process SIGKILLed in the middle of a burst of plan saves and routes: every
 *     acknowledged write is there afterwards, and every request to the other process succeeded;
 * (c) a worker SIGKILLed while it runs a job: the other worker runs it, and it succeeds once;
 * (d) the database's connections dropped during traffic, then the database unreachable: 503
 *     `database-unavailable` with Retry-After (never a 500), /readyz failing, and recovery without
 *     restarting anything.
 */
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AssignmentPage, JobSummary, Plan, PlanVersion, RouteResult, Solution, type AssignmentRecord } from "../models/index.ts";
import { gapPlan } from "./gap-fixtures.ts";
import { createTestDatabase, databaseUrl, dropTestDatabases, onDatabase } from "./postgres-test-database.ts";
import { isRunning, kill, startApiProcess, startWorkerProcess, stopAll, type ApiProcess, type ServiceProcess } from "./service-process.ts";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.ts";
import { tinyPlan } from "./tiny-plan.ts";

const REDIS_URL = process.env.ALLOT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const queueName = `allot-cluster-${randomUUID().slice(0, 8)}`;

let directUrl = "";
let relay: TcpProxy;
let apiEnv: Record<string, string> = {};
let apis: ApiProcess[] = [];
let workers: ServiceProcess[] = [];
let raw: Queue;

const workerEnv = {
  ALLOT_REDIS_URL: REDIS_URL,
  ALLOT_JOB_QUEUE: queueName,
  ALLOT_JOB_RETENTION_S: "600",
  // A dead worker's job is noticed within seconds, not BullMQ's default 30 s.
  ALLOT_JOB_LOCK_MS: "2000",
  ALLOT_JOB_STALLED_INTERVAL_MS: "1000",
};

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

beforeAll(async () => {
  const direct = new URL(await createTestDatabase());
  directUrl = direct.toString();
  relay = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  apiEnv = {
    ALLOT_DATABASE_URL: databaseUrl(direct.pathname.slice(1), `postgres://${direct.username}@127.0.0.1:${relay.port}/`),
    ALLOT_DATABASE_POOL_SIZE: "5",
    // The burst of (b) sends 40 plan saves at once; none may be refused for a full solve queue.
    ALLOT_QUEUE_LENGTH: "200",
    ALLOT_REDIS_URL: REDIS_URL,
    ALLOT_JOB_QUEUE: queueName,
    ALLOT_JOB_RETENTION_S: "600",
  };
  apis = await Promise.all([startApiProcess(apiEnv), startApiProcess(apiEnv)]);
  workers = [startWorkerProcess(workerEnv), startWorkerProcess(workerEnv)];
  raw = new Queue(queueName, { connection: { url: REDIS_URL } });
  await until("2 workers to connect", async () => (await raw.getWorkersCount()) >= 2);
});

afterAll(async () => {
  await stopAll();
  if (raw !== undefined) {
    await raw.obliterate({ force: true });
    await raw.close();
  }
  const redis = new Redis(REDIS_URL);
  const leftovers = await redis.keys(`allot:${queueName}:*`);
  if (leftovers.length > 0) await redis.del(...leftovers);
  await redis.quit();
  await relay?.cut();
  await dropTestDatabases();
});

const api = (i: number): ApiProcess => {
  const found = apis[i % apis.length];
  if (found === undefined) throw new Error("no API process");
  return found;
};

const post = (base: string, path: string, body?: unknown, key?: string) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key === undefined ? {} : { "idempotency-key": key }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function savedAndActive(base: string, plan: Plan, label: string): Promise<PlanVersion> {
  const saved = await post(base, "/v1/plans", { label, plan });
  expect(saved.status).toBe(200);
  const version = PlanVersion.parse(await saved.json());
  expect((await post(base, `/v1/plans/${version.id}/activate`)).status).toBe(200);
  return version;
}

async function assignments(base: string, planId: string): Promise<AssignmentRecord[]> {
  const out: AssignmentRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = AssignmentPage.parse(await (await fetch(`${base}/v1/plans/${planId}/assignments?limit=500${cursor === null ? "" : `&cursor=${cursor}`}`)).json());
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return out;
}

/** Reps with `seats` seats, one taken by the plan's own locked customer (worth 1000) each. */
const bookOf = (reps: string[], seats: number) =>
  Plan.parse({
    customers: reps.map((rep) => ({ id: `own-${rep}`, value: 1000 })),
    reps: reps.map((id) => ({ id, maxAccounts: seats })),
    policy: { locks: reps.map((rep) => ({ customer: `own-${rep}`, rep })) },
  });

describe("two API processes, two workers, Redis and PostgreSQL", () => {
  it("(a) 300 routes at once over both API processes never overfill a rep, route each customer once, and keep loads equal to what was routed", async () => {
    const SEATS = 20;
    const reps = ["t1", "t2", "t3", "t4", "t5"];
    const plan = await savedAndActive(api(0).base, bookOf(reps, SEATS), "tight");
    let retried = 0;
    const answers = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        // As a client should: a 503 `database-unavailable` (every connection of the pool busy for
        // longer than its wait, which a loaded machine can cause) is retried after its Retry-After
        // (capped at half a second here); anything else is the answer.
        for (let attempt = 1; ; attempt += 1) {
          const res = await post(api(i).base, "/v1/route", { customer: { id: `lead-${i}`, value: 100 + i } });
          if (res.status === 503 && res.headers.get("retry-after") !== null && attempt < 20) {
            retried += 1;
            await res.body?.cancel();
            await new Promise((wake) => setTimeout(wake, Math.min(500, 1000 * Number(res.headers.get("retry-after")))));
            continue;
          }
          return { status: res.status, json: (await res.json()) as unknown };
        }
      }),
    );
    if (retried > 0) console.log(`cluster (a): ${retried} routes answered 503 database-unavailable and were retried`);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const parsed = answers.map((a) => ({ body: RouteResult.parse(a.json) }));
    const routed = parsed.filter((a) => a.body.rep !== null);
    expect(routed).toHaveLength(reps.length * (SEATS - 1));
    for (const rep of reps) {
      const seats = routed.filter((a) => a.body.rep === rep).map((a) => a.body.load?.accounts ?? -1);
      expect(seats.sort((x, y) => x - y)).toEqual(Array.from({ length: SEATS - 1 }, (_, i) => i + 2));
    }
    // The database itself: each customer once, as answered; each rep's load is its own customer plus the routed ones.
    await onDatabase(directUrl, async (client) => {
      const rows = (await client.query<{ customer_id: string; rep_id: string | null }>(
        "SELECT a.customer_id, a.rep_id FROM assignments a JOIN plans p ON p.seq = a.plan_seq WHERE p.id = $1 AND a.source = 'routed'",
        [plan.id],
      )).rows;
      expect(rows).toHaveLength(300);
      expect(new Set(rows.map((r) => r.customer_id)).size).toBe(300);
      const answered = new Map(parsed.map((a) => [a.body.customer, a.body.rep]));
      for (const r of rows) expect(r.rep_id).toBe(answered.get(r.customer_id));
      const loads = (await client.query<{ rep_id: string; accounts: number; value: number }>(
        "SELECT l.rep_id, l.accounts, l.value FROM rep_loads l JOIN plans p ON p.seq = l.plan_seq WHERE p.id = $1 ORDER BY l.rep_id",
        [plan.id],
      )).rows;
      for (const load of loads) {
        const mine = rows.filter((r) => r.rep_id === load.rep_id).map((r) => 100 + Number(r.customer_id.slice("lead-".length)));
        expect({ rep: load.rep_id, accounts: load.accounts, value: load.value }).toEqual({ rep: load.rep_id, accounts: SEATS, value: 1000 + mine.reduce((x, y) => x + y, 0) });
      }
    });
  });

  it("(b) an API process killed in the middle of a burst of saves and routes loses no acknowledged write, and the other kept answering", async () => {
    const plan = await savedAndActive(api(1).base, bookOf(["w1", "w2", "w3", "w4"], 1000), "roomy");
    type Sent = { to: 0 | 1; i: number; kind: "save" | "route"; status: number | null; body: unknown };
    const sent: Sent[] = [];
    const victim = api(0);
    const burst = Array.from({ length: 160 }, async (_, i) => {
      const to = (i % 2) as 0 | 1;
      const kind = i % 4 === 1 ? "save" : "route";
      const base = api(to).base;
      const request =
        kind === "save"
          ? post(base, "/v1/plans", { label: `burst-${i}`, plan: tinyPlan }, `burst-${i}`)
          : post(base, "/v1/route", { customer: { id: `burst-${i}`, value: 10 + i } }, `burst-${i}`);
      const record: Sent = { to, i, kind, status: null, body: null };
      sent.push(record);
      try {
        const res = await request;
        record.body = await res.json();
        record.status = res.status;
      } catch {
        // The process died before it answered: not acknowledged.
      }
    });
    await until("10 answers from the process to kill", async () => sent.filter((s) => s.to === 0 && s.status === 200).length >= 10, 30_000);
    await kill(victim);
    await Promise.all(burst);

    const fromVictim = sent.filter((s) => s.to === 0);
    expect(fromVictim.filter((s) => s.status === null).length).toBeGreaterThan(0);
    // Every request to the other process succeeded, before, during and after the kill.
    expect(sent.filter((s) => s.to === 1).map((s) => s.status)).toEqual(Array.from({ length: 80 }, () => 200));

    const survivor = api(1).base;
    const records = new Map((await assignments(survivor, plan.id)).map((r) => [r.customer, r]));
    const acknowledged = sent.filter((s) => s.status === 200);
    for (const s of acknowledged) {
      if (s.kind === "route") {
        const answer = RouteResult.parse(s.body);
        expect(records.get(answer.customer), answer.customer).toMatchObject({ rep: answer.rep, source: "routed", routedAt: answer.routedAt });
      } else {
        const version = PlanVersion.parse(s.body);
        const stored = await fetch(`${survivor}/v1/plans/${version.id}`);
        expect(stored.status).toBe(200);
        expect(((await stored.json()) as { plan: PlanVersion }).plan).toMatchObject({ id: version.id, label: `burst-${s.i}` });
      }
    }
    // A replacement process sees the same, and an acknowledged call retried there gets its first answer.
    const replacement = await startApiProcess(apiEnv);
    apis[0] = replacement;
    const retried = acknowledged.find((s) => s.kind === "route" && s.to === 0);
    if (retried === undefined) throw new Error("no acknowledged route from the killed process");
    const again = await post(replacement.base, "/v1/route", { customer: { id: `burst-${retried.i}`, value: 10 + retried.i } }, `burst-${retried.i}`);
    expect(again.headers.get("idempotency-replayed")).toBe("true");
    expect(await again.json()).toEqual(retried.body);
  });

  it("(c) a worker killed while it runs a job leaves it to the other worker: the job succeeds once", async () => {
    const submitted = await post(api(1).base, "/v1/jobs", { kind: "solve", input: gapPlan("c20200", { timeLimitMs: 3000 }) });
    expect(submitted.status).toBe(202);
    const job = JobSummary.parse(await submitted.json());
    const view = async (base: string) => {
      const { result: _result, ...record } = (await (await fetch(`${base}/v1/jobs/${job.id}`)).json()) as Record<string, unknown>;
      return JobSummary.parse(record);
    };
    await until("the job to run", async () => {
      const current = await view(api(0).base);
      return current.state === "running" && current.progress !== null;
    });
    const holder = await until("the job's worker", async () => {
      const running = await raw.getJob(job.id);
      return workers.find((w) => isRunning(w) && running?.processedBy?.endsWith(`:${w.pid}`));
    });
    await kill(holder);
    const finished = await until("the job to end", async () => {
      const current = await view(api(0).base);
      return current.state === "queued" || current.state === "running" ? null : current;
    });
    expect(finished).toMatchObject({ state: "succeeded", attempts: 2 });
    const result = await fetch(`${api(1).base}/v1/jobs/${job.id}/result`);
    expect(result.status).toBe(200);
    expect(Solution.parse(await result.json()).status).toBe(finished.status);
    const listed = (await (await fetch(`${api(0).base}/v1/jobs?limit=50`)).json()) as { items: JobSummary[] };
    expect(listed.items.filter((j) => j.id === job.id)).toHaveLength(1);
    workers = [...workers.filter(isRunning), startWorkerProcess(workerEnv)];
  });

  it("(d) while the database's connections drop or it cannot be reached: 503 with Retry-After, never a 500, readiness fails, and it recovers by itself", async () => {
    const plan = await savedAndActive(api(0).base, bookOf(["d1", "d2"], 5000), "outage");
    const pids = apis.map((a) => a.pid);

    // Connections dropped by the server (as a restart or a failover does) while routes keep coming.
    const answers: { status: number; retryAfter: string | null; type: string | null; customer: string; rep: string | null }[] = [];
    let n = 0;
    let running = true;
    const traffic = Array.from({ length: 4 }, async () => {
      while (running) {
        const i = n++;
        const res = await post(api(i).base, "/v1/route", { customer: { id: `storm-${i}`, value: 1 } });
        const body = (await res.json()) as { type?: string; rep?: string | null };
        answers.push({ status: res.status, retryAfter: res.headers.get("retry-after"), type: body.type ?? null, customer: `storm-${i}`, rep: body.rep ?? null });
      }
    });
    for (let drop = 0; drop < 5; drop++) {
      await new Promise((wake) => setTimeout(wake, 300));
      await onDatabase(databaseUrl("postgres", directUrl), (client) =>
        client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [new URL(directUrl).pathname.slice(1)]),
      );
    }
    await new Promise((wake) => setTimeout(wake, 300));
    running = false;
    await Promise.all(traffic);
    expect(answers.length).toBeGreaterThan(20);
    // The drops were felt: the processes saw their connections cut (and logged it) while answering.
    expect(apis.flatMap((a) => a.lines).filter((l) => l.includes('"msg":"database connection lost"')).length).toBeGreaterThan(0);
    const unexpected = answers.filter((a) => a.status !== 200 && !(a.status === 503 && a.retryAfter === "2" && a.type === "/docs#problem-database-unavailable"));
    expect(unexpected).toEqual([]);
    const records = new Map((await assignments(api(1).base, plan.id)).map((r) => [r.customer, r]));
    for (const a of answers.filter((x) => x.status === 200)) expect(records.get(a.customer)?.rep).toBe(a.rep);

    // The database out of reach: every call that needs it is refused with Retry-After, readiness fails, liveness does not.
    await relay.cut();
    for (const instance of apis) {
      const res = await post(instance.base, "/v1/route", { customer: { id: `cut-${instance.pid}`, value: 1 } });
      expect([res.status, res.headers.get("retry-after"), ((await res.json()) as { type: string }).type]).toEqual([503, "2", "/docs#problem-database-unavailable"]);
      expect((await fetch(`${instance.base}/v1/plans`)).status).toBe(503);
      expect((await fetch(`${instance.base}/readyz`)).status).toBe(503);
      expect((await fetch(`${instance.base}/healthz`)).status).toBe(200);
    }

    // Back: both processes recover without a restart.
    await relay.restore();
    for (const instance of apis) {
      await until("readiness to come back", async () => (await fetch(`${instance.base}/readyz`)).status === 200, 15_000);
      const res = await post(instance.base, "/v1/route", { customer: { id: `cut-${instance.pid}`, value: 1 } });
      expect(res.status).toBe(200);
    }
    expect(apis.map((a) => a.pid)).toEqual(pids);
    expect(apis.every(isRunning)).toBe(true);
  });
});
