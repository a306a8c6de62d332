/**
 * Live-routing state in PostgreSQL, shared by every API instance: the customers routed while a plan
 * is active and the per-rep loads they add to the plan's own. `route` reads the loads, asks the
 * caller's pure `decide`, and records the customer, the new load, the totals and the audit entry in
 * one transaction, so that N processes routing at once never overfill a rep nor route a customer
 * twice. Two ways to keep that guarantee (docs/decisions.md says which is the default and why):
 *
 * - "row-locks" (default): READ COMMITTED, and the rows the decision reads are locked before it
 *   reads them, always in the same order: the plan's load totals FOR UPDATE first (fair shares
 *   read them and every routing of the plan updates them, so this is where concurrent routings of
 *   one plan take turns; an activation takes the same lock before it archives the plan, so it waits
 *   for routings in flight, and a routing that comes after it sees the plan archived), then the
 *   eligible reps' load rows FOR UPDATE in rep-id order. The plan's state is read after the totals
 *   lock, in a new snapshot. The customer goes in with INSERT … ON CONFLICT DO NOTHING on the
 *   unique (plan, customer) key, in the same statement as the load, the totals and the audit entry,
 *   which are written only when the customer was new: one round trip while the locks are held,
 *   then COMMIT.
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

const DUE = "EXISTS (SELECT 1 FROM activation_schedules WHERE state = 'scheduled' AND activate_at <= $2)";

/** What a routing transaction answers when a scheduled activation came due: nothing was written. */
const PROMOTE_FIRST = Symbol("a scheduled activation is due");
/** Carrying out due activations and routing again, at most this many times in a row. */
const MAX_PROMOTIONS = 5;

function statements(locking: RouteLocking) {
  const update = locking === "row-locks" ? " FOR UPDATE" : "";
  return {
    // `due`: a scheduled activation has come due ($2 = now): it is carried out first and the routing run again.
    totals: `SELECT t.plan_seq, t.accounts, t.value, ${DUE} AS due FROM load_totals t JOIN plans p ON p.seq = t.plan_seq WHERE p.id = $1${locking === "row-locks" ? " FOR UPDATE OF t" : ""}`,
    // Read after the totals lock (a new snapshot): an activation that committed meanwhile is seen.
    loads: `SELECT rep_id, accounts, workload, value, expected_value, (SELECT state FROM plans WHERE seq = $1) AS plan_state
      FROM rep_loads WHERE plan_seq = $1 AND rep_id = ANY($2::text[]) ORDER BY rep_id${update}`,
    planState: "SELECT state AS plan_state FROM plans WHERE seq = $1",
    activeId: `SELECT (SELECT id FROM plans WHERE state = 'active') AS id, ${DUE.replace("$2", "$1")} AS due`,
    existing: "SELECT rep_id, source, routed_at FROM assignments WHERE plan_seq = $1 AND customer_id = $2",
    // The customer, the rep's load, the totals and the audit entry in one statement (one round trip
    // while the locks are held); nothing is written when the customer is already there.
    // $1…$10: the audit entry; $11 plan, $12 customer, $13 rep (null: unassigned), $14 expected value,
    // $15 components, $16 reason, $17 workload, $18 value.
    record: `WITH ins AS (
        INSERT INTO assignments (plan_seq, customer_id, rep_id, expected_value, components_json, reason, source, routed_at, workload)
        VALUES ($11, $12, $13, $14, $15, $16, 'routed', $1, CASE WHEN $13::text IS NULL THEN NULL ELSE $17::float8 END) ON CONFLICT (plan_seq, customer_id) DO NOTHING RETURNING seq
      ), load AS (
        UPDATE rep_loads SET accounts = accounts + 1, workload = workload + $17, value = value + $18, expected_value = expected_value + coalesce($14, 0)
        WHERE plan_seq = $11 AND rep_id = $13 AND EXISTS (SELECT 1 FROM ins)
        RETURNING accounts, workload, value, expected_value
      ), counted AS (
        SELECT EXISTS (SELECT 1 FROM ins) AND ($13::text IS NULL OR EXISTS (SELECT 1 FROM load)) AS ok
      ), totals AS (
        UPDATE load_totals SET
          accounts = accounts + CASE WHEN $13::text IS NULL THEN 0 ELSE 1 END,
          value = value + CASE WHEN $13::text IS NULL THEN 0 ELSE $18 END,
          routed = routed + CASE WHEN $13::text IS NULL THEN 0 ELSE 1 END,
          routed_unassigned = routed_unassigned + CASE WHEN $13::text IS NULL THEN 1 ELSE 0 END
        WHERE plan_seq = $11 AND (SELECT ok FROM counted)
      ), entry AS (
        INSERT INTO audit_log (at, request_id, key_id, key_label, key_role, action, plan_id, customer_id, rep_id, note)
        SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 WHERE (SELECT ok FROM counted)
      )
      SELECT EXISTS (SELECT 1 FROM ins) AS inserted, l.accounts, l.workload, l.value, l.expected_value FROM (SELECT 1) AS one LEFT JOIN load AS l ON true`,
  };
}

/**
 * `promoteDue` carries out the due scheduled activations (postgres-activation-schedules.ts): the
 * routing transaction's first statement also says whether one is due (no extra round trip when
 * none is); then nothing is written, they are carried out, and the routing runs again.
 */
export function postgresLiveRouting(connection: PostgresConnection, promoteDue: () => Promise<number>, locking: RouteLocking = "row-locks"): PostgresLiveRouting {
  const { query, transaction, iso } = connection;
  const sql = statements(locking);

  const existingCustomer = (row: Row): RouteOutcome<never> => ({
    kind: "customer-exists",
    rep: nullableText(row, "rep_id"),
    source: text(row, "source") === "routed" ? "routed" : "plan",
    routedAt: nullableText(row, "routed_at"),
  });

  const elsewhere = async (tx: Tx, now: string): Promise<RouteOutcome<never> | typeof PROMOTE_FIRST> => {
    const active = only(await tx.query(sql.activeId, [now]));
    if (active?.due === true) return PROMOTE_FIRST;
    const id = active === null ? null : nullableText(active, "id");
    return id === null ? { kind: "no-active-plan" } : { kind: "plan-changed", activePlanId: id };
  };

  async function routeTx<D extends RouteEffect>(tx: Tx, attempt: RouteAttempt<D>): Promise<RouteOutcome<D> | typeof PROMOTE_FIRST> {
    const now = iso();
    const totalsRow = only(await tx.query(sql.totals, [attempt.planId, now]));
    if (totalsRow === null) return elsewhere(tx, now);
    if (totalsRow.due === true) return PROMOTE_FIRST;
    const planSeq = num(totalsRow, "plan_seq");
    const loadRows = await tx.query(sql.loads, [planSeq, [...attempt.reps]]);
    const stateRow = loadRows[0] ?? only(await tx.query(sql.planState, [planSeq]));
    if (stateRow === null || text(stateRow, "plan_state") !== "active") return elsewhere(tx, now);
    const loads = new Map<string, RepLoadState>();
    for (const row of loadRows) loads.set(text(row, "rep_id"), repLoadState(row));
    const totals: LoadTotals = { accounts: num(totalsRow, "accounts"), value: num(totalsRow, "value") };

    const decision = attempt.decide(loads, totals);
    const routedAt = iso();
    const audit =
      decision.rep === null
        ? auditValues(routedAt, attempt.audit, "customer.unassigned", { planId: attempt.planId, customer: attempt.customerId, note: decision.reason })
        : auditValues(routedAt, attempt.audit, "customer.routed", { planId: attempt.planId, customer: attempt.customerId, rep: decision.rep });
    const components = decision.components === null ? null : JSON.stringify(decision.components);
    const recorded = only(
      await tx.query(sql.record, [
        ...audit,
        planSeq,
        attempt.customerId,
        decision.rep,
        decision.expectedValue,
        components,
        decision.reason,
        decision.workload,
        decision.value,
      ]),
    );
    if (recorded === null || recorded.inserted !== true) {
      // Already in the plan, or routed by a transaction that committed while this one waited for the key: nothing was written.
      const existing = only(await tx.query(sql.existing, [planSeq, attempt.customerId]));
      if (existing === null) throw new Error(`customer "${attempt.customerId}" conflicts under plan ${attempt.planId} but cannot be read`);
      return existingCustomer(existing);
    }
    if (decision.rep === null) return { kind: "routed", decision, routedAt, load: null };
    if (recorded.accounts === null) throw new Error(`rep "${decision.rep}" has no load row under plan ${attempt.planId}`);
    return { kind: "routed", decision, routedAt, load: repLoadState(recorded) };
  }

  return {
    async route(attempt) {
      for (let promotions = 0; ; promotions++) {
        const outcome = await transaction((tx) => routeTx(tx, attempt), locking === "serializable" ? { isolation: "serializable", attempts: SERIALIZABLE_ATTEMPTS } : { isolation: "read committed" });
        if (outcome !== PROMOTE_FIRST) return outcome;
        if (promotions >= MAX_PROMOTIONS) throw new Error("scheduled activations kept coming due while routing");
        await promoteDue();
      }
    },

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
