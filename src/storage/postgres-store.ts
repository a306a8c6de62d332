/**
 * The shared store: one PostgreSQL database through `pg` implementing PlanStore, IdempotencyStore,
 * JobRecordStore and OutcomeStore with the guarantees of the SQLite store, for several API instances at once
 * (selected by ALLOT_DATABASE_URL). It puts together one part per idea over one connection pool:
 * saved plan versions (postgres-plan-versions.ts), live-routing state (postgres-live-routing.ts),
 * the audit log both write to (postgres-audit-log.ts), idempotency keys
 * (postgres-idempotency-keys.ts), job records (postgres-job-records.ts) and closed deals
 * (postgres-deal-outcomes.ts), managed API keys (postgres-api-keys.ts), sessions (postgres-sessions.ts); the pool, transactions,
 * migrations and the "database unavailable" errors are the connection's (postgres-connection.ts).
 */
import type { ApiKeyStore } from "./api-key-store.ts";
import type { IdempotencyStore } from "./idempotency-store.ts";
import type { JobRecordStore } from "./job-record-store.ts";
import type { OutcomeStore } from "./outcome-store.ts";
import type { PlanStore } from "./plan-store.ts";
import { promotingFirst } from "./promoting-first.ts";
import { postgresActivationSchedules } from "./postgres-activation-schedules.ts";
import { postgresActivationStep } from "./postgres-activation-step.ts";
import { postgresApiKeys } from "./postgres-api-keys.ts";
import { postgresPlanApprovals } from "./postgres-plan-approvals.ts";
import { postgresRollBack } from "./postgres-roll-back.ts";
import { postgresAuditLog } from "./postgres-audit-log.ts";
import { openPostgresConnection, type PostgresConnectionOptions } from "./postgres-connection.ts";
import { postgresDealOutcomes } from "./postgres-deal-outcomes.ts";
import { postgresIdempotencyKeys } from "./postgres-idempotency-keys.ts";
import { postgresJobRecords } from "./postgres-job-records.ts";
import { postgresLiveRouting, type RouteLocking } from "./postgres-live-routing.ts";
import { postgresPlanVersions } from "./postgres-plan-versions.ts";
import { postgresSessions } from "./postgres-sessions.ts";
import type { SessionStore } from "./session-store.ts";
import type { StoreHealth } from "./store-health.ts";

export { DEFAULT_POOL_SIZE } from "./postgres-connection.ts";

export interface PostgresStoreOptions extends PostgresConnectionOptions {
  /** How `route` keeps concurrent routings apart (postgres-live-routing.ts); default "row-locks". */
  routeLocking?: RouteLocking;
}

export interface PostgresStore extends ApiKeyStore, SessionStore, PlanStore, IdempotencyStore, JobRecordStore, OutcomeStore, StoreHealth {
  /** The server, user and database (never the password). */
  readonly location: string;
  readonly schemaVersion: number;
  /** Ends the pool's connections (waits for those in use). */
  close(): Promise<void>;
}

/** Connects and migrates (under an advisory lock); rejects with StoreUnavailableError when the database cannot be reached. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const connection = await openPostgresConnection(url, options);
  const audit = postgresAuditLog(connection);
  const step = postgresActivationStep(audit);
  const versions = postgresPlanVersions(connection, audit, step);
  const schedules = postgresActivationSchedules(connection, audit, step);
  const routing = postgresLiveRouting(connection, schedules.promoteDueActivations, options.routeLocking);
  const rollBack = postgresRollBack(connection, audit, step);
  const outcomes = postgresDealOutcomes(connection, audit);
  return {
    location: connection.location,
    schemaVersion: connection.schemaVersion,
    ...versions,
    ...routing,
    ...schedules,
    ...postgresPlanApprovals(connection, audit),
    // Every read of the active plan promotes the due scheduled activations first (plan-control-store.ts);
    // routing asks within its own transaction (postgres-live-routing.ts).
    activePlan: promotingFirst(schedules, versions.activePlan),
    rollBack: promotingFirst(schedules, rollBack.rollBack),
    listAudit: audit.page,
    ...postgresIdempotencyKeys(connection),
    ...postgresJobRecords(connection),
    ...outcomes,
    recordOutcomes: promotingFirst(schedules, outcomes.recordOutcomes),
    ...postgresApiKeys(connection, audit),
    ...postgresSessions(connection),
    checkHealth: connection.checkHealth,
    close: connection.close,
  };
}
