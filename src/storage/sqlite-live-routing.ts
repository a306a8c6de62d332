/**
 * Live-routing state in SQLite: the customers routed while a plan is active and the per-rep loads
 * they add to the plan's own (seeded when the plan is saved, sqlite-plan-versions.ts). `route`
 * reads the loads, asks the caller's pure `decide`, and records the customer, the new load and the
 * audit entry in one BEGIN IMMEDIATE transaction, so no two routings, in this process or another,
 * can both take a rep's last seat.
 *
 * The routing transaction costs a fraction of a millisecond (see bench/route-latency.ts).
 */
import type { LoadTotals, PlanStore, RepLoadState, RouteAttempt, RouteEffect, RouteOutcome } from "./plan-store.ts";
import type { SqliteAuditLog } from "./sqlite-audit-log.ts";
import { reader, settle, type SqliteConnection } from "./sqlite-connection.ts";
import { asRow, nullableText, num, optionalRow, text, type Row } from "./sqlite-row.ts";

/** The part of PlanStore about live routing. */
export type SqliteLiveRouting = Pick<PlanStore, "route" | "repLoads">;

function repLoadState(row: Row): RepLoadState {
  return { accounts: num(row, "accounts"), workload: num(row, "workload"), value: num(row, "value"), expectedValue: num(row, "expected_value") };
}

export function sqliteLiveRouting({ db, iso }: SqliteConnection, audit: SqliteAuditLog): SqliteLiveRouting {
  const sql = {
    activeRef: db.prepare("SELECT seq, id FROM plans WHERE state = 'active'"),
    planSeq: db.prepare("SELECT seq FROM plans WHERE id = ?").pluck(),
    existingCustomer: db.prepare("SELECT rep_id, source, routed_at FROM assignments WHERE plan_seq = ? AND customer_id = ?"),
    insertRouted: db.prepare(
      `INSERT INTO assignments (plan_seq, customer_id, rep_id, expected_value, components_json, reason, source, routed_at, workload)
       VALUES (@planSeq, @customer, @rep, @expectedValue, @components, @reason, 'routed', @routedAt, @workload)`,
    ),
    loadsOf: db.prepare(
      "SELECT rep_id, accounts, workload, value, expected_value FROM rep_loads WHERE plan_seq = ? AND rep_id IN (SELECT value FROM json_each(?))",
    ),
    allLoads: db.prepare("SELECT rep_id, accounts, workload, value, expected_value FROM rep_loads WHERE plan_seq = ?"),
    addLoad: db.prepare(
      `UPDATE rep_loads SET accounts = accounts + 1, workload = workload + @workload, value = value + @value, expected_value = expected_value + @expectedValue
       WHERE plan_seq = @planSeq AND rep_id = @rep RETURNING accounts, workload, value, expected_value`,
    ),
    totalsOf: db.prepare("SELECT accounts, value FROM load_totals WHERE plan_seq = ?"),
    addRoutedTotals: db.prepare("UPDATE load_totals SET accounts = accounts + 1, value = value + @value, routed = routed + 1 WHERE plan_seq = @planSeq"),
    addUnassignedTotals: db.prepare("UPDATE load_totals SET routed_unassigned = routed_unassigned + 1 WHERE plan_seq = ?"),
  };

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
    sql.insertRouted.run({
      planSeq,
      customer: attempt.customerId,
      rep: decision.rep,
      expectedValue: decision.expectedValue,
      components: decision.components === null ? null : JSON.stringify(decision.components),
      reason: decision.reason,
      routedAt,
      workload: decision.rep === null ? null : decision.workload,
    });
    let load: RepLoadState | null = null;
    if (decision.rep !== null) {
      const updated = optionalRow(
        sql.addLoad.get({ planSeq, rep: decision.rep, workload: decision.workload, value: decision.value, expectedValue: decision.expectedValue ?? 0 }),
      );
      if (updated === null) throw new Error(`rep "${decision.rep}" has no load row under plan ${attempt.planId}`);
      load = repLoadState(updated);
      sql.addRoutedTotals.run({ planSeq, value: decision.value });
      audit.record(attempt.audit, "customer.routed", { planId: activeId, customer: attempt.customerId, rep: decision.rep });
    } else {
      sql.addUnassignedTotals.run(planSeq);
      audit.record(attempt.audit, "customer.unassigned", { planId: activeId, customer: attempt.customerId, note: decision.reason });
    }
    return { kind: "routed", decision, routedAt, load };
  });

  return {
    route<D extends RouteEffect>(attempt: RouteAttempt<D>): Promise<RouteOutcome<D>> {
      return settle((): RouteOutcome<D> => {
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

    repLoads: reader((planId) => {
      const seq: unknown = sql.planSeq.get(planId);
      if (typeof seq !== "number") return null;
      const out = new Map<string, RepLoadState>();
      for (const raw of sql.allLoads.all(seq)) {
        const row = asRow(raw);
        out.set(text(row, "rep_id"), repLoadState(row));
      }
      return out;
    }),
  };
}
