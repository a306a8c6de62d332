import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../api/config.ts";
import type { Solution } from "../models/index.ts";
import type { IdempotencyScope } from "../src/storage/idempotency-store.ts";
import type { AuditContext } from "../src/storage/plan-store.ts";
import { SchemaVersionError, SQLITE_MIGRATIONS } from "../src/storage/sqlite-migrations.ts";
import { openSqliteStore } from "../src/storage/sqlite-store.ts";
import { INFEASIBLE_PLAN, PLAN_A, PLAN_B, solved } from "./plans-fixtures.ts";

const dir = mkdtempSync(path.join(tmpdir(), "allot-storage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const who: AuditContext = { requestId: "req-1", keyId: "abc123def456" };
let files = 0;
const freshFile = () => path.join(dir, `db-${++files}`, "allot.db");

describe("SQLite store: schema and file", () => {
  it("creates the folder and the file, in WAL mode, with each migration recorded once", () => {
    const file = freshFile();
    const store = openSqliteStore(file);
    expect(store.schemaVersion).toBe(Math.max(...SQLITE_MIGRATIONS.map((m) => m.version)));
    store.close();
    const again = openSqliteStore(file);
    again.close();

    const db = new Database(file, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    const rows = db.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all();
    expect(rows).toEqual(SQLITE_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
    expect(tables).toEqual(["assignments", "audit_log", "deal_outcomes", "idempotency_keys", "jobs", "load_totals", "plans", "rep_loads", "schema_migrations"]);
    db.close();
  });

  it("refuses a database written by a newer schema instead of misreading it", () => {
    const file = freshFile();
    openSqliteStore(file).close();
    const db = new Database(file);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from the future', 'now')").run();
    db.close();
    expect(() => openSqliteStore(file)).toThrow(SchemaVersionError);
  });
});

describe("database settings", () => {
  it("reads ALLOT_DB_PATH and ALLOT_DB_SYNCHRONOUS, and names an invalid one", () => {
    expect(loadConfig({})).not.toHaveProperty("dbPath");
    expect(loadConfig({ ALLOT_DB_PATH: " /data/allot.db ", ALLOT_DB_SYNCHRONOUS: "Normal" })).toMatchObject({ dbPath: "/data/allot.db", dbSynchronous: "normal" });
    expect(loadConfig({ ALLOT_DB_PATH: ":memory:" }).dbPath).toBe(":memory:");
    const problems = (() => {
      try {
        loadConfig({ ALLOT_DB_SYNCHRONOUS: "off" });
        return [];
      } catch (error) {
        return error instanceof ConfigError ? error.problems : ["not a ConfigError"];
      }
    })();
    expect(problems).toEqual(['ALLOT_DB_SYNCHRONOUS: must be full or normal (got "off")']);
  });
});

describe("SQLite store: plan versions", () => {
  it("keeps versions immutable: the database itself refuses to change or delete them", async () => {
    const file = freshFile();
    const store = openSqliteStore(file);
    const v1 = await store.savePlan({ label: "2027-Q1 draft", plan: PLAN_A, solution: await solved(PLAN_A) }, who);
    const v2 = await store.savePlan({ label: "2027-Q1 draft", plan: PLAN_A, solution: await solved(PLAN_A) }, who);
    expect(v2.id).not.toBe(v1.id);
    expect(v2.version).toBe(v1.version + 1);
    expect(v2.inputHash).toBe(v1.inputHash);
    const input = await store.getPlanInput(v1.id);

    const db = new Database(file);
    for (const statement of [
      "UPDATE plans SET label = 'renamed'",
      "UPDATE plans SET input_json = '{}'",
      "UPDATE plans SET overview_json = '{}', objective = 0",
      "DELETE FROM plans",
      "UPDATE assignments SET rep_id = 'r2'",
      "UPDATE plans SET state = 'archived' WHERE state = 'draft'",
    ]) {
      expect(() => db.prepare(statement).run(), statement).toThrow(/immutable|never|draft -> active -> archived/);
    }
    db.close();
    expect(await store.getPlanInput(v1.id)).toBe(input);
    expect((await store.getPlan(v1.id))?.label).toBe("2027-Q1 draft");
    store.close();
  });

  it("keeps one active plan: activation archives the previous one in the same transaction", async () => {
    const store = openSqliteStore(":memory:");
    const a = await store.savePlan({ label: "A", plan: PLAN_A, solution: await solved(PLAN_A) }, who);
    const b = await store.savePlan({ label: "B", plan: PLAN_B, solution: await solved(PLAN_B) }, who);
    const bad = await store.savePlan({ label: "bad", plan: INFEASIBLE_PLAN, solution: await solved(INFEASIBLE_PLAN) }, who);
    expect(bad.status).toBe("infeasible");
    expect(bad.activatable).toBe(false);

    const first = await store.activatePlan(a.id, who);
    expect(first.kind).toBe("activated");
    expect(await store.activatePlan(a.id, who)).toMatchObject({ kind: "already-active" });
    const second = await store.activatePlan(b.id, who);
    expect(second).toMatchObject({ kind: "activated", plan: { id: b.id, state: "active" }, archived: { id: a.id, state: "archived" } });
    expect(await store.activatePlan(a.id, who)).toMatchObject({ kind: "not-activatable", why: expect.stringContaining("archived") });
    expect(await store.activatePlan(bad.id, who)).toMatchObject({ kind: "not-activatable", why: expect.stringContaining("infeasible") });
    expect(await store.activatePlan("nope", who)).toEqual({ kind: "not-found" });

    const states = (await store.listPlans({ limit: 10, after: null })).items.map((p) => [p.label, p.state]);
    expect(states).toEqual([
      ["bad", "draft"],
      ["B", "active"],
      ["A", "archived"],
    ]);
    expect((await store.activePlan())?.id).toBe(b.id);
    store.close();
  });

  it("enforces a single active plan in the schema too", async () => {
    const file = freshFile();
    const store = openSqliteStore(file);
    const solution: Solution = await solved(PLAN_A);
    await store.savePlan({ label: "A", plan: PLAN_A, solution }, who);
    await store.savePlan({ label: "B", plan: PLAN_A, solution }, who);
    store.close();
    const db = new Database(file);
    expect(() => db.prepare("UPDATE plans SET state = 'active'").run()).toThrow(/UNIQUE/);
    expect(db.prepare("SELECT count(*) FROM plans WHERE state = 'active'").pluck().get()).toBe(0);
    db.close();
  });

  it("pages plans and the audit log newest first, and a plan's customers in order", async () => {
    const store = openSqliteStore(":memory:");
    const solution = await solved(PLAN_A);
    for (const label of ["p1", "p2", "p3", "p4", "p5"]) await store.savePlan({ label, plan: PLAN_A, solution }, who);
    const labels: string[] = [];
    let after: number | null = null;
    let pages = 0;
    do {
      const page = await store.listPlans({ limit: 2, after });
      labels.push(...page.items.map((p) => p.label));
      after = page.next;
      pages++;
    } while (after !== null);
    expect(labels).toEqual(["p5", "p4", "p3", "p2", "p1"]);
    expect(pages).toBe(3);

    const audit = await store.listAudit({ limit: 3, after: null });
    expect(audit.items.map((e) => [e.action, e.note?.slice(0, 4)])).toEqual([
      ["plan.saved", '"p5"'],
      ["plan.saved", '"p4"'],
      ["plan.saved", '"p3"'],
    ]);
    expect(audit.items[0]).toMatchObject({ requestId: "req-1", keyId: "abc123def456", customer: null, rep: null });

    const first = (await store.listPlans({ limit: 1, after: null })).items[0];
    const customers = await store.listAssignments(first?.id ?? "", { limit: 3, after: null });
    expect(customers?.items.map((a) => [a.customer, a.rep, a.source])).toEqual([
      ["c1", "r1", "plan"],
      ["c2", "r1", "plan"],
      ["c3", "r2", "plan"],
    ]);
    expect(customers?.next).not.toBeNull();
    expect(await store.listAssignments("nope", { limit: 3, after: null })).toBeNull();
    store.close();
  });
});

describe("SQLite store: idempotency keys", () => {
  const scope: IdempotencyScope = { identity: "k1", key: "abc", method: "POST", path: "/v1/route" };
  const options = { leaseMs: 30_000, retentionMs: 24 * 3_600_000 };

  it("claims, reports in-flight, replays, refuses another fingerprint, and frees a released key", async () => {
    let now = 1_000_000;
    const store = openSqliteStore(":memory:", { now: () => now });
    const claim = await store.claimIdempotencyKey(scope, "fp1", options);
    expect(claim.kind).toBe("claimed");
    const token = claim.kind === "claimed" ? claim.token : "";
    expect(await store.claimIdempotencyKey(scope, "fp1", options)).toEqual({ kind: "in-flight", retryAfterMs: 30_000 });
    expect(await store.claimIdempotencyKey(scope, "fp2", options)).toEqual({ kind: "mismatch" });
    // Another identity, method or path is another key.
    expect((await store.claimIdempotencyKey({ ...scope, identity: "k2" }, "fp2", options)).kind).toBe("claimed");
    expect((await store.claimIdempotencyKey({ ...scope, path: "/v1/plans" }, "fp2", options)).kind).toBe("claimed");

    await store.completeIdempotencyKey(scope, "someone-else", { status: 500, headers: {}, body: "nope" });
    expect((await store.claimIdempotencyKey(scope, "fp1", options)).kind).toBe("in-flight");
    await store.completeIdempotencyKey(scope, token, { status: 200, headers: { "content-type": "application/json" }, body: '{"ok":true}' });
    now += 1000;
    expect(await store.claimIdempotencyKey(scope, "fp1", options)).toEqual({
      kind: "replay",
      createdAt: 1_000_000,
      response: { status: 200, headers: { "content-type": "application/json" }, body: '{"ok":true}' },
    });
    expect(await store.claimIdempotencyKey(scope, "fp2", options)).toEqual({ kind: "mismatch" });

    const other = { ...scope, key: "released" };
    const held = await store.claimIdempotencyKey(other, "fp", options);
    await store.releaseIdempotencyKey(other, held.kind === "claimed" ? held.token : "");
    expect((await store.claimIdempotencyKey(other, "fp", options)).kind).toBe("claimed");
    store.close();
  });

  it("lets a retry take over a claim whose lease ran out (a process that died), and forgets keys after the retention", async () => {
    let now = 5_000_000;
    const store = openSqliteStore(":memory:", { now: () => now });
    const first = await store.claimIdempotencyKey(scope, "fp", options);
    now += 29_999;
    expect((await store.claimIdempotencyKey(scope, "fp", options)).kind).toBe("in-flight");
    now += 2;
    const second = await store.claimIdempotencyKey(scope, "fp", options);
    expect(second.kind).toBe("claimed");
    // The first claimant's late answer no longer counts; the second's does.
    await store.completeIdempotencyKey(scope, first.kind === "claimed" ? first.token : "", { status: 200, headers: {}, body: "first" });
    await store.completeIdempotencyKey(scope, second.kind === "claimed" ? second.token : "", { status: 200, headers: {}, body: "second" });
    expect(await store.claimIdempotencyKey(scope, "fp", options)).toMatchObject({ kind: "replay", response: { body: "second" } });

    now += 24 * 3_600_000 - 60_000;
    expect((await store.claimIdempotencyKey(scope, "other", options)).kind).toBe("mismatch");
    now += 120_000;
    expect((await store.claimIdempotencyKey(scope, "other", options)).kind).toBe("claimed");
    store.close();
  });
});
