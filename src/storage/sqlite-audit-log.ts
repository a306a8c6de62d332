/**
 * The audit log in SQLite: every state change (a plan saved, activated or archived, a customer
 * routed) records who caused it, written by the caller inside the change's own transaction so that
 * the change and its entry commit together.
 */
import { AuditAction, type AuditEntry } from "../../models/index.ts";
import type { AuditContext, Page, PageRequest } from "./plan-store.ts";
import type { SqliteConnection } from "./sqlite-connection.ts";
import { nullableText, num, pageOf, text, type Row } from "./sqlite-row.ts";

/** What an entry is about (each part optional). */
export interface AuditSubject {
  planId?: string;
  customer?: string;
  rep?: string | null;
  note?: string;
}

export interface SqliteAuditLog {
  /** Appends an entry; call it inside the transaction of the change it records. */
  record(context: AuditContext, action: AuditAction, subject: AuditSubject): void;
  /** Newest first. */
  page(request: PageRequest): Page<AuditEntry>;
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

export function sqliteAuditLog({ db, iso }: SqliteConnection): SqliteAuditLog {
  const insert = db.prepare(
    `INSERT INTO audit_log (at, request_id, key_id, key_label, key_role, action, plan_id, customer_id, rep_id, note)
     VALUES (@at, @requestId, @keyId, @keyLabel, @keyRole, @action, @planId, @customer, @rep, @note)`,
  );
  const newestFirst = db.prepare("SELECT * FROM audit_log WHERE (@after IS NULL OR seq < @after) ORDER BY seq DESC LIMIT @limit");
  return {
    record(context, action, subject) {
      insert.run({
        at: iso(),
        requestId: context.requestId,
        keyId: context.keyId,
        keyLabel: context.keyLabel ?? null,
        keyRole: context.keyRole ?? null,
        action,
        planId: subject.planId ?? null,
        customer: subject.customer ?? null,
        rep: subject.rep ?? null,
        note: subject.note ?? null,
      });
    },
    page: (request) => pageOf(newestFirst.all({ after: request.after, limit: request.limit + 1 }), request.limit, auditEntry),
  };
}
