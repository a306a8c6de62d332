/**
 * The store the configuration selects, opened (and migrated) before anything listens: PostgreSQL
 * when ALLOT_DATABASE_URL is set (several API instances share it), else the SQLite file at
 * ALLOT_DB_PATH. A failure names the setting and never shows the URL's password.
 */
import type { PostgresStore } from "../src/storage/postgres-store.ts";
import type { SqliteStore } from "../src/storage/sqlite-store.ts";
import { DEFAULTS, type ServiceConfig } from "./config.ts";

export type ServiceStore = SqliteStore | PostgresStore;

export interface OpenedStore {
  store: ServiceStore;
  /** What the start-up log says about it (no secret). */
  details: Record<string, unknown>;
}

export class StoreOpenError extends Error {
  override readonly name = "StoreOpenError";
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Opens the selected store; `onError` hears connection failures outside any request (PostgreSQL). */
export async function openServiceStore(config: ServiceConfig, onError: (error: Error) => void): Promise<OpenedStore> {
  if (config.database !== undefined) {
    const { openPostgresStore } = await import("../src/storage/postgres-store.ts");
    const { describeDatabaseUrl } = await import("../src/storage/postgres-connection.ts");
    try {
      const store = await openPostgresStore(config.database.url, { poolSize: config.database.poolSize, onError });
      return { store, details: { db: store.location, schemaVersion: store.schemaVersion, kind: "postgresql", poolSize: config.database.poolSize } };
    } catch (error) {
      throw new StoreOpenError(`cannot open the database ${describeDatabaseUrl(config.database.url)} (ALLOT_DATABASE_URL): ${messageOf(error)}`);
    }
  }
  const { openSqliteStore } = await import("../src/storage/sqlite-store.ts");
  const dbPath = config.dbPath ?? DEFAULTS.dbPath;
  const synchronous = config.dbSynchronous ?? "full";
  try {
    const store = openSqliteStore(dbPath, { synchronous });
    return { store, details: { db: store.location, schemaVersion: store.schemaVersion, kind: "sqlite", synchronous } };
  } catch (error) {
    throw new StoreOpenError(`cannot open the database ${dbPath} (ALLOT_DB_PATH): ${messageOf(error)}`);
  }
}
