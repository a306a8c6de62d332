/**
 * The embedded store: one SQLite file through better-sqlite3 (default ./var/allot.db) implementing
 * PlanStore and IdempotencyStore. It puts together one part per idea over one shared connection:
 * saved plan versions (sqlite-plan-versions.ts), live-routing state (sqlite-live-routing.ts), the
 * audit log both write to (sqlite-audit-log.ts), idempotency keys (sqlite-idempotency-keys.ts) and
 * job records (sqlite-job-records.ts), closed deals (sqlite-deal-outcomes.ts), managed API keys (sqlite-api-keys.ts), sessions (sqlite-sessions.ts);
 * durability and locking are the connection's (sqlite-connection.ts).
 *
 * better-sqlite3 is synchronous: each call runs to completion on the event loop. The large writes
 * (saving a plan of tens of thousands of customers) take tens of milliseconds.
 */
import type { ApiKeyStore } from "./api-key-store.ts";
import type { IdempotencyStore } from "./idempotency-store.ts";
import type { JobRecordStore } from "./job-record-store.ts";
import type { OutcomeStore } from "./outcome-store.ts";
import type { PlanStore } from "./plan-store.ts";
import { promotingFirst } from "./promoting-first.ts";
import { sqliteActivationSchedules } from "./sqlite-activation-schedules.ts";
import { sqliteActivationStep } from "./sqlite-activation-step.ts";
import { sqliteApiKeys } from "./sqlite-api-keys.ts";
import { sqlitePlanApprovals } from "./sqlite-plan-approvals.ts";
import { sqliteRollBack } from "./sqlite-roll-back.ts";
import { sqliteAuditLog } from "./sqlite-audit-log.ts";
import { openSqliteConnection, reader, type SqliteConnectionOptions } from "./sqlite-connection.ts";
import { sqliteDealOutcomes } from "./sqlite-deal-outcomes.ts";
import { sqliteIdempotencyKeys } from "./sqlite-idempotency-keys.ts";
import { sqliteJobRecords } from "./sqlite-job-records.ts";
import { sqliteLiveRouting } from "./sqlite-live-routing.ts";
import { sqlitePlanVersions } from "./sqlite-plan-versions.ts";
import { sqliteSessions } from "./sqlite-sessions.ts";
import type { SessionStore } from "./session-store.ts";
import type { StoreHealth } from "./store-health.ts";

export { DEFAULT_BUSY_TIMEOUT_MS } from "./sqlite-connection.ts";

export type SqliteStoreOptions = SqliteConnectionOptions;

export interface SqliteStore extends ApiKeyStore, SessionStore, PlanStore, IdempotencyStore, JobRecordStore, OutcomeStore, StoreHealth {
  /** The file (or ":memory:"). */
  readonly location: string;
  readonly schemaVersion: number;
  /** `PRAGMA integrity_check`: "ok" for a sound file. */
  integrityCheck(): string;
  close(): void;
}

/** Opens (creating the file and its folder when needed) and migrates the store. */
export function openSqliteStore(location: string, options: SqliteStoreOptions = {}): SqliteStore {
  const connection = openSqliteConnection(location, options);
  const { db } = connection;
  const audit = sqliteAuditLog(connection);
  const step = sqliteActivationStep(connection, audit);
  const versions = sqlitePlanVersions(connection, audit, step);
  const routing = sqliteLiveRouting(connection, audit);
  const schedules = sqliteActivationSchedules(connection, audit, step);
  const rollBack = sqliteRollBack(connection, audit, step);
  const outcomes = sqliteDealOutcomes(connection, audit);
  return {
    location,
    schemaVersion: connection.schemaVersion,
    ...versions,
    ...routing,
    ...schedules,
    ...sqlitePlanApprovals(connection, audit),
    // Every read of the active plan promotes the due scheduled activations first (plan-control-store.ts).
    activePlan: promotingFirst(schedules, versions.activePlan),
    route: (attempt) => promotingFirst(schedules, routing.route)(attempt),
    rollBack: promotingFirst(schedules, rollBack.rollBack),
    listAudit: reader(audit.page),
    ...sqliteIdempotencyKeys(connection),
    ...sqliteJobRecords(connection),
    ...outcomes,
    recordOutcomes: promotingFirst(schedules, outcomes.recordOutcomes),
    ...sqliteApiKeys(connection, audit),
    ...sqliteSessions(connection),

    // The file is in this process: it answers as long as it is open.
    checkHealth: reader((_timeoutMs: number) => {
      db.prepare("SELECT 1").get();
    }),

    integrityCheck() {
      const result: unknown = db.pragma("integrity_check", { simple: true });
      return typeof result === "string" ? result : JSON.stringify(result);
    },

    close() {
      if (db.open) db.close();
    },
  };
}
