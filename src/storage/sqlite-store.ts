/**
 * The embedded store: one SQLite file through better-sqlite3 (default ./var/allot.db), in WAL mode
 * with synchronous=FULL by default, so that a committed transaction survives a crash of the process
 * and of the machine (synchronous=NORMAL, optional, keeps the first guarantee only). Every write is one transaction begun with BEGIN IMMEDIATE: it takes the file's
 * write lock before reading, so a read-modify-write (routing a customer against a rep's load) can
 * never interleave with another writer, in this process or in another one sharing the file
 * (others wait up to `busyTimeoutMs`).
 *
 * better-sqlite3 is synchronous: each call runs to completion on the event loop. The routing
 * transaction costs a fraction of a millisecond (see bench/route-latency.ts); the large writes
 * (saving a plan of tens of thousands of customers) take tens of milliseconds.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Database as SqliteDatabase } from "better-sqlite3";
import {
  AuditAction,
  PlanState,
  ScoreComponents,
  SolutionStatus,
  type AssignmentRecord,
  type AuditEntry,
  type PlanVersion,
} from "../../models/index.ts";
import type { IdempotencyClaim, IdempotencyOptions, IdempotencyScope, IdempotencyStore, StoredResponse } from "./idempotency-store.ts";
import type {
  ActivationOutcome,
  AuditContext,
  CustomerPlacement,
  LoadTotals,
  NewPlanVersion,
  Page,
  PageRequest,
  PlanStore,
  RepLoadState,
  RouteAttempt,
  RouteEffect,
  RouteOutcome,
} from "./plan-store.ts";
import { migrateSqlite } from "./sqlite-migrations.ts";
import { readStoredOverview } from "./stored-overview.ts";
import { asRow, nullableNum, nullableText, num, optionalRow, text, type Row } from "./sqlite-row.ts";

export interface SqliteStoreOptions {
  /** Clock in ms since the epoch (tests move it to check retention). */
  now?: () => number;
  /** How long a writer waits for another process's write lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
  /**
   * "full" (default): a commit is on disk before it returns, so it survives power loss too.
   * "normal": in WAL mode a commit survives a crash of the process, but the last ones may be lost
   * if the machine itself stops; about 3 times cheaper per write.
   */
  synchronous?: "full" | "normal";
}

export interface SqliteStore extends PlanStore, IdempotencyStore {
  /** The file (or ":memory:"). */
  readonly location: string;
  readonly schemaVersion: number;
  /** `PRAGMA integrity_check`: "ok" for a sound file. */
  integrityCheck(): string;
  close(): void;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
const PURGE_EVERY_MS = 60_000;

const PLAN_COLUMNS =
  "seq, id, label, state, status, verified, objective, expected_value, input_hash, solver_backend, solver_version, customers, reps, assigned, unassigned, created_at, activated_at, archived_at";

function planVersion(row: Row): PlanVersion {
  const status = SolutionStatus.parse(text(row, "status"));
  const state = PlanState.parse(text(row, "state"));
  return {
    id: text(row, "id"),
    version: num(row, "seq"),
    label: text(row, "label"),
    state,
    status,
    activatable: num(row, "verified") === 1 && state !== "archived",
    objective: nullableNum(row, "objective"),
    expectedValue: num(row, "expected_value"),
    inputHash: text(row, "input_hash"),
    solver: { backend: text(row, "solver_backend"), version: text(row, "solver_version") },
    customers: num(row, "customers"),
    reps: num(row, "reps"),
    assigned: num(row, "assigned"),
    unassigned: num(row, "unassigned"),
    createdAt: text(row, "created_at"),
    activatedAt: nullableText(row, "activated_at"),
    archivedAt: nullableText(row, "archived_at"),
  };
}

function assignmentRecord(row: Row): AssignmentRecord {
  const components = nullableText(row, "components_json");
  const source = text(row, "source");
  return {
    customer: text(row, "customer_id"),
    rep: nullableText(row, "rep_id"),
    expectedValue: nullableNum(row, "expected_value"),
    components: components === null ? null : ScoreComponents.parse(JSON.parse(components)),
    source: source === "routed" ? "routed" : "plan",
    reason: nullableText(row, "reason"),
    routedAt: nullableText(row, "routed_at"),
  };
}

function auditEntry(row: Row): AuditEntry {
  return {
    id: String(num(row, "seq")),
    at: text(row, "at"),
    requestId: text(row, "request_id"),
    keyId: nullableText(row, "key_id"),
    action: AuditAction.parse(text(row, "action")),
    planId: nullableText(row, "plan_id"),
    customer: nullableText(row, "customer_id"),
    rep: nullableText(row, "rep_id"),
    note: nullableText(row, "note"),
  };
}

function repLoadState(row: Row): RepLoadState {
  return { accounts: num(row, "accounts"), workload: num(row, "workload"), value: num(row, "value"), expectedValue: num(row, "expected_value") };
}

/** A page from rows fetched with LIMIT limit + 1: the extra row only says that there is more. */
function pageOf<T>(rows: unknown[], limit: number, map: (row: Row) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const items = kept.map((r) => map(asRow(r)));
  const last = kept.at(-1);
  return { items, next: more && last !== undefined ? num(asRow(last), "seq") : null };
}

function stringRecord(json: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (json === null) return out;
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== "object" || parsed === null) return out;
  for (const [k, v] of Object.entries(parsed)) if (typeof v === "string") out[k] = v;
  return out;
}

/** Runs synchronous storage work, turning a throw into a rejected promise. */
function run<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** Opens (creating the file and its folder when needed) and migrates the store. */
export function openSqliteStore(location: string, options: SqliteStoreOptions = {}): SqliteStore {
  const now = options.now ?? Date.now;
  const iso = () => new Date(now()).toISOString();
  const inMemory = location === ":memory:" || location === "";
  if (!inMemory && !location.startsWith("file:")) mkdirSync(path.dirname(path.resolve(location)), { recursive: true });

  const db: SqliteDatabase = new Database(location);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${options.synchronous === "normal" ? "NORMAL" : "FULL"}`);
    db.pragma("foreign_keys = ON");
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`);
  } catch (error) {
    db.close();
    throw error;
  }
  let schemaVersion: number;
  try {
    schemaVersion = migrateSqlite(db, undefined, now);
  } catch (error) {
    db.close();
    throw error;
  }

  const sql = {
    insertPlan: db.prepare(
      `INSERT INTO plans (id, label, state, status, verified, objective, expected_value, input_hash, solver_backend, solver_version,
         customers, reps, assigned, unassigned, input_json, overview_json, created_at)
       VALUES (@id, @label, 'draft', @status, @verified, @objective, @expectedValue, @inputHash, @backend, @version,
         @customers, @reps, @assigned, @unassigned, @inputJson, @overviewJson, @createdAt)`,
    ),
    planById: db.prepare(`SELECT ${PLAN_COLUMNS} FROM plans WHERE id = ?`),
    activePlan: db.prepare(`SELECT ${PLAN_COLUMNS} FROM plans WHERE state = 'active'`),
    activeRef: db.prepare("SELECT seq, id FROM plans WHERE state = 'active'"),
    planPage: db.prepare(`SELECT ${PLAN_COLUMNS} FROM plans WHERE (@after IS NULL OR seq < @after) ORDER BY seq DESC LIMIT @limit`),
    planInput: db.prepare("SELECT input_json FROM plans WHERE id = ?").pluck(),
    planOverview: db.prepare("SELECT overview_json FROM plans WHERE id = ?").pluck(),
    planSeq: db.prepare("SELECT seq FROM plans WHERE id = ?").pluck(),
    setState: db.prepare("UPDATE plans SET state = @state, activated_at = coalesce(@activatedAt, activated_at), archived_at = coalesce(@archivedAt, archived_at) WHERE seq = @seq"),
    insertAssignment: db.prepare(
      `INSERT INTO assignments (plan_seq, customer_id, rep_id, expected_value, components_json, reason, source, routed_at)
       VALUES (@planSeq, @customer, @rep, @expectedValue, @components, @reason, @source, @routedAt)`,
    ),
    assignmentPage: db.prepare(
      `SELECT seq, customer_id, rep_id, expected_value, components_json, reason, source, routed_at FROM assignments
       WHERE plan_seq = @planSeq AND (@after IS NULL OR seq > @after) ORDER BY seq LIMIT @limit`,
    ),
    placements: db.prepare("SELECT customer_id, rep_id, expected_value FROM assignments WHERE plan_seq = ? AND source = 'plan' ORDER BY seq"),
    existingCustomer: db.prepare("SELECT rep_id, source, routed_at FROM assignments WHERE plan_seq = ? AND customer_id = ?"),
    insertLoad: db.prepare("INSERT INTO rep_loads (plan_seq, rep_id, accounts, workload, value, expected_value) VALUES (?, ?, ?, ?, ?, ?)"),
    loadsOf: db.prepare(
      "SELECT rep_id, accounts, workload, value, expected_value FROM rep_loads WHERE plan_seq = ? AND rep_id IN (SELECT value FROM json_each(?))",
    ),
    allLoads: db.prepare("SELECT rep_id, accounts, workload, value, expected_value FROM rep_loads WHERE plan_seq = ?"),
    addLoad: db.prepare(
      `UPDATE rep_loads SET accounts = accounts + 1, workload = workload + @workload, value = value + @value, expected_value = expected_value + @expectedValue
       WHERE plan_seq = @planSeq AND rep_id = @rep RETURNING accounts, workload, value, expected_value`,
    ),
    insertTotals: db.prepare("INSERT INTO load_totals (plan_seq, accounts, value, routed, routed_unassigned) VALUES (?, ?, ?, 0, 0)"),
    totalsOf: db.prepare("SELECT accounts, value FROM load_totals WHERE plan_seq = ?"),
    addRoutedTotals: db.prepare("UPDATE load_totals SET accounts = accounts + 1, value = value + @value, routed = routed + 1 WHERE plan_seq = @planSeq"),
    addUnassignedTotals: db.prepare("UPDATE load_totals SET routed_unassigned = routed_unassigned + 1 WHERE plan_seq = ?"),
    audit: db.prepare(
      `INSERT INTO audit_log (at, request_id, key_id, action, plan_id, customer_id, rep_id, note)
       VALUES (@at, @requestId, @keyId, @action, @planId, @customer, @rep, @note)`,
    ),
    auditPage: db.prepare("SELECT * FROM audit_log WHERE (@after IS NULL OR seq < @after) ORDER BY seq DESC LIMIT @limit"),
    purgeKeys: db.prepare("DELETE FROM idempotency_keys WHERE created_at < ?"),
    keyRow: db.prepare("SELECT fingerprint, state, token, created_at, lease_until, status, headers_json, body FROM idempotency_keys WHERE identity = @identity AND key = @key AND method = @method AND path = @path"),
    deleteKey: db.prepare("DELETE FROM idempotency_keys WHERE identity = @identity AND key = @key AND method = @method AND path = @path"),
    insertKey: db.prepare(
      `INSERT INTO idempotency_keys (identity, key, method, path, fingerprint, state, token, created_at, lease_until, status, headers_json, body)
       VALUES (@identity, @key, @method, @path, @fingerprint, @state, @token, @createdAt, @leaseUntil, @status, @headersJson, @body)`,
    ),
    takeOverKey: db.prepare(
      `UPDATE idempotency_keys SET token = @token, created_at = @createdAt, lease_until = @leaseUntil
       WHERE identity = @identity AND key = @key AND method = @method AND path = @path`,
    ),
    completeKey: db.prepare(
      `UPDATE idempotency_keys SET state = 'done', status = @status, headers_json = @headersJson, body = @body, lease_until = @now
       WHERE identity = @identity AND key = @key AND method = @method AND path = @path AND token = @token AND state = 'running'`,
    ),
    releaseKey: db.prepare(
      "DELETE FROM idempotency_keys WHERE identity = @identity AND key = @key AND method = @method AND path = @path AND token = @token AND state = 'running'",
    ),
  };

  const audit = (context: AuditContext, action: AuditAction, subject: { planId?: string; customer?: string; rep?: string | null; note?: string }) => {
    sql.audit.run({
      at: iso(),
      requestId: context.requestId,
      keyId: context.keyId,
      action,
      planId: subject.planId ?? null,
      customer: subject.customer ?? null,
      rep: subject.rep ?? null,
      note: subject.note ?? null,
    });
  };

  const planRow = (id: string): Row | null => optionalRow(sql.planById.get(id));
  const planSeqOf = (id: string): number | null => {
    const seq: unknown = sql.planSeq.get(id);
    return typeof seq === "number" ? seq : null;
  };

  const save = db.transaction((input: NewPlanVersion, context: AuditContext): PlanVersion => {
    const { plan, solution, label } = input;
    const { assignments, ...overview } = solution;
    const id = randomUUID();
    const createdAt = iso();
    const verified = solution.verification.passed && (solution.status === "optimal" || solution.status === "feasible");
    const info = sql.insertPlan.run({
      id,
      label,
      status: solution.status,
      verified: verified ? 1 : 0,
      objective: solution.objective,
      expectedValue: solution.metrics.expectedValue,
      inputHash: solution.solver.inputHash,
      backend: solution.solver.backend,
      version: solution.solver.version,
      customers: plan.customers.length,
      reps: plan.reps.length,
      assigned: solution.metrics.assigned,
      unassigned: solution.metrics.unassigned,
      inputJson: JSON.stringify(plan),
      overviewJson: JSON.stringify(overview),
      createdAt,
    });
    const planSeq = Number(info.lastInsertRowid);
    for (const a of assignments) {
      sql.insertAssignment.run({
        planSeq,
        customer: a.customer,
        rep: a.rep,
        expectedValue: a.expectedValue,
        components: JSON.stringify(a.components),
        reason: null,
        source: "plan",
        routedAt: null,
      });
    }
    for (const u of solution.unassigned) {
      sql.insertAssignment.run({ planSeq, customer: u.customer, rep: null, expectedValue: null, components: null, reason: u.reason, source: "plan", routedAt: null });
    }
    for (const r of solution.reps) sql.insertLoad.run(planSeq, r.id, r.accounts, r.workload, r.value, r.expectedValue);
    sql.insertTotals.run(planSeq, solution.metrics.assigned, solution.metrics.assignedValue);
    audit(context, "plan.saved", { planId: id, note: `"${label}": ${solution.status}, ${plan.customers.length} customers, ${plan.reps.length} reps` });
    const row = planRow(id);
    if (row === null) throw new Error("the saved plan could not be read back");
    return planVersion(row);
  });

  const activate = db.transaction((id: string, context: AuditContext): ActivationOutcome => {
    const row = planRow(id);
    if (row === null) return { kind: "not-found" };
    const plan = planVersion(row);
    if (plan.state === "active") return { kind: "already-active", plan };
    if (plan.state === "archived") {
      return { kind: "not-activatable", plan, why: "it is archived (a plan moves only draft → active → archived); save it again as a new version to use it" };
    }
    if (!plan.activatable) {
      return { kind: "not-activatable", plan, why: `its solve ended ${plan.status} without a verified assignment, so there is nothing to route against` };
    }
    const previous = optionalRow(sql.activePlan.get());
    const at = iso();
    let archived: PlanVersion | null = null;
    if (previous !== null) {
      const previousPlan = planVersion(previous);
      sql.setState.run({ seq: num(previous, "seq"), state: "archived", activatedAt: null, archivedAt: at });
      audit(context, "plan.archived", { planId: previousPlan.id, note: `replaced by ${id}` });
      const reread = planRow(previousPlan.id);
      archived = reread === null ? null : planVersion(reread);
    }
    sql.setState.run({ seq: plan.version, state: "active", activatedAt: at, archivedAt: null });
    audit(context, "plan.activated", { planId: id, note: archived === null ? `"${plan.label}"` : `"${plan.label}", replacing ${archived.id}` });
    const now = planRow(id);
    if (now === null) throw new Error("the activated plan could not be read back");
    return { kind: "activated", plan: planVersion(now), archived };
  });

  const routeTx = db.transaction((attempt: RouteAttempt<RouteEffect>): RouteOutcome<RouteEffect> => {
    const active = optionalRow(sql.activeRef.get());
    if (active === null) return { kind: "no-active-plan" };
    const activeId = text(active, "id");
    if (activeId !== attempt.planId) return { kind: "plan-changed", activePlanId: activeId };
    const planSeq = num(active, "seq");
    const existing = optionalRow(sql.existingCustomer.get(planSeq, attempt.customerId));
    if (existing !== null) {
      return {
        kind: "customer-exists",
        rep: nullableText(existing, "rep_id"),
        source: text(existing, "source") === "routed" ? "routed" : "plan",
        routedAt: nullableText(existing, "routed_at"),
      };
    }
    const loads = new Map<string, RepLoadState>();
    for (const raw of sql.loadsOf.all(planSeq, JSON.stringify(attempt.reps))) {
      const row = asRow(raw);
      loads.set(text(row, "rep_id"), repLoadState(row));
    }
    const totalsRow = optionalRow(sql.totalsOf.get(planSeq));
    const totals: LoadTotals = totalsRow === null ? { accounts: 0, value: 0 } : { accounts: num(totalsRow, "accounts"), value: num(totalsRow, "value") };
    const decision = attempt.decide(loads, totals);
    const routedAt = iso();
    sql.insertAssignment.run({
      planSeq,
      customer: attempt.customerId,
      rep: decision.rep,
      expectedValue: decision.expectedValue,
      components: decision.components === null ? null : JSON.stringify(decision.components),
      reason: decision.reason,
      source: "routed",
      routedAt,
    });
    let load: RepLoadState | null = null;
    if (decision.rep !== null) {
      const updated = optionalRow(
        sql.addLoad.get({ planSeq, rep: decision.rep, workload: decision.workload, value: decision.value, expectedValue: decision.expectedValue ?? 0 }),
      );
      if (updated === null) throw new Error(`rep "${decision.rep}" has no load row under plan ${attempt.planId}`);
      load = repLoadState(updated);
      sql.addRoutedTotals.run({ planSeq, value: decision.value });
      audit(attempt.audit, "customer.routed", { planId: activeId, customer: attempt.customerId, rep: decision.rep });
    } else {
      sql.addUnassignedTotals.run(planSeq);
      audit(attempt.audit, "customer.unassigned", { planId: activeId, customer: attempt.customerId, note: decision.reason });
    }
    return { kind: "routed", decision, routedAt, load };
  });

  let lastPurge = -Infinity;

  const claim = db.transaction((scope: IdempotencyScope, fingerprint: string, options: IdempotencyOptions): IdempotencyClaim => {
    const t = now();
    if (t - lastPurge >= PURGE_EVERY_MS) {
      sql.purgeKeys.run(t - options.retentionMs);
      lastPurge = t;
    }
    const token = randomUUID();
    const fresh = () => {
      sql.insertKey.run({ ...scope, fingerprint, state: "running", token, createdAt: t, leaseUntil: t + options.leaseMs, status: null, headersJson: null, body: null });
      return { kind: "claimed", token } as const;
    };
    const row = optionalRow(sql.keyRow.get(scope));
    if (row === null) return fresh();
    if (num(row, "created_at") < t - options.retentionMs) {
      sql.deleteKey.run(scope);
      return fresh();
    }
    if (text(row, "fingerprint") !== fingerprint) return { kind: "mismatch" };
    if (text(row, "state") === "done") {
      return {
        kind: "replay",
        createdAt: num(row, "created_at"),
        response: { status: num(row, "status"), headers: stringRecord(nullableText(row, "headers_json")), body: nullableText(row, "body") ?? "" },
      };
    }
    const leaseUntil = num(row, "lease_until");
    if (leaseUntil > t) return { kind: "in-flight", retryAfterMs: leaseUntil - t };
    // The first request's lease ran out (its process died, or it ran far too long): take the key over.
    sql.takeOverKey.run({ ...scope, token, createdAt: t, leaseUntil: t + options.leaseMs });
    return { kind: "claimed", token };
  });

  const complete = db.transaction((scope: IdempotencyScope, token: string, response: StoredResponse) => {
    sql.completeKey.run({ ...scope, token, status: response.status, headersJson: JSON.stringify(response.headers), body: response.body, now: now() });
  });

  const release = db.transaction((scope: IdempotencyScope, token: string) => {
    sql.releaseKey.run({ ...scope, token });
  });

  return {
    location,
    schemaVersion,

    savePlan: (input, context) => run(() => save.immediate(input, context)),

    getPlan: (id) =>
      run(() => {
        const row = planRow(id);
        return row === null ? null : planVersion(row);
      }),

    listPlans: (page: PageRequest) => run(() => pageOf(sql.planPage.all({ after: page.after, limit: page.limit + 1 }), page.limit, planVersion)),

    getPlanInput: (id) =>
      run(() => {
        const json: unknown = sql.planInput.get(id);
        return typeof json === "string" ? json : null;
      }),

    getSolutionOverview: (id) =>
      run(() => {
        const json: unknown = sql.planOverview.get(id);
        return typeof json === "string" ? readStoredOverview(json) : null;
      }),

    getPlacements: (id) =>
      run((): CustomerPlacement[] | null => {
        const seq = planSeqOf(id);
        if (seq === null) return null;
        return sql.placements.all(seq).map((raw) => {
          const row = asRow(raw);
          return { customer: text(row, "customer_id"), rep: nullableText(row, "rep_id"), expectedValue: nullableNum(row, "expected_value") };
        });
      }),

    activatePlan: (id, context) => run(() => activate.immediate(id, context)),

    activePlan: () =>
      run(() => {
        const row = optionalRow(sql.activePlan.get());
        return row === null ? null : planVersion(row);
      }),

    listAssignments: (id, page) =>
      run(() => {
        const planSeq = planSeqOf(id);
        if (planSeq === null) return null;
        return pageOf(sql.assignmentPage.all({ planSeq, after: page.after, limit: page.limit + 1 }), page.limit, assignmentRecord);
      }),

    route<D extends RouteEffect>(attempt: RouteAttempt<D>): Promise<RouteOutcome<D>> {
      return run((): RouteOutcome<D> => {
        // The transaction sees the decision as a RouteEffect; keep the caller's own type for the answer.
        let decided: D | null = null;
        const outcome = routeTx.immediate({
          ...attempt,
          decide: (loads, totals) => {
            decided = attempt.decide(loads, totals);
            return decided;
          },
        });
        if (outcome.kind !== "routed") return outcome;
        if (decided === null) throw new Error("routing recorded a customer without a decision");
        return { ...outcome, decision: decided };
      });
    },

    repLoads: (planId) =>
      run(() => {
        const seq = planSeqOf(planId);
        if (seq === null) return null;
        const out = new Map<string, RepLoadState>();
        for (const raw of sql.allLoads.all(seq)) {
          const row = asRow(raw);
          out.set(text(row, "rep_id"), repLoadState(row));
        }
        return out;
      }),

    listAudit: (page) => run(() => pageOf(sql.auditPage.all({ after: page.after, limit: page.limit + 1 }), page.limit, auditEntry)),

    claimIdempotencyKey: (scope, fingerprint, options) => run(() => claim.immediate(scope, fingerprint, options)),
    completeIdempotencyKey: (scope, token, response) => run(() => complete.immediate(scope, token, response)),
    releaseIdempotencyKey: (scope, token) => run(() => release.immediate(scope, token)),

    integrityCheck() {
      const result: unknown = db.pragma("integrity_check", { simple: true });
      return typeof result === "string" ? result : JSON.stringify(result);
    },

    close() {
      if (db.open) db.close();
    },
  };
}
