/**
 * Roll back in PostgreSQL: in one transaction that takes the activation advisory lock and then the
 * active version's load totals (so routings in flight under it finish first and later ones see it
 * archived), the customers routed under the active version are read in routing order, the caller's
 * pure `decide` re-checks each against the earlier version's current loads, the active version is
 * archived and the earlier one activated again, and every decision is written into the earlier
 * version's live routing state (a kept customer with its rep and load, a misfit unassigned with the
 * reason) with its audit entry. A dry run reads and decides the same way, writes nothing and
 * rolls its transaction back.
 */
import { approvalRefusal, componentsValue, rollBackNote, rollBackRefusal } from "./activation-rules.ts";
import type { CarryCandidate, PlanControlStore, RollBackAttempt, RollBackOutcome } from "./plan-control-store.ts";
import type { LoadTotals, RepLoadState } from "./plan-store.ts";
import { ACTIVATION_LOCK_SQL, type PostgresActivationStep } from "./postgres-activation-step.ts";
import type { PostgresAuditLog } from "./postgres-audit-log.ts";
import type { PostgresConnection, Tx } from "./postgres-connection.ts";
import { nullableNum, nullableText, num, text, type Row } from "./sqlite-row.ts";

export type PostgresRollBack = Pick<PlanControlStore, "rollBack">;

const only = (rows: Row[]): Row | null => rows[0] ?? null;

export function postgresRollBack(connection: PostgresConnection, audit: PostgresAuditLog, step: PostgresActivationStep): PostgresRollBack {
  const { transaction, iso } = connection;

  const work = async (tx: Tx, attempt: RollBackAttempt): Promise<RollBackOutcome> => {
    await tx.query(ACTIVATION_LOCK_SQL);
    const target = await step.plan(tx, attempt.planId, true);
    if (target === null) return { kind: "not-found" };
    const refusal = rollBackRefusal(target);
    if (refusal !== null) return refusal;
    const gate = approvalRefusal(target, await step.approvalOf(tx, target.id), attempt.requireApproval);
    if (gate !== null) return gate;
    const active = await step.active(tx);
    const candidates: CarryCandidate[] = [];
    if (active !== null) {
      // Routings of the active version lock its totals first: wait for those in flight.
      await tx.query("SELECT 1 FROM load_totals WHERE plan_seq = $1 FOR UPDATE", [active.version]);
      const rows = await tx.query(
        `SELECT r.customer_id, r.rep_id, r.expected_value, r.components_json, r.workload, r.routed_at, e.rep_id AS present_rep, e.source AS present_source
         FROM assignments r LEFT JOIN assignments e ON e.plan_seq = $1 AND e.customer_id = r.customer_id
         WHERE r.plan_seq = $2 AND r.source = 'routed' ORDER BY r.seq`,
        [target.version, active.version],
      );
      for (const row of rows) {
        const components = nullableText(row, "components_json");
        const presentSource = nullableText(row, "present_source");
        candidates.push({
          customer: text(row, "customer_id"),
          rep: nullableText(row, "rep_id"),
          value: componentsValue(components),
          workload: nullableNum(row, "workload"),
          expectedValue: nullableNum(row, "expected_value"),
          components,
          routedAt: nullableText(row, "routed_at"),
          present: presentSource === null ? null : { rep: nullableText(row, "present_rep"), source: presentSource === "routed" ? "routed" : "plan" },
        });
      }
    }
    const totalsRow = only(await tx.query("SELECT accounts, value FROM load_totals WHERE plan_seq = $1 FOR UPDATE", [target.version]));
    const loads = new Map<string, RepLoadState>();
    for (const row of await tx.query("SELECT rep_id, accounts, workload, value, expected_value FROM rep_loads WHERE plan_seq = $1 ORDER BY rep_id", [target.version])) {
      loads.set(text(row, "rep_id"), { accounts: num(row, "accounts"), workload: num(row, "workload"), value: num(row, "value"), expectedValue: num(row, "expected_value") });
    }
    const totals: LoadTotals = totalsRow === null ? { accounts: 0, value: 0 } : { accounts: num(totalsRow, "accounts"), value: num(totalsRow, "value") };
    const decisions = attempt.decide(candidates, loads, totals);
    if (decisions.length !== candidates.length) throw new Error("a roll back decision is missing");
    if (attempt.dryRun) return { kind: "rolled-back", dryRun: true, plan: target, archived: active, decisions };

    const done = await step.activate(tx, target, attempt.audit, iso(), { action: "plan.rolled-back", note: rollBackNote(decisions, active?.id ?? null) });
    for (const [i, d] of decisions.entries()) {
      const c = candidates[i];
      if (c === undefined || d.outcome === "already-present") continue;
      const kept = d.rep !== null && (d.outcome === "kept" || d.outcome === "kept-outside-band");
      await tx.query(
        `INSERT INTO assignments (plan_seq, customer_id, rep_id, expected_value, components_json, reason, source, routed_at, workload)
         VALUES ($1, $2, $3, $4, $5, $6, 'routed', $7, $8)`,
        [target.version, d.customer, kept ? d.rep : null, kept ? c.expectedValue : null, kept ? c.components : null, d.reason, c.routedAt, kept ? d.workload : null],
      );
      if (kept) {
        await tx.query(
          "UPDATE rep_loads SET accounts = accounts + 1, workload = workload + $3, value = value + $4, expected_value = expected_value + $5 WHERE plan_seq = $1 AND rep_id = $2",
          [target.version, d.rep, d.workload, d.value, c.expectedValue ?? 0],
        );
        await tx.query("UPDATE load_totals SET accounts = accounts + 1, value = value + $2, routed = routed + 1 WHERE plan_seq = $1", [target.version, d.value]);
        await audit.record(tx, attempt.audit, "customer.carried", { planId: target.id, customer: d.customer, rep: d.rep, note: d.reason });
      } else {
        await tx.query("UPDATE load_totals SET routed_unassigned = routed_unassigned + 1 WHERE plan_seq = $1", [target.version]);
        await audit.record(tx, attempt.audit, d.outcome === "unassigned" ? "customer.carried" : "customer.not-carried", { planId: target.id, customer: d.customer, rep: d.from, note: d.reason });
      }
    }
    return { kind: "rolled-back", dryRun: false, plan: done.plan, archived: done.archived, decisions };
  };

  return { rollBack: (attempt) => transaction((tx) => work(tx, attempt)) };
}
