/**
 * Closed deals in PostgreSQL (OutcomeStore; the table is SQLite's, migration 3): a batch is checked
 * against the active plan and recorded in one transaction with its audit entry, whole or not at
 * all. The checks run as one statement each over the whole batch. Two instances recording the same
 * deal at once: INSERT … ON CONFLICT DO NOTHING lets one of them in, and the other rolls its whole
 * batch back and answers deal-exists, as it would have a moment later.
 */
import type { DealOutcome, RecordedOutcome } from "../../models/index.ts";
import type { OutcomeStore, RecordedDeal, RecordOutcomesResult, UnknownReference } from "./outcome-store.ts";
import type { AuditContext } from "./plan-store.ts";
import type { PostgresAuditLog } from "./postgres-audit-log.ts";
import type { PostgresConnection, Tx } from "./postgres-connection.ts";
import { num, pageOf, text, type Row } from "./sqlite-row.ts";

const OUTCOME_COLUMNS = "o.seq, o.deal_id, o.customer_id, o.rep_id, o.won, o.amount, o.closed_at, o.recorded_at, p.id AS plan_id";

function recordedOutcome(row: Row): RecordedOutcome {
  return {
    deal: text(row, "deal_id"),
    customer: text(row, "customer_id"),
    rep: text(row, "rep_id"),
    won: row.won === true,
    amount: num(row, "amount"),
    closedAt: text(row, "closed_at"),
    planId: text(row, "plan_id"),
    recordedAt: text(row, "recorded_at"),
  };
}

/** Thrown inside the transaction to roll a batch back when another instance recorded one of its deals meanwhile. */
class DealRecordedMeanwhile extends Error {}

const SQL = {
  activePlan: "SELECT seq, id FROM plans WHERE state = 'active'",
  // Batch positions (0-based) of customers and reps the plan does not know.
  unknownCustomers: `SELECT (i - 1)::int AS i, c AS id FROM unnest($2::text[]) WITH ORDINALITY AS u (c, i)
    WHERE NOT EXISTS (SELECT 1 FROM assignments WHERE plan_seq = $1 AND customer_id = c)`,
  unknownReps: `SELECT (i - 1)::int AS i, r AS id FROM unnest($2::text[]) WITH ORDINALITY AS u (r, i)
    WHERE NOT EXISTS (SELECT 1 FROM rep_loads WHERE plan_seq = $1 AND rep_id = r)`,
  existing: `SELECT ${OUTCOME_COLUMNS} FROM deal_outcomes o JOIN plans p ON p.seq = o.plan_seq WHERE o.deal_id = ANY($1::text[])`,
  insert: `INSERT INTO deal_outcomes (deal_id, plan_seq, customer_id, rep_id, won, amount, closed_at, recorded_at)
    SELECT d, $1, c, r, w, a, closed, $8
    FROM unnest($2::text[], $3::text[], $4::text[], $5::boolean[], $6::float8[], $7::text[]) WITH ORDINALITY AS u (d, c, r, w, a, closed, i)
    ORDER BY i
    ON CONFLICT (deal_id) DO NOTHING RETURNING deal_id`,
};

export function postgresDealOutcomes(connection: PostgresConnection, audit: PostgresAuditLog): OutcomeStore {
  const { query, transaction, iso } = connection;

  const planSeqOf = async (id: string): Promise<number | null> => {
    const row = (await query("SELECT seq FROM plans WHERE id = $1", [id]))[0];
    return row === undefined ? null : num(row, "seq");
  };

  const recordedDeals = async (tx: Tx, outcomes: readonly DealOutcome[]): Promise<RecordedDeal[]> => {
    const prior = new Map((await tx.query(SQL.existing, [outcomes.map((o) => o.deal)])).map((row) => [text(row, "deal_id"), row] as const));
    return outcomes.flatMap((o, index) => {
      const row = prior.get(o.deal);
      return row === undefined ? [] : [{ index, deal: o.deal, planId: text(row, "plan_id"), recordedAt: text(row, "recorded_at") }];
    });
  };

  const record = async (tx: Tx, outcomes: readonly DealOutcome[], context: AuditContext): Promise<RecordOutcomesResult> => {
    const active = (await tx.query(SQL.activePlan))[0];
    if (active === undefined) return { kind: "no-active-plan" };
    const planSeq = num(active, "seq");
    const planId = text(active, "id");

    const references: UnknownReference[] = [
      ...(await tx.query(SQL.unknownCustomers, [planSeq, outcomes.map((o) => o.customer)])).map((row) => ({ index: num(row, "i"), field: "customer" as const, id: text(row, "id") })),
      ...(await tx.query(SQL.unknownReps, [planSeq, outcomes.map((o) => o.rep)])).map((row) => ({ index: num(row, "i"), field: "rep" as const, id: text(row, "id") })),
    ].sort((a, b) => a.index - b.index || (a.field === b.field ? 0 : a.field === "customer" ? -1 : 1));
    if (references.length > 0) return { kind: "unknown-references", planId, references };
    const deals = await recordedDeals(tx, outcomes);
    if (deals.length > 0) return { kind: "deal-exists", deals };

    const recordedAt = iso();
    const inserted = await tx.query(SQL.insert, [
      planSeq,
      outcomes.map((o) => o.deal),
      outcomes.map((o) => o.customer),
      outcomes.map((o) => o.rep),
      outcomes.map((o) => o.won),
      outcomes.map((o) => o.amount),
      outcomes.map((o) => o.closedAt),
      recordedAt,
    ]);
    if (inserted.length < outcomes.length) throw new DealRecordedMeanwhile();
    const won = outcomes.filter((o) => o.won).length;
    await audit.record(tx, context, "outcomes.recorded", { planId, note: `${outcomes.length} outcome${outcomes.length === 1 ? "" : "s"} (${won} won)` });
    return { kind: "recorded", planId, outcomes: outcomes.map((o) => ({ ...o, planId, recordedAt })) };
  };

  return {
    async recordOutcomes(outcomes, context) {
      try {
        return await transaction((tx) => record(tx, outcomes, context));
      } catch (error) {
        if (!(error instanceof DealRecordedMeanwhile)) throw error;
        // The batch was rolled back; the deals another instance recorded are committed now.
        return { kind: "deal-exists", deals: await transaction((tx) => recordedDeals(tx, outcomes)) };
      }
    },
    async listOutcomes(planId, page) {
      const planSeq = await planSeqOf(planId);
      if (planSeq === null) return null;
      const rows = await query(
        `SELECT ${OUTCOME_COLUMNS} FROM deal_outcomes o JOIN plans p ON p.seq = o.plan_seq WHERE o.plan_seq = $1 AND ($2::bigint IS NULL OR o.seq > $2) ORDER BY o.seq LIMIT $3`,
        [planSeq, page.after, page.limit + 1],
      );
      return pageOf(rows, page.limit, recordedOutcome);
    },
    async planOutcomes(planId) {
      const planSeq = await planSeqOf(planId);
      if (planSeq === null) return null;
      return (await query(`SELECT ${OUTCOME_COLUMNS} FROM deal_outcomes o JOIN plans p ON p.seq = o.plan_seq WHERE o.plan_seq = $1 ORDER BY o.seq`, [planSeq])).map(recordedOutcome);
    },
  };
}
