/**
 * Live-routing state in PostgreSQL, shared by every API instance: the customers routed while a plan
 * is active and the per-rep loads they add to the plan's own. `route` reads the loads, asks the
 * caller's pure `decide`, and records the customer, the new load, the totals and the audit entry in
 * one transaction, so that N processes routing at once never overfill a rep nor route a customer
 * twice. Two ways to keep that guarantee (docs/decisions.md says which is the default and why):
 *
 * - "row-locks" (default): READ COMMITTED, and the rows the decision reads are locked before it
 *   reads them, always in the same order: the plan's row FOR SHARE (an activation waits for
 *   routings in flight, and a routing that comes after it sees the plan archived), the plan's load
 *   totals FOR UPDATE (fair shares read them; every routing of the plan updates them, so this is
 *   where concurrent routings of one plan queue), then the eligible reps' load rows FOR UPDATE in
 *   rep-id order. The customer check runs after the totals lock, so it sees every routing
 *   committed before; the unique (plan, customer) key backs it.
 * - "serializable": SERIALIZABLE without explicit locks; PostgreSQL aborts one of two routings that
 *   read what the other wrote, and the transaction is run again (the decision too: it is pure).
 */
import type { LoadTotals, PlanStore, RepLoadState, RouteAttempt, RouteEffect, RouteOutcome } from "./plan-store.ts";
import { auditValues } from "./postgres-audit-log.ts";
import type { PostgresConnection, Tx } from "./postgres-connection.ts";
import { nullableText, num, text, type Row } from "./sqlite-row.ts";

/** The part of PlanStore about live routing. */
export type PostgresLiveRouting = Pick<PlanStore, "route" | "repLoads">;

export type RouteLocking = "row-locks" | "serializable";

/** Every routing of a plan writes its totals row, so under load most serializable attempts conflict: allow many. */
const SERIALIZABLE_ATTEMPTS = 64;

function repLoadState(row: Row): RepLoadState {
  return { accounts: num(row, "accounts"), workload: num(row, "workload"), value: num(row, "value"), expectedValue: num(row, "expected_value") };
}

const only = (rows: Row[]): Row | null => rows[0] ?? null;

function statements(locking: RouteLocking) {
  const share = locking === "row-locks" ? " FOR SHARE" : "";
  const update = locking === "row-locks" ? " FOR UPDATE" : "";
  return {
    plan: `SELECT seq, state FROM plans WHERE id = $1${share}`,
    activeId: "SELECT id FROM plans WHERE state = 'active'",
    totals: `SELECT accounts, value FROM load_totals WHERE plan_seq = $1${update}`,
    existing: "SELECT rep_id, source, routed_at FROM assignments WHERE plan_seq = $1 AND customer_id = $2",
    loads: `SELECT rep_id, accounts, workload, value, expected_value FROM rep_loads WHERE plan_seq = $1 AND rep_id = ANY($2::text[]) ORDER BY rep_id${update}`,
    insertRouted: `INSERT INTO assignments (plan_seq, customer_id, rep_id, expected_value, components_json, reason, source, routed_at)
      VALUES ($1, $2, $3, $4, $5, $6, 'routed', $7) ON CONFLICT (plan_seq, customer_id) DO NOTHING RETURNING seq`,
    // The rep's load, the totals and the audit entry in one statement (one round trip while the locks are held).
    recordRouted: `WITH load AS (
        UPDATE rep_loads SET accounts = accounts + 1, workload = workload + $11, value = value + $12, expected_value = expected_value + $13
        WHERE plan_seq = $9 AND rep_id = $10 RETURNING accounts, workload, value, expected_value
      ), totals AS (
        UPDATE load_totals SET accounts = accounts + 1, value = value + $12, routed = routed + 1 WHERE plan_seq = $9 AND EXISTS (SELECT 1 FROM load)
      ), entry AS (
        INSERT INTO audit_log (at, request_id, key_id, action, plan_id, customer_id, rep_id, note) SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE EXISTS (SELECT 1 FROM load)
      )
      SELECT * FROM load`,
    recordUnassigned: `WITH totals AS (
        UPDATE load_totals SET routed_unassigned = routed_unassigned + 1 WHERE plan_seq = $9
      )
      INSERT INTO audit_log (at, request_id, key_id, action, plan_id, customer_id, rep_id, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
  };
}

export function postgresLiveRouting(connection: PostgresConnection, locking: RouteLocking = "row-locks"): PostgresLiveRouting {
  const { query, transaction, iso } = connection;
  const sql = statements(locking);

  const existingCustomer = (row: Row): RouteOutcome<never> => ({
    kind: "customer-exists",
    rep: nullableText(row, "rep_id"),
    source: text(row, "source") === "routed" ? "routed" : "plan",
    routedAt: nullableText(row, "routed_at"),
  });

  async function routeTx<D extends RouteEffect>(tx: Tx, attempt: RouteAttempt<D>): Promise<RouteOutcome<D>> {
    const plan = only(await tx.query(sql.plan, [attempt.planId]));
    if (plan === null || text(plan, "state") !== "active") {
      const active = only(await tx.query(sql.activeId));
      return active === null ? { kind: "no-active-plan" } : { kind: "plan-changed", activePlanId: text(active, "id") };
    }
    const planSeq = num(plan, "seq");
    const totalsRow = only(await tx.query(sql.totals, [planSeq]));
    const existing = only(await tx.query(sql.existing, [planSeq, attempt.customerId]));
    if (existing !== null) return existingCustomer(existing);
    const loads = new Map<string, RepLoadState>();
    for (const row of await tx.query(sql.loads, [planSeq, [...attempt.reps]])) loads.set(text(row, "rep_id"), repLoadState(row));
    const totals: LoadTotals = totalsRow === null ? { accounts: 0, value: 0 } : { accounts: num(totalsRow, "accounts"), value: num(totalsRow, "value") };

    const decision = attempt.decide(loads, totals);
    const routedAt = iso();
    const components = decision.components === null ? null : JSON.stringify(decision.components);
    const inserted = await tx.query(sql.insertRouted, [planSeq, attempt.customerId, decision.rep, decision.expectedValue, components, decision.reason, routedAt]);
    if (inserted.length === 0) {
      // Routed by another transaction that committed while this one waited for the key.
      const now = only(await tx.query(sql.existing, [planSeq, attempt.customerId]));
      if (now === null) throw new Error(`customer "${attempt.customerId}" conflicts under plan ${attempt.planId} but cannot be read`);
      return existingCustomer(now);
    }
    if (decision.rep === null) {
      await tx.query(sql.recordUnassigned, [...auditValues(routedAt, attempt.audit, "customer.unassigned", { planId: attempt.planId, customer: attempt.customerId, note: decision.reason }), planSeq]);
      return { kind: "routed", decision, routedAt, load: null };
    }
    const load = only(
      await tx.query(sql.recordRouted, [
        ...auditValues(routedAt, attempt.audit, "customer.routed", { planId: attempt.planId, customer: attempt.customerId, rep: decision.rep }),
        planSeq,
        decision.rep,
        decision.workload,
        decision.value,
        decision.expectedValue ?? 0,
      ]),
    );
    if (load === null) throw new Error(`rep "${decision.rep}" has no load row under plan ${attempt.planId}`);
    return { kind: "routed", decision, routedAt, load: repLoadState(load) };
  }

  return {
    route: (attempt) =>
      transaction((tx) => routeTx(tx, attempt), locking === "serializable" ? { isolation: "serializable", attempts: SERIALIZABLE_ATTEMPTS } : { isolation: "read committed" }),

    async repLoads(planId) {
      const seq = only(await query("SELECT seq FROM plans WHERE id = $1", [planId]));
      if (seq === null) return null;
      const out = new Map<string, RepLoadState>();
      for (const row of await query("SELECT rep_id, accounts, workload, value, expected_value FROM rep_loads WHERE plan_seq = $1 ORDER BY rep_id", [num(seq, "seq")])) {
        out.set(text(row, "rep_id"), repLoadState(row));
      }
      return out;
    },
  };
}
