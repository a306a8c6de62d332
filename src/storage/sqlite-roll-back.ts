/**
 * Roll back in SQLite: in one BEGIN IMMEDIATE transaction, the customers routed under the active
 * version are read in routing order, the caller's pure `decide` re-checks each against the earlier
 * version's current loads, the active version is archived and the earlier one activated again, and
 * every decision is written into the earlier version's live routing state (a kept customer with its
 * rep and load, a misfit unassigned with the reason) with its audit entry. A dry run reads and
 * decides the same way and writes nothing.
 */
import { approvalRefusal, componentsValue, rollBackNote, rollBackRefusal } from "./activation-rules.ts";
import type { CarryCandidate, PlanControlStore, RollBackAttempt, RollBackOutcome } from "./plan-control-store.ts";
import type { LoadTotals, RepLoadState } from "./plan-store.ts";
import type { SqliteActivationStep } from "./sqlite-activation-step.ts";
import type { SqliteAuditLog } from "./sqlite-audit-log.ts";
import { settle, type SqliteConnection } from "./sqlite-connection.ts";
import { asRow, nullableNum, nullableText, num, optionalRow, text } from "./sqlite-row.ts";

export type SqliteRollBack = Pick<PlanControlStore, "rollBack">;

export function sqliteRollBack({ db, iso }: SqliteConnection, audit: SqliteAuditLog, step: SqliteActivationStep): SqliteRollBack {
  const sql = {
    routed: db.prepare(
      `SELECT r.customer_id, r.rep_id, r.expected_value, r.components_json, r.workload, r.routed_at, e.rep_id AS present_rep, e.source AS present_source
       FROM assignments r LEFT JOIN assignments e ON e.plan_seq = @target AND e.customer_id = r.customer_id
       WHERE r.plan_seq = @from AND r.source = 'routed' ORDER BY r.seq`,
    ),
    loads: db.prepare("SELECT rep_id, accounts, workload, value, expected_value FROM rep_loads WHERE plan_seq = ?"),
    totals: db.prepare("SELECT accounts, value FROM load_totals WHERE plan_seq = ?"),
    insert: db.prepare(
      `INSERT INTO assignments (plan_seq, customer_id, rep_id, expected_value, components_json, reason, source, routed_at, workload)
       VALUES (@planSeq, @customer, @rep, @expectedValue, @components, @reason, 'routed', @routedAt, @workload)`,
    ),
    addLoad: db.prepare(
      `UPDATE rep_loads SET accounts = accounts + 1, workload = workload + @workload, value = value + @value, expected_value = expected_value + @expectedValue
       WHERE plan_seq = @planSeq AND rep_id = @rep`,
    ),
    addRouted: db.prepare("UPDATE load_totals SET accounts = accounts + 1, value = value + @value, routed = routed + 1 WHERE plan_seq = @planSeq"),
    addUnassigned: db.prepare("UPDATE load_totals SET routed_unassigned = routed_unassigned + 1 WHERE plan_seq = ?"),
  };

  const work = (attempt: RollBackAttempt): RollBackOutcome => {
    const target = step.plan(attempt.planId);
    if (target === null) return { kind: "not-found" };
    const refusal = rollBackRefusal(target);
    if (refusal !== null) return refusal;
    const gate = approvalRefusal(target, step.approvalOf(target.id), attempt.requireApproval);
    if (gate !== null) return gate;
    const active = step.active();
    const candidates: CarryCandidate[] = [];
    if (active !== null) {
      for (const raw of sql.routed.all({ target: target.version, from: active.version })) {
        const row = asRow(raw);
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
    const loads = new Map<string, RepLoadState>();
    for (const raw of sql.loads.all(target.version)) {
      const row = asRow(raw);
      loads.set(text(row, "rep_id"), { accounts: num(row, "accounts"), workload: num(row, "workload"), value: num(row, "value"), expectedValue: num(row, "expected_value") });
    }
    const totalsRow = optionalRow(sql.totals.get(target.version));
    const totals: LoadTotals = totalsRow === null ? { accounts: 0, value: 0 } : { accounts: num(totalsRow, "accounts"), value: num(totalsRow, "value") };
    const decisions = attempt.decide(candidates, loads, totals);
    if (decisions.length !== candidates.length) throw new Error("a roll back decision is missing");
    if (attempt.dryRun) return { kind: "rolled-back", dryRun: true, plan: target, archived: active, decisions };

    const at = iso();
    const done = step.activate(target, attempt.audit, at, { action: "plan.rolled-back", note: rollBackNote(decisions, active?.id ?? null) });
    decisions.forEach((d, i) => {
      const c = candidates[i];
      if (c === undefined || d.outcome === "already-present") return;
      const kept = d.rep !== null && (d.outcome === "kept" || d.outcome === "kept-outside-band");
      sql.insert.run({
        planSeq: target.version,
        customer: d.customer,
        rep: kept ? d.rep : null,
        expectedValue: kept ? c.expectedValue : null,
        components: kept ? c.components : null,
        reason: d.reason,
        routedAt: c.routedAt,
        workload: kept ? d.workload : null,
      });
      if (kept) {
        sql.addLoad.run({ planSeq: target.version, rep: d.rep, workload: d.workload, value: d.value, expectedValue: c.expectedValue ?? 0 });
        sql.addRouted.run({ planSeq: target.version, value: d.value });
        audit.record(attempt.audit, "customer.carried", { planId: target.id, customer: d.customer, rep: d.rep, note: d.reason });
      } else {
        sql.addUnassigned.run(target.version);
        audit.record(attempt.audit, d.outcome === "unassigned" ? "customer.carried" : "customer.not-carried", { planId: target.id, customer: d.customer, rep: d.from, note: d.reason });
      }
    });
    return { kind: "rolled-back", dryRun: false, plan: done.plan, archived: done.archived, decisions };
  };
  const tx = db.transaction(work);

  return {
    rollBack: (attempt) => settle(() => (attempt.dryRun ? tx.deferred(attempt) : tx.immediate(attempt))),
  };
}
