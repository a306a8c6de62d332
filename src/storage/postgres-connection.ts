/**
 * The connection and transaction plumbing every part of the PostgreSQL store shares: a pg.Pool
 * (several per cluster: one per API process), migrated at start-up, with
 *
 * - `transaction(work)`: BEGIN … COMMIT on one pooled connection, ROLLBACK on any error. READ
 *   COMMITTED unless asked for SERIALIZABLE; a serialization failure or a deadlock is retried a
 *   few times with a jittered pause, so callers see either the committed result or an error.
 * - error translation: anything that means "the database cannot be reached now" (refused, cut,
 *   timed out, the server shutting down or starting) becomes StoreUnavailableError, so the API can
 *   answer 503 and retry later; pg.Pool opens fresh connections once the server is back.
 * - 64-bit integers (identity columns, millisecond times) read as JavaScript numbers: every value
 *   the store keeps is far below 2^53, and a larger one is refused rather than rounded.
 *
 * A connection that dies while idle, or while checked out between two queries, makes pg emit an
 * "error" event; both are caught here (an unhandled one would end the process) and reported to
 * `onError`.
 */
import pg from "pg";
import type { PoolClient } from "pg";
import { migratePostgres } from "./postgres-migrations.ts";
import type { Row } from "./sqlite-row.ts";
import { StoreUnavailableError } from "./store-unavailable.ts";

export interface PostgresConnectionOptions {
  /** Clock in ms since the epoch (tests move it to check leases and retention). */
  now?: () => number;
  /** Connections this process keeps at most. Default 10. */
  poolSize?: number;
  /** How long to wait for a connection before the database counts as unavailable. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** Told about connection failures outside any call (an idle connection cut by the server). */
  onError?: (error: Error) => void;
}

export type Isolation = "read committed" | "serializable";

/** What a transaction's work runs its statements through. */
export interface Tx {
  query(text: string, values?: readonly unknown[]): Promise<Row[]>;
}

export interface PostgresConnection {
  /** The server, user and database (never the password), for logs. */
  readonly location: string;
  readonly schemaVersion: number;
  /** ms since the epoch. */
  now: () => number;
  /** now() as an ISO 8601 timestamp. */
  iso: () => string;
  /** One transaction on one connection (retried on serialization failures and deadlocks). */
  transaction<T>(work: (tx: Tx) => Promise<T>, options?: { isolation?: Isolation; attempts?: number }): Promise<T>;
  /** One statement on its own (autocommit). */
  query(text: string, values?: readonly unknown[]): Promise<Row[]>;
  /** Resolves when `SELECT 1` answers within `timeoutMs`. */
  checkHealth(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** Tries of a transaction that keeps meeting serialization failures or deadlocks. */
const DEFAULT_ATTEMPTS = 8;
/** The pause before a retry is random, up to 2^attempt ms and at most this. */
const MAX_RETRY_PAUSE_MS = 50;

const INT8_OID = 20;
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`a 64-bit integer beyond 2^53 (${text}) cannot be read exactly`);
  return value;
}

/** pg's readers of column values, with 64-bit integers as numbers (for a pg.Pool or pg.Client). */
export const POSTGRES_TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary" ? parseInt8 : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
};

/** SQLSTATEs of a database that is going away, starting, full, or of a broken connection (class 08). */
const UNAVAILABLE_STATES = new Set(["57P01", "57P02", "57P03", "53300"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "ECONNABORTED"]);
/** pg's own messages for a connection lost or never made (they carry no code). */
const UNAVAILABLE_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Client has encountered a connection error/i;

function codeOf(error: unknown): string | null {
  if (typeof error !== "object" || error === null || !("code" in error)) return null;
  return typeof error.code === "string" ? error.code : null;
}

/** True when the error means the database cannot be reached now, not that the statement was wrong. */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const code = codeOf(error);
  if (code !== null && (code.startsWith("08") || UNAVAILABLE_STATES.has(code) || SOCKET_CODES.has(code))) return true;
  return error instanceof Error && UNAVAILABLE_MESSAGES.test(error.message);
}

/** Serialization failure or deadlock: the transaction may simply be run again. */
export function isRetryable(error: unknown): boolean {
  const code = codeOf(error);
  return code === "40001" || code === "40P01";
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The driver's error as the store reports it. */
export function translated(error: unknown): Error {
  if (error instanceof StoreUnavailableError) return error;
  if (isUnavailable(error)) return new StoreUnavailableError(`the database cannot be reached: ${asError(error).message}`, { cause: error });
  return asError(error);
}

/** postgres://user@host:port/database, without password or options. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username === "" ? "" : `${decodeURIComponent(u.username)}@`;
    return `${u.protocol}//${user}${u.host}${u.pathname}`;
  } catch {
    return "postgres://(unparsable url)";
  }
}

const sleep = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));

function txOf(client: PoolClient): Tx {
  return {
    async query(text, values = []) {
      const result = await client.query<Row>(text, [...values]);
      return result.rows;
    },
  };
}

/** Opens a pool on `url` and applies the missing migrations (under an advisory lock) before returning. */
export async function openPostgresConnection(url: string, options: PostgresConnectionOptions = {}): Promise<PostgresConnection> {
  const now = options.now ?? Date.now;
  const report = options.onError ?? (() => undefined);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: "allot",
    types: POSTGRES_TYPES,
  });
  // An idle connection cut by the server (restart, pg_terminate_backend): the pool drops it and
  // opens a new one when needed. Without a listener this event would end the process.
  pool.on("error", (error) => report(error));

  const checkout = async (): Promise<PoolClient> => {
    try {
      return await pool.connect();
    } catch (error) {
      throw new StoreUnavailableError(`the database cannot be reached: ${asError(error).message}`, { cause: error });
    }
  };

  /** Runs `use` on a checked-out connection; a connection that broke is destroyed, not pooled again. */
  const withClient = async <T>(use: (client: PoolClient) => Promise<T>): Promise<T> => {
    const client = await checkout();
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
      report(error);
    };
    client.on("error", onError);
    try {
      return await use(client);
    } catch (error) {
      if (isUnavailable(error)) broken ??= asError(error);
      throw error;
    } finally {
      client.off("error", onError);
      client.release(broken);
    }
  };

  const transaction = async <T>(work: (tx: Tx) => Promise<T>, txOptions: { isolation?: Isolation; attempts?: number } = {}): Promise<T> => {
    const isolation = txOptions.isolation ?? "read committed";
    const attempts = Math.max(1, txOptions.attempts ?? DEFAULT_ATTEMPTS);
    for (let attempt = 1; ; attempt++) {
      try {
        return await withClient(async (client) => {
          await client.query(isolation === "serializable" ? "BEGIN ISOLATION LEVEL SERIALIZABLE" : "BEGIN");
          try {
            const result = await work(txOf(client));
            await client.query("COMMIT");
            return result;
          } catch (error) {
            // A failed ROLLBACK means the connection is gone; withClient then drops it.
            await client.query("ROLLBACK").catch(() => undefined);
            throw error;
          }
        });
      } catch (error) {
        if (attempt < attempts && isRetryable(error)) {
          await sleep(Math.random() * Math.min(MAX_RETRY_PAUSE_MS, 2 ** attempt));
          continue;
        }
        throw translated(error);
      }
    }
  };

  const query = async (text: string, values: readonly unknown[] = []): Promise<Row[]> => {
    try {
      return await withClient(async (client) => (await client.query<Row>(text, [...values])).rows);
    } catch (error) {
      throw translated(error);
    }
  };

  let schemaVersion: number;
  try {
    schemaVersion = await withClient((client) => migratePostgres(client, undefined, now));
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw translated(error);
  }

  let closing: Promise<void> | null = null;
  return {
    location: describeDatabaseUrl(url),
    schemaVersion,
    now,
    iso: () => new Date(now()).toISOString(),
    transaction,
    query,
    async checkHealth(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StoreUnavailableError(`the database did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([query("SELECT 1"), late]);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}
