/**
 * The service on PostgreSQL (real server on loopback, a fresh database per test): the setting that
 * selects it, two API instances sharing one database (in-process apps with their own pools, and two
 * real `npm start` processes), Idempotency-Key across instances, 503 `database-unavailable` and
 * readiness while the database cannot be reached (through a TCP relay the test cuts) with recovery
 * without a restart, and text the database cannot hold refused as a 422.
 */
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../api/config.ts";
import { buildOpenApiDocument } from "../api/openapi.ts";
import { AssignmentPage, Plan, PlanVersion, RouteResult, type AssignmentRecord } from "../models/index.ts";
import { describeDatabaseUrl } from "../src/storage/postgres-connection.ts";
import { openPostgresStore, type PostgresStore } from "../src/storage/postgres-store.ts";
import { PLAN_A, PLAN_B, plansService, type PlansService } from "./plans-fixtures.ts";
import { createTestDatabase, databaseUrl, dropTestDatabases } from "./postgres-test-database.ts";
import { projectRoot } from "./project-root.ts";
import { startApiProcess, stop, stopAll } from "./service-process.ts";
import { startTcpProxy } from "./tcp-proxy.ts";

const closers: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  await stopAll();
  for (const close of closers.reverse()) await close();
  await dropTestDatabases();
});

const SEATS = 15;
/** Four reps of 15 seats, one taken by the plan's own locked customer each: 56 free seats. */
const CROWD = Plan.parse({
  customers: ["t1", "t2", "t3", "t4"].map((rep) => ({ id: `own-${rep}`, value: 1000 })),
  reps: ["t1", "t2", "t3", "t4"].map((id) => ({ id, maxAccounts: SEATS })),
  policy: { locks: ["t1", "t2", "t3", "t4"].map((rep) => ({ customer: `own-${rep}`, rep })) },
});
const FREE = 4 * (SEATS - 1);

async function store(url: string, options: Parameters<typeof openPostgresStore>[1] = {}): Promise<PostgresStore> {
  const opened = await openPostgresStore(url, { poolSize: 4, ...options });
  closers.push(() => opened.close());
  return opened;
}

async function listen(service: PlansService<PostgresStore>): Promise<string> {
  const server: Server = service.app.listen(0, "127.0.0.1");
  await once(server, "listening");
  closers.push(() => new Promise<void>((done) => server.close(() => done())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const json = { "content-type": "application/json" };
const post = (base: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: "POST", headers: { ...json, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });

async function savedAndActive(base: string, plan: Plan): Promise<PlanVersion> {
  const saved = await post(base, "/v1/plans", { label: "crowd", plan });
  expect(saved.status).toBe(200);
  const version = PlanVersion.parse(await saved.json());
  expect((await post(base, `/v1/plans/${version.id}/activate`)).status).toBe(200);
  return version;
}

async function routedRecords(base: string, planId: string): Promise<AssignmentRecord[]> {
  const out: AssignmentRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = AssignmentPage.parse(await (await fetch(`${base}/v1/plans/${planId}/assignments?limit=500${cursor === null ? "" : `&cursor=${cursor}`}`)).json());
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return out.filter((r) => r.source === "routed");
}

/** Routes `count` new customers (lead-i worth 100 + i) spread over the bases, all at once; checks the invariants of tight capacity. */
async function crowdedRouting(bases: string[], planId: string, count: number): Promise<void> {
  const answers = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const res = await post(bases[i % bases.length] ?? "", "/v1/route", { customer: { id: `lead-${i}`, value: 100 + i } });
      return { status: res.status, body: RouteResult.parse(await res.json()) };
    }),
  );
  expect(answers.filter((a) => a.status !== 200)).toEqual([]);
  const routed = answers.filter((a) => a.body.rep !== null);
  expect(routed).toHaveLength(FREE);
  // Every seat of every rep handed out once: the loads reported are 2, 3, …, SEATS for each rep.
  for (const rep of ["t1", "t2", "t3", "t4"]) {
    const seats = routed.filter((a) => a.body.rep === rep).map((a) => a.body.load?.accounts ?? -1);
    expect(seats.sort((x, y) => x - y)).toEqual(Array.from({ length: SEATS - 1 }, (_, i) => i + 2));
  }
  // Read back through either instance: each customer once, and each rep's load is its own customer plus what was routed to it.
  const records = await routedRecords(bases.at(-1) ?? "", planId);
  expect(records).toHaveLength(count);
  expect(new Set(records.map((r) => r.customer)).size).toBe(count);
  const valueOf = (customer: string) => 100 + Number(customer.slice("lead-".length));
  for (const rep of ["t1", "t2", "t3", "t4"]) {
    // The answer that took the rep's last seat reports its final load.
    const final = routed.find((a) => a.body.rep === rep && a.body.load?.accounts === SEATS)?.body.load;
    expect(final?.value).toBe(1000 + records.filter((r) => r.rep === rep).reduce((sum, r) => sum + valueOf(r.customer), 0));
  }
}

describe("ALLOT_DATABASE_URL", () => {
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      return error instanceof ConfigError ? error.problems : ["not a ConfigError"];
    }
  };

  it("selects PostgreSQL with a pool size, and refuses a bad URL without echoing it", () => {
    expect(loadConfig({})).not.toHaveProperty("database");
    expect(loadConfig({ ALLOT_DATABASE_URL: " postgres://allot:pw@db.internal:5432/allot?sslmode=require " }).database).toEqual({
      url: "postgres://allot:pw@db.internal:5432/allot?sslmode=require",
      poolSize: 10,
    });
    expect(loadConfig({ ALLOT_DATABASE_URL: "postgresql://db/allot", ALLOT_DATABASE_POOL_SIZE: "25" }).database).toEqual({ url: "postgresql://db/allot", poolSize: 25 });
    const bad = problemsOf({ ALLOT_DATABASE_URL: "mysql://root:hunter2@db/allot", ALLOT_DATABASE_POOL_SIZE: "0" });
    expect(bad).toEqual(["ALLOT_DATABASE_URL: must be a postgres:// or postgresql:// URL", "ALLOT_DATABASE_POOL_SIZE: must be at least 1 (got \"0\")"]);
    expect(bad.join("\n")).not.toContain("hunter2");
    expect(problemsOf({ ALLOT_DATABASE_URL: "postgres://db/allot", ALLOT_DB_PATH: "var/allot.db" })).toEqual([
      "ALLOT_DB_PATH: is a SQLite setting; unset it when ALLOT_DATABASE_URL selects PostgreSQL",
    ]);
    // What logs and errors show of a URL: never the password nor the options.
    expect(describeDatabaseUrl("postgres://allot:hunter2@db.internal:5432/allot?sslmode=require")).toBe("postgres://allot@db.internal:5432/allot");
  });

  it("documents 503 database-unavailable in OpenAPI where the database can be away", () => {
    // Every /v1 operation reads or writes the store (an Idempotency-Key at least), and readiness checks it.
    const describes = (env: Record<string, string>) => {
      const document = buildOpenApiDocument(loadConfig(env));
      const operations = Object.entries(document.paths).flatMap(([path, item]) => (path.startsWith("/v1/") ? Object.values(item) : []));
      expect(operations.length).toBeGreaterThan(20);
      return operations.map((op) => op.responses["503"]?.description ?? "");
    };
    expect(buildOpenApiDocument(loadConfig({})).paths["/readyz"]?.get?.responses["503"]?.description).toContain("Database unavailable");
    for (const text of describes({ ALLOT_DATABASE_URL: "postgres://db/allot" })) expect(text).toContain("Database unavailable");
    for (const text of describes({})) expect(text).not.toContain("Database unavailable");
  });

  it("stops the server before it listens when the database cannot be reached: exit 1, the reason, never the password", async () => {
    const closed = await startTcpProxy({ host: "127.0.0.1", port: 5432 });
    await closed.cut();
    const run = spawnSync(process.execPath, ["--import", "tsx", "api/server.ts"], {
      cwd: projectRoot,
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ALLOT_DB_PATH: "", ALLOT_DATABASE_URL: `postgres://allot:hunter2@127.0.0.1:${closed.port}/allot` },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`allot: cannot open the database postgres://allot@127.0.0.1:${closed.port}/allot (ALLOT_DATABASE_URL): the database cannot be reached`);
    expect(run.stderr + run.stdout).not.toContain("hunter2");
  });
});

describe("two API instances on one PostgreSQL database", () => {
  it("route at once through both: no rep overfilled, each customer once, loads equal the sum of routed values", async () => {
    const url = await createTestDatabase();
    const [a, b] = [plansService({ store: await store(url) }), plansService({ store: await store(url) })];
    const bases = [await listen(a), await listen(b)];
    const plan = await savedAndActive(bases[0] ?? "", CROWD);
    await crowdedRouting(bases, plan.id, 90);
    const loads = await b.store.repLoads(plan.id);
    expect([...(loads?.values() ?? [])].map((l) => l.accounts)).toEqual([SEATS, SEATS, SEATS, SEATS]);
  });

  it("shares Idempotency-Key: a duplicate in flight on the other instance gets 409, then the first answer", async () => {
    const url = await createTestDatabase();
    const [a, b] = [plansService({ store: await store(url) }), plansService({ store: await store(url) })];
    const [baseA, baseB] = [await listen(a), await listen(b)];
    a.pool.hold();
    const body = { label: "q2", plan: PLAN_B };
    const first = post(baseA, "/v1/plans", body, { "idempotency-key": "save-q2" });
    while (a.pool.solves === 0) await new Promise((wake) => setTimeout(wake, 5));
    const duplicate = await post(baseB, "/v1/plans", body, { "idempotency-key": "save-q2" });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get("retry-after")).not.toBeNull();
    expect(((await duplicate.json()) as { type: string }).type).toBe("/docs#problem-idempotency-in-flight");
    a.pool.release();
    const answered = await first;
    expect(answered.status).toBe(200);
    const text = await answered.text();
    const replay = await post(baseB, "/v1/plans", body, { "idempotency-key": "save-q2" });
    expect(replay.headers.get("idempotency-replayed")).toBe("true");
    expect(await replay.text()).toBe(text);
    expect(b.pool.solves).toBe(0);
    expect((await post(baseB, "/v1/plans", { label: "q2", plan: PLAN_A }, { "idempotency-key": "save-q2" })).status).toBe(422);
    expect((await b.store.listPlans({ limit: 10, after: null })).items).toHaveLength(1);
  });
});

describe("a database that cannot be reached", () => {
  it("answers 503 database-unavailable with Retry-After, fails readiness, and recovers without a restart", async () => {
    const direct = new URL(await createTestDatabase());
    const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    closers.push(() => proxy.cut());
    const url = databaseUrl(direct.pathname.slice(1), `postgres://${direct.username}@127.0.0.1:${proxy.port}/`);
    const lost: Error[] = [];
    const service = plansService({ store: await store(url, { connectTimeoutMs: 1_000, onError: (e) => lost.push(e) }) });
    const base = await listen(service);
    const plan = await savedAndActive(base, CROWD);
    expect((await post(base, "/v1/route", { customer: { id: "before", value: 1 } })).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    await proxy.cut();
    const expectUnavailable = async (res: Response) => {
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("2");
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(((await res.json()) as { type: string }).type).toBe("/docs#problem-database-unavailable");
    };
    await expectUnavailable(await fetch(`${base}/v1/plans`));
    await expectUnavailable(await post(base, "/v1/route", { customer: { id: "during", value: 1 } }));
    await expectUnavailable(await post(base, "/v1/plans", { label: "during", plan: PLAN_A }, { "idempotency-key": "during-outage" }));
    await expectUnavailable(await fetch(`${base}/readyz`));
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    await proxy.restore();
    const deadline = performance.now() + 10_000;
    while ((await fetch(`${base}/readyz`)).status !== 200 && performance.now() < deadline) await new Promise((wake) => setTimeout(wake, 100));
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    // Nothing of the refused calls took effect: the customer routes now, the key runs now.
    expect((await post(base, "/v1/route", { customer: { id: "during", value: 1 } })).status).toBe(200);
    const saved = await post(base, "/v1/plans", { label: "during", plan: PLAN_A }, { "idempotency-key": "during-outage" });
    expect(saved.status).toBe(200);
    expect(saved.headers.get("idempotency-replayed")).toBeNull();
    expect((await routedRecords(base, plan.id)).map((r) => r.customer)).toEqual(["before", "during"]);
  });
});

describe("text the database cannot hold", () => {
  it("refuses a NUL character in an id or a label with a 422 naming the field", async () => {
    const service = plansService({ store: await store(await createTestDatabase()) });
    const base = await listen(service);
    const nulId = await post(base, "/v1/plans", { label: "x", plan: { ...PLAN_A, customers: [{ id: "c\u00001", value: 1 }, ...PLAN_A.customers.slice(1)] } });
    expect(nulId.status).toBe(422);
    expect(((await nulId.json()) as { errors: { path: string; message: string }[] }).errors).toContainEqual({ path: "plan.customers[0].id", message: "must not contain the NUL character (U+0000)" });
    const nulLabel = await post(base, "/v1/plans", { label: "a\u0000b", plan: PLAN_A });
    expect(nulLabel.status).toBe(422);
    expect(((await nulLabel.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["label"]);
    await savedAndActive(base, CROWD);
    const nulLead = await post(base, "/v1/route", { customer: { id: "lead\u0000", value: 1 } });
    expect(nulLead.status).toBe(422);
    expect(((await nulLead.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["customer.id"]);
  });
});

describe("npm start with ALLOT_DATABASE_URL", () => {
  it("runs two processes on one database started together: migrated once, routing shared, the password never logged", async () => {
    const plain = new URL(await createTestDatabase());
    // The loopback server trusts local connections, so the password is ignored, but it is in the URL like a real one.
    plain.password = "not-to-be-logged";
    const servers = await Promise.all([startApiProcess({ ALLOT_DATABASE_URL: plain.toString() }), startApiProcess({ ALLOT_DATABASE_URL: plain.toString() })]);
    const bases = servers.map((s) => s.base);
    const plan = await savedAndActive(bases[0] ?? "", CROWD);
    await crowdedRouting(bases, plan.id, 80);
    for (const s of servers) {
      const ready = s.lines.map((l) => JSON.parse(l) as { msg?: string; db?: string; kind?: string }).find((l) => l.msg === "database ready");
      expect(ready).toMatchObject({ kind: "postgresql", db: `postgres://postgres@${plain.host}${plain.pathname}` });
    }
    expect(await Promise.all(servers.map(stop))).toEqual([0, 0]);
    expect(servers.flatMap((s) => s.lines).filter((l) => l.includes("not-to-be-logged"))).toEqual([]);
  });
});
