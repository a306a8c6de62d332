/**
 * The PostgreSQL store on a real server on loopback (test/postgres-test-database.ts: a fresh
 * database per store, all dropped at the end): the storage contract that SQLite also runs
 * (store-contract.ts), then what only this store has: migrations under an advisory lock with
 * several instances starting at once, the schema's guards, SERIALIZABLE routing, and a database
 * that goes away and comes back (through a TCP relay that the test cuts).
 */
import { afterAll, describe, expect, it } from "vitest";
import { Plan } from "../models/index.ts";
import { buildRoutingContext, chooseRep, rankCandidates } from "../src/routing/live-routing.ts";
import { POSTGRES_MIGRATIONS } from "../src/storage/postgres-migrations.ts";
import { openPostgresStore, type PostgresStore, type PostgresStoreOptions } from "../src/storage/postgres-store.ts";
import { SchemaVersionError } from "../src/storage/sqlite-migrations.ts";
import { StoreUnavailableError } from "../src/storage/store-unavailable.ts";
import { PLAN_A, solved } from "./plans-fixtures.ts";
import { ADMIN_DATABASE_URL, createTestDatabase, databaseUrl, dropTestDatabases, onDatabase } from "./postgres-test-database.ts";
import { storeContract, type StoreKind } from "./store-contract.ts";
import { startTcpProxy } from "./tcp-proxy.ts";

afterAll(dropTestDatabases);

const who = { requestId: "req-pg", keyId: null };

function postgresKind(name: string, extra: PostgresStoreOptions = {}): StoreKind {
  return {
    name,
    async open(options = {}) {
      const url = await createTestDatabase();
      const open = () => openPostgresStore(url, { poolSize: 4, ...extra, ...options });
      const store = await open();
      const stores: PostgresStore[] = [store];
      return {
        store,
        exec: (sql) => onDatabase(url, async (client) => void (await client.query(sql))),
        scalar: (sql) => onDatabase(url, async (client) => Object.values((await client.query<Record<string, unknown>>(sql)).rows[0] ?? {})[0]),
        async another() {
          const other = await open();
          stores.push(other);
          return other;
        },
        async close() {
          await Promise.all(stores.map((s) => s.close()));
        },
      };
    },
  };
}

storeContract(postgresKind("PostgreSQL"));

describe("PostgreSQL store: schema and migrations", () => {
  it("migrates once when several instances start together, recording each migration once", async () => {
    const url = await createTestDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(url, { poolSize: 1 })));
    try {
      const newest = Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version));
      expect(stores.map((s) => s.schemaVersion)).toEqual([newest, newest, newest, newest]);
      expect(stores[0]?.location).toBe(url);
      await onDatabase(url, async (client) => {
        const migrations = (await client.query("SELECT version, name FROM schema_migrations ORDER BY version")).rows;
        expect(migrations).toEqual(POSTGRES_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
        const tables = (await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).rows.map((r: { tablename: string }) => r.tablename);
        expect(tables).toEqual(["activation_schedules", "api_keys", "assignments", "audit_log", "deal_outcomes", "idempotency_keys", "jobs", "load_totals", "plan_approvals", "plans", "rep_loads", "schema_migrations", "sessions"]);
      });
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
    // Opening again applies nothing.
    const again = await openPostgresStore(url);
    await again.close();
    expect(await onDatabase(url, async (client) => (await client.query("SELECT count(*)::int AS n FROM schema_migrations")).rows[0])).toEqual({ n: POSTGRES_MIGRATIONS.length });
  });

  it("refuses a database written by a newer schema instead of misreading it", async () => {
    const url = await createTestDatabase();
    await (await openPostgresStore(url)).close();
    await onDatabase(url, (client) => client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from the future', 'now')"));
    await expect(openPostgresStore(url)).rejects.toThrow(SchemaVersionError);
    await expect(openPostgresStore(url)).rejects.toThrow(/ALLOT_DATABASE_URL/);
  });

  it("refuses TRUNCATE of the plan versions as it refuses DELETE", async () => {
    const url = await createTestDatabase();
    const store = await openPostgresStore(url);
    try {
      await store.savePlan({ label: "kept", plan: PLAN_A, solution: await solved(PLAN_A) }, who);
      await expect(onDatabase(url, (client) => client.query("TRUNCATE plans CASCADE"))).rejects.toThrow(/never deleted/);
      expect((await store.listPlans({ limit: 5, after: null })).items.map((p) => p.label)).toEqual(["kept"]);
    } finally {
      await store.close();
    }
  });
});

describe("PostgreSQL store: SERIALIZABLE routing", () => {
  it("keeps the same guarantees with serializable transactions retried on conflict", async () => {
    const SEATS = 8;
    const plan = Plan.parse({
      customers: ["s1", "s2"].map((rep) => ({ id: `own-${rep}`, value: 10 })),
      reps: ["s1", "s2"].map((id) => ({ id, maxAccounts: SEATS })),
      policy: { locks: ["s1", "s2"].map((rep) => ({ customer: `own-${rep}`, rep })) },
    });
    const url = await createTestDatabase();
    const stores = await Promise.all(Array.from({ length: 3 }, () => openPostgresStore(url, { poolSize: 3, routeLocking: "serializable" })));
    try {
      const [first] = stores;
      if (first === undefined) throw new Error("no store");
      const version = await first.savePlan({ label: "s", plan, solution: await solved(plan) }, who);
      await first.activatePlan(version.id, who);
      const ctx = buildRoutingContext(version.id, plan);
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, (_, i) => {
          const customer = { id: `lead-${i}`, value: 1 + i };
          const ranking = rankCandidates(ctx, customer);
          return stores[i % 3]?.route({ planId: version.id, customerId: customer.id, reps: ranking.candidates.map((c) => c.rep.id), decide: (l, t) => chooseRep(ctx, ranking, l, t), audit: who });
        }),
      );
      const routed = outcomes.filter((o) => o?.kind === "routed" && o.decision.rep !== null);
      expect(routed).toHaveLength(2 * (SEATS - 1));
      expect(outcomes.filter((o) => o?.kind === "routed")).toHaveLength(30);
      const loads = await first.repLoads(version.id);
      expect([loads?.get("s1")?.accounts, loads?.get("s2")?.accounts]).toEqual([SEATS, SEATS]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});

describe("PostgreSQL store: a database that goes away", () => {
  it("fails fast with StoreUnavailableError while the database cannot be reached, and recovers by itself", async () => {
    const url = new URL(await createTestDatabase());
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    const throughProxy = databaseUrl(url.pathname.slice(1), `postgres://${url.username}@127.0.0.1:${proxy.port}/`);
    const errors: Error[] = [];
    const store = await openPostgresStore(throughProxy, { poolSize: 2, connectTimeoutMs: 1_000, onError: (e) => errors.push(e) });
    try {
      const saved = await store.savePlan({ label: "before", plan: PLAN_A, solution: await solved(PLAN_A) }, who);
      await store.checkHealth(1_000);

      await proxy.cut();
      await expect(store.getPlan(saved.id)).rejects.toThrow(StoreUnavailableError);
      await expect(store.savePlan({ label: "during", plan: PLAN_A, solution: await solved(PLAN_A) }, who)).rejects.toThrow(StoreUnavailableError);
      await expect(store.claimIdempotencyKey({ identity: "", key: "k", method: "POST", path: "/v1/plans" }, "fp", { leaseMs: 1000, retentionMs: 86_400_000 })).rejects.toThrow(
        StoreUnavailableError,
      );
      await expect(store.checkHealth(1_000)).rejects.toThrow(StoreUnavailableError);

      await proxy.restore();
      await store.checkHealth(2_000);
      expect((await store.getPlan(saved.id))?.label).toBe("before");
      const after = await store.savePlan({ label: "after", plan: PLAN_A, solution: await solved(PLAN_A) }, who);
      expect((await store.listPlans({ limit: 5, after: null })).items.map((p) => p.label)).toEqual(["after", "before"]);
      expect(after.version).toBeGreaterThan(saved.version);
    } finally {
      await store.close();
      await proxy.cut();
    }
  });

  it("refuses to start on a database it cannot reach, naming the cause", async () => {
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(ADMIN_DATABASE_URL).port || 5432) });
    await proxy.cut();
    await expect(openPostgresStore(`postgres://postgres@127.0.0.1:${proxy.port}/postgres`, { connectTimeoutMs: 1_000 })).rejects.toThrow(StoreUnavailableError);
  });
});
