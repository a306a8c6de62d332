/**
 * The audit log in PostgreSQL: every state change (a plan saved, activated or archived, a customer
 * routed) records who caused it, written by the caller through the change's own transaction so
 * that the change and its entry commit together. The same table and entries as SQLite
 * (sqlite-audit-log.ts).
 */
import { AuditAction, type AuditEntry } from "../../models/index.ts";
import type { AuditContext, Page, PageRequest } from "./plan-store.ts";
import type { PostgresConnection, Tx } from "./postgres-connection.ts";
import type { AuditSubject } from "./sqlite-audit-log.ts";
import { nullableText, num, pageOf, text, type Row } from "./sqlite-row.ts";

export interface PostgresAuditLog {
  /** Appends an entry through the transaction of the change it records. */
  record(tx: Tx, context: AuditContext, action: AuditAction, subject: AuditSubject): Promise<void>;
  /** Newest first. */
  page(request: PageRequest): Promise<Page<AuditEntry>>;
}

/** The INSERT of one entry ($1 … $10: at, request id, key id, key label, key role, action, plan, customer, rep, note), also used inside larger statements. */
export const INSERT_AUDIT_SQL =
  "INSERT INTO audit_log (at, request_id, key_id, key_label, key_role, action, plan_id, customer_id, rep_id, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

/** The values of INSERT_AUDIT_SQL, in order. */
export function auditValues(at: string, context: AuditContext, action: AuditAction, subject: AuditSubject): unknown[] {
  return [at, context.requestId, context.keyId, context.keyLabel ?? null, context.keyRole ?? null, action, subject.planId ?? null, subject.customer ?? null, subject.rep ?? null, subject.note ?? null];
}

function auditEntry(row: Row): AuditEntry {
  return {
    id: String(num(row, "seq")),
    at: text(row, "at"),
    requestId: text(row, "request_id"),
    keyId: nullableText(row, "key_id"),
    keyLabel: nullableText(row, "key_label"),
    keyRole: nullableText(row, "key_role"),
    action: AuditAction.parse(text(row, "action")),
    planId: nullableText(row, "plan_id"),
    customer: nullableText(row, "customer_id"),
    rep: nullableText(row, "rep_id"),
    note: nullableText(row, "note"),
  };
}

export function postgresAuditLog(connection: PostgresConnection): PostgresAuditLog {
  return {
    async record(tx, context, action, subject) {
      await tx.query(INSERT_AUDIT_SQL, auditValues(connection.iso(), context, action, subject));
    },
    async page(request) {
      const rows = await connection.query("SELECT * FROM audit_log WHERE ($1::bigint IS NULL OR seq < $1) ORDER BY seq DESC LIMIT $2", [request.after, request.limit + 1]);
      return pageOf(rows, request.limit, auditEntry);
    },
  };
}
