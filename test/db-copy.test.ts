/**
 * `npm run db:copy`: a SQLite database written through the store (plans in every state, routed and
 * unassigned customers, audit, idempotency keys done and in flight, jobs in every state, deal
 * outcomes, keys, sessions) moved to a
 * fresh PostgreSQL database. Checked independently of the command: every table SQLite has (so a
 * table added later and forgotten by the copy fails here) has the same row count and the same
 * checksum of its rows in key order on both sides; the stores answer the same through their
 * interface; sequence numbers continue after the copied ones; a non-empty target is refused.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { runDbCopy } from "../api/db-copy-command.ts";
import { Plan } from "../models/index.ts";
import { buildRoutingContext, chooseRep, rankCandidates } from "../src/routing/live-routing.ts";
import type { PlanStore } from "../src/storage/plan-store.ts";
import { openPostgresStore } from "../src/storage/postgres-store.ts";
import { openSqliteStore, type SqliteStore } from "../src/storage/sqlite-store.ts";
import { INFEASIBLE_PLAN, PLAN_A, PLAN_B, ROUTING_PLAN, solved } from "./plans-fixtures.ts";
import { createTestDatabase, dropTestDatabases, onDatabase } from "./postgres-test-database.ts";
import { projectRoot } from "./project-root.ts";

const dir = mkdtempSync(path.join(tmpdir(), "allot-db-copy-"));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropTestDatabases();
});

const who = { requestId: "req-copy", keyId: "0123456789ab" };

async function route(store: PlanStore, planId: string, plan: Plan, customer: Plan["customers"][number]) {
  const ctx = buildRoutingContext(planId, plan);
  const ranking = rankCandidates(ctx, customer);
  return store.route({ planId, customerId: customer.id, reps: ranking.candidates.map((c) => c.rep.id), decide: (l, t) => chooseRep(ctx, ranking, l, t), audit: who });
}

/** A SQLite database with something in every table. */
async function writtenSqlite(file: string): Promise<void> {
  const store = openSqliteStore(file);
  try {
    await store.savePlan({ label: "draft — Nordics ✓", plan: PLAN_A, solution: await solved(PLAN_A) }, who);
    await store.savePlan({ label: "never", plan: INFEASIBLE_PLAN, solution: await solved(INFEASIBLE_PLAN) }, who);
    const routing = await store.savePlan({ label: "routing", plan: ROUTING_PLAN, solution: await solved(ROUTING_PLAN) }, who);
    await store.activatePlan(routing.id, who);
    for (let i = 0; i < 4; i++) await route(store, routing.id, ROUTING_PLAN, { id: `lead-${i}`, value: 1000 + i, territory: "north", needs: ["x"] });
    await route(store, routing.id, ROUTING_PLAN, { id: "nowhere", value: 5, territory: "west" });
    const b = await store.savePlan({ label: "B", plan: PLAN_B, solution: await solved(PLAN_B) }, who);
    await store.activatePlan(b.id, who);
    await route(store, b.id, PLAN_B, { id: "late", value: 1.25 });
    // Approval steps, a waiting schedule and one that was cancelled.
    const first = (await store.listPlans({ limit: 50, after: null })).items.at(-1)?.id ?? "";
    await store.recordApproval(first, { action: "submit", by: "ana", comment: "ready — ✓" }, who);
    await store.recordApproval(first, { action: "approve", by: "bo", comment: null }, { requestId: "req-bo", keyId: "bo0000000000" });
    await store.scheduleActivation(first, "2999-01-01T00:00:00.000Z", who, { requireApproval: true });
    const cancelled = await store.scheduleActivation(first, "2998-01-01T00:00:00.000Z", who, { requireApproval: false });
    if (cancelled.kind === "scheduled") await store.cancelSchedule(cancelled.schedule.id, who);

    const scope = { identity: "0123456789ab", key: "k-done", method: "POST", path: "/v1/route" };
    const options = { leaseMs: 30_000, retentionMs: 86_400_000 };
    const done = await store.claimIdempotencyKey(scope, "fp", options);
    await store.completeIdempotencyKey(scope, done.kind === "claimed" ? done.token : "", { status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: '{"ok":"ünïcode"}' });
    await store.claimIdempotencyKey({ ...scope, key: "k-running" }, "fp2", options);

    const at = (s: number) => new Date(Date.UTC(2027, 0, 1, 0, 0, s)).toISOString();
    for (const [i, kind] of (["solve", "scenarios", "reassign", "solve"] as const).entries()) await store.insertJob({ id: `job-${i}`, kind, workJson: `{"i":${i}}`, createdAt: at(i) });
    await store.startJob("job-0", at(5));
    await store.updateJobProgress("job-0", { seq: 2, solve: null, solvesDone: 0, solvesTotal: 1 });
    await store.finishJob("job-0", { state: "succeeded", status: "optimal", resultJson: '{"status":"optimal"}', error: null, finishedAt: at(6), expiresAt: at(100) });
    await store.startJob("job-1", at(7));
    await store.recordOutcomes(
      [
        { deal: "deal-1", customer: "c1", rep: "r1", won: true, amount: 1200.75, closedAt: "2027-02-01" },
        { deal: "deal-2", customer: "c5", rep: "r3", won: false, amount: 0, closedAt: "2027-02-02" },
      ],
      who,
    );
    await store.finishJob("job-2", { state: "failed", status: null, resultJson: null, error: { type: "invalid-plan", detail: "no", errors: [{ path: "plan.reps", message: "empty" }] }, finishedAt: at(8), expiresAt: at(100) });
    const admin = { requestId: "req-key", keyId: "0123456789ab", keyLabel: "first", keyRole: "admin" };
    await store.createApiKey({ id: "a1b2c3d4e5f6", digest: "ab".repeat(32), role: "integrator", label: "crm", expiresAt: at(200) }, admin);
    await store.createApiKey({ id: "0f0f0f0f0f0f", digest: "cd".repeat(32), role: "viewer", label: "dashboards", expiresAt: null }, admin);
    await store.revokeApiKey("0f0f0f0f0f0f", admin);
    const session = { csrfDigest: "ef".repeat(32), keyId: "a1b2c3d4e5f6", keySource: "managed", role: "integrator", label: "crm", createdAt: at(10), expiresAt: at(300) } as const;
    await store.createSession({ ...session, digest: "01".repeat(32) });
    await store.createSession({ ...session, digest: "02".repeat(32), keyId: "0123456789ab", keySource: "bootstrap", role: "admin", label: "ALLOT_API_KEYS" });
    await store.touchSession("01".repeat(32), at(20));
    await store.revokeSession("02".repeat(32), at(30));
  } finally {
    store.close();
  }
}

/** Count and sha256 of a table's rows in key order (text keys by code point on both sides), flags as booleans. */
interface TableDigest {
  rows: number;
  sha256: string;
  data: unknown[][];
}

function digest(rows: unknown[][]): TableDigest {
  const hash = createHash("sha256");
  for (const row of rows) hash.update(`${JSON.stringify(row)}\n`);
  return { rows: rows.length, sha256: hash.digest("hex"), data: rows };
}

function sqliteTables(file: string): Map<string, { columns: string[]; key: string[] }> {
  const db = new Database(file, { readonly: true });
  try {
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name").pluck().all();
    const out = new Map<string, { columns: string[]; key: string[] }>();
    for (const name of names) {
      const info = db.prepare(`PRAGMA table_info(${String(name)})`).all() as { name: string; pk: number }[];
      out.set(String(name), { columns: info.map((c) => c.name), key: info.filter((c) => c.pk > 0).sort((x, y) => x.pk - y.pk).map((c) => c.name) });
    }
    return out;
  } finally {
    db.close();
  }
}

/** SQLite keeps these flags as 0/1, PostgreSQL as booleans. */
const FLAGS = new Set(["verified", "won", "require_approval"]);
const normalised = (columns: string[], row: Record<string, unknown>) => columns.map((c) => (FLAGS.has(c) && typeof row[c] === "number" ? row[c] === 1 : (row[c] ?? null)));

function sqliteDigest(file: string, table: string, columns: string[], key: string[]): TableDigest {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare(`SELECT ${columns.join(", ")} FROM ${table} ORDER BY ${key.join(", ")}`).all() as Record<string, unknown>[];
    return digest(rows.map((r) => normalised(columns, r)));
  } finally {
    db.close();
  }
}

async function postgresDigest(url: string, table: string, columns: string[], key: string[]): Promise<TableDigest> {
  return onDatabase(url, async (client) => {
    const types = new Map((await client.query<{ column_name: string; data_type: string }>("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1", [table])).rows.map((r) => [r.column_name, r.data_type]));
    const order = key.map((k) => (types.get(k) === "text" ? `${k} COLLATE "C"` : k)).join(", ");
    // 64-bit integers come back as text from a plain client: read them as numbers like the store does.
    const select = columns.map((c) => (types.get(c) === "bigint" ? `${c}::float8 AS ${c}` : c)).join(", ");
    const rows = (await client.query<Record<string, unknown>>(`SELECT ${select} FROM ${table} ORDER BY ${order}`)).rows;
    return digest(rows.map((r) => normalised(columns, r)));
  });
}

describe("npm run db:copy", () => {
  it("moves every table of a SQLite database to PostgreSQL: same counts, same checksums, same answers, sequences continuing", async () => {
    const file = path.join(dir, "allot.db");
    await writtenSqlite(file);
    const url = await createTestDatabase();
    const withPassword = new URL(url);
    withPassword.password = "s3cret-pw";

    // The real entry point, the URL from the environment (as the docs recommend).
    const run = spawnSync(process.execPath, ["--import", "tsx", "api/db-copy.ts", "--from", file], {
      cwd: projectRoot,
      env: { ...process.env, ALLOT_DATABASE_URL: withPassword.toString() },
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("verified: every table has the source's row count and checksum; committed.");
    expect(run.stdout).not.toContain("s3cret-pw");

    const tables = sqliteTables(file);
    expect([...tables.keys()]).toEqual(["activation_schedules", "api_keys", "assignments", "audit_log", "deal_outcomes", "idempotency_keys", "jobs", "load_totals", "plan_approvals", "plans", "rep_loads", "sessions"]);
    for (const [table, { columns, key }] of tables) {
      const before = sqliteDigest(file, table, columns, key);
      const after = await postgresDigest(url, table, columns, key);
      expect(before.rows, table).toBeGreaterThan(0);
      expect({ table, rows: after.rows, sha256: after.sha256 }).toEqual({ table, rows: before.rows, sha256: before.sha256 });
      expect(after.data).toEqual(before.data);
      // The command reports the same count for the table.
      expect(run.stdout).toMatch(new RegExp(`${table}\\s+${before.rows} rows`));
    }

    const sqlite: SqliteStore = openSqliteStore(file);
    const postgres = await openPostgresStore(url, { poolSize: 2 });
    try {
      const plans = await sqlite.listPlans({ limit: 50, after: null });
      expect(await postgres.listPlans({ limit: 50, after: null })).toEqual(plans);
      for (const plan of plans.items) {
        expect(await postgres.getPlanInput(plan.id)).toBe(await sqlite.getPlanInput(plan.id));
        expect(await postgres.getSolutionOverview(plan.id)).toEqual(await sqlite.getSolutionOverview(plan.id));
        expect(await postgres.listAssignments(plan.id, { limit: 500, after: null })).toEqual(await sqlite.listAssignments(plan.id, { limit: 500, after: null }));
        expect(await postgres.repLoads(plan.id)).toEqual(await sqlite.repLoads(plan.id));
      }
      expect(await postgres.activePlan()).toEqual(await sqlite.activePlan());
      expect(await postgres.listSchedules({ limit: 50, after: null })).toEqual(await sqlite.listSchedules({ limit: 50, after: null }));
      for (const plan of plans.items) expect(await postgres.getApproval(plan.id)).toEqual(await sqlite.getApproval(plan.id));
      for (const plan of plans.items) expect(await postgres.planOutcomes(plan.id)).toEqual(await sqlite.planOutcomes(plan.id));
      expect(await postgres.listAudit({ limit: 500, after: null })).toEqual(await sqlite.listAudit({ limit: 500, after: null }));
      expect(await postgres.listJobs({ limit: 50, before: null })).toEqual(await sqlite.listJobs({ limit: 50, before: null }));
      expect(await postgres.getJob("job-0")).toEqual(await sqlite.getJob("job-0"));
      const scope = { identity: "0123456789ab", key: "k-done", method: "POST", path: "/v1/route" };
      const options = { leaseMs: 30_000, retentionMs: 86_400_000 };
      expect(await postgres.claimIdempotencyKey(scope, "fp", options)).toEqual(await sqlite.claimIdempotencyKey(scope, "fp", options));
      expect(await postgres.claimIdempotencyKey({ ...scope, key: "k-running" }, "fp2", options)).toMatchObject({ kind: "in-flight" });

      // Routing goes on where it stopped, and numbers continue after the copied ones.
      const active = await postgres.activePlan();
      expect(await route(postgres, active?.id ?? "", PLAN_B, { id: "late", value: 1 })).toMatchObject({ kind: "customer-exists", source: "routed" });
      expect(await route(postgres, active?.id ?? "", PLAN_B, { id: "after-move", value: 2 })).toMatchObject({ kind: "routed" });
      const next = await postgres.savePlan({ label: "after the move", plan: PLAN_A, solution: await solved(PLAN_A) }, who);
      expect(next.version).toBe(Math.max(...plans.items.map((p) => p.version)) + 1);
      const audit = await postgres.listAudit({ limit: 1, after: null });
      const copiedAudit = await sqlite.listAudit({ limit: 1, after: null });
      expect(Number(audit.items[0]?.id)).toBe(Number(copiedAudit.items[0]?.id) + 2);
      expect((await postgres.insertJob({ id: "job-new", kind: "solve", workJson: "{}", createdAt: new Date().toISOString() })).id).toBe("job-new");
      expect((await postgres.listJobs({ limit: 1, before: null })).jobs[0]?.id).toBe("job-new");
    } finally {
      sqlite.close();
      await postgres.close();
    }
  });

  it("refuses a target that holds data or does not keep what it is given, and bad arguments, changing nothing", async () => {
    const file = path.join(dir, "small.db");
    const store = openSqliteStore(file);
    await store.savePlan({ label: "one", plan: PLAN_A, solution: await solved(PLAN_A) }, who);
    store.close();
    const url = await createTestDatabase();
    const out: string[] = [];
    const err: string[] = [];
    const run = (argv: string[], env: Record<string, string> = {}) => runDbCopy(argv, env, (t) => out.push(t), (t) => err.push(t));

    expect(await run(["--from", file, "--to", url])).toBe(0);
    const plansAfterFirst = await onDatabase(url, async (c) => (await c.query("SELECT count(*)::int AS n FROM plans")).rows[0]);
    expect(await run(["--from", file, "--to", url])).toBe(1);
    expect(err.join("")).toMatch(/already holds data \(table plans\); copy into an empty database/);
    expect(await onDatabase(url, async (c) => (await c.query("SELECT count(*)::int AS n FROM plans")).rows[0])).toEqual(plansAfterFirst);

    // A target that changes what it is given (here a trigger rewriting audit notes) fails the check: all rolled back.
    const tampering = await createTestDatabase();
    await (await openPostgresStore(tampering)).close();
    await onDatabase(tampering, (c) =>
      c.query(`CREATE FUNCTION tamper() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.note := 'tampered'; RETURN NEW; END $$;
               CREATE TRIGGER tamper BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION tamper();`),
    );
    err.length = 0;
    expect(await run(["--from", file, "--to", tampering])).toBe(1);
    expect(err.join("")).toMatch(/audit_log: 1 rows read, 1 in PostgreSQL, checksums [0-9a-f]{64} and [0-9a-f]{64}: nothing was copied/);
    expect(await onDatabase(tampering, async (c) => (await c.query("SELECT count(*)::int AS n FROM plans")).rows[0])).toEqual({ n: 0 });

    err.length = 0;
    expect(await run(["--from", file])).toBe(2);
    expect(err.join("")).toContain("--to (or ALLOT_DATABASE_URL) must be a postgres://");
    expect(await run(["--from", path.join(dir, "missing.db"), "--to", url])).toBe(1);
    expect(err.join("")).toContain("no SQLite database at");
    expect(await run(["--bogus"])).toBe(2);
    expect(await run(["--help"])).toBe(0);
    expect(out.join("")).toContain("Usage: npm run --silent db:copy");
  });
});
