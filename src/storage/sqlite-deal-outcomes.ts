/**
 * Closed deals in SQLite (OutcomeStore): a batch is checked against the active plan and recorded in
 * one BEGIN IMMEDIATE transaction with its audit entry. The schema keeps each deal id once and the
 * rows immutable (sqlite-migrations.ts, version 3).
 */
import type { DealOutcome, RecordedOutcome } from "../../models/index.ts";
import type { OutcomeStore, RecordedDeal, RecordOutcomesResult, UnknownReference } from "./outcome-store.ts";
import type { AuditContext } from "./plan-store.ts";
import type { SqliteAuditLog } from "./sqlite-audit-log.ts";
import { reader, writer, type SqliteConnection } from "./sqlite-connection.ts";
import { asRow, num, optionalRow, pageOf, text, type Row } from "./sqlite-row.ts";

const OUTCOME_COLUMNS = "o.seq, o.deal_id, o.customer_id, o.rep_id, o.won, o.amount, o.closed_at, o.recorded_at, p.id AS plan_id";

function recordedOutcome(row: Row): RecordedOutcome {
  return {
    deal: text(row, "deal_id"),
    customer: text(row, "customer_id"),
    rep: text(row, "rep_id"),
    won: num(row, "won") === 1,
    amount: num(row, "amount"),
    closedAt: text(row, "closed_at"),
    planId: text(row, "plan_id"),
    recordedAt: text(row, "recorded_at"),
  };
}

export function sqliteDealOutcomes({ db, iso }: SqliteConnection, audit: SqliteAuditLog): OutcomeStore {
  const sql = {
    activePlan: db.prepare("SELECT seq, id FROM plans WHERE state = 'active'"),
    planSeq: db.prepare("SELECT seq FROM plans WHERE id = ?").pluck(),
    hasCustomer: db.prepare("SELECT 1 FROM assignments WHERE plan_seq = ? AND customer_id = ?").pluck(),
    hasRep: db.prepare("SELECT 1 FROM rep_loads WHERE plan_seq = ? AND rep_id = ?").pluck(),
    existing: db.prepare(`SELECT ${OUTCOME_COLUMNS} FROM deal_outcomes o JOIN plans p ON p.seq = o.plan_seq WHERE o.deal_id = ?`),
    insert: db.prepare(
      `INSERT INTO deal_outcomes (deal_id, plan_seq, customer_id, rep_id, won, amount, closed_at, recorded_at)
       VALUES (@deal, @planSeq, @customer, @rep, @won, @amount, @closedAt, @recordedAt)`,
    ),
    page: db.prepare(
      `SELECT ${OUTCOME_COLUMNS} FROM deal_outcomes o JOIN plans p ON p.seq = o.plan_seq
       WHERE o.plan_seq = @planSeq AND (@after IS NULL OR o.seq > @after) ORDER BY o.seq LIMIT @limit`,
    ),
    all: db.prepare(`SELECT ${OUTCOME_COLUMNS} FROM deal_outcomes o JOIN plans p ON p.seq = o.plan_seq WHERE o.plan_seq = ? ORDER BY o.seq`),
  };
  const planSeqOf = (id: string): number | null => {
    const seq: unknown = sql.planSeq.get(id);
    return typeof seq === "number" ? seq : null;
  };

  const record = (outcomes: readonly DealOutcome[], context: AuditContext): RecordOutcomesResult => {
    const active = optionalRow(sql.activePlan.get());
    if (active === null) return { kind: "no-active-plan" };
    const planSeq = num(active, "seq");
    const planId = text(active, "id");

    const references: UnknownReference[] = [];
    const deals: RecordedDeal[] = [];
    outcomes.forEach((o, index) => {
      if (sql.hasCustomer.get(planSeq, o.customer) === undefined) references.push({ index, field: "customer", id: o.customer });
      if (sql.hasRep.get(planSeq, o.rep) === undefined) references.push({ index, field: "rep", id: o.rep });
      const prior = optionalRow(sql.existing.get(o.deal));
      if (prior !== null) deals.push({ index, deal: o.deal, planId: text(prior, "plan_id"), recordedAt: text(prior, "recorded_at") });
    });
    if (references.length > 0) return { kind: "unknown-references", planId, references };
    if (deals.length > 0) return { kind: "deal-exists", deals };

    const recordedAt = iso();
    let won = 0;
    for (const o of outcomes) {
      if (o.won) won += 1;
      sql.insert.run({ deal: o.deal, planSeq, customer: o.customer, rep: o.rep, won: o.won ? 1 : 0, amount: o.amount, closedAt: o.closedAt, recordedAt });
    }
    audit.record(context, "outcomes.recorded", { planId, note: `${outcomes.length} outcome${outcomes.length === 1 ? "" : "s"} (${won} won)` });
    return { kind: "recorded", planId, outcomes: outcomes.map((o) => ({ ...o, planId, recordedAt })) };
  };

  return {
    recordOutcomes: writer(db, record),
    listOutcomes: reader((planId, page) => {
      const planSeq = planSeqOf(planId);
      if (planSeq === null) return null;
      return pageOf(sql.page.all({ planSeq, after: page.after, limit: page.limit + 1 }), page.limit, recordedOutcome);
    }),
    planOutcomes: reader((planId) => {
      const planSeq = planSeqOf(planId);
      if (planSeq === null) return null;
      return sql.all.all(planSeq).map((raw) => recordedOutcome(asRow(raw)));
    }),
  };
}
