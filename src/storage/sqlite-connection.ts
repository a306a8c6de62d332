/**
 * The connection and transaction plumbing every part of the SQLite store shares: one file through
 * better-sqlite3, in WAL mode with synchronous=FULL by default, so that a committed transaction
 * survives a crash of the process and of the machine (synchronous=NORMAL, optional, keeps the first
 * guarantee only). Every write is one transaction begun with BEGIN IMMEDIATE: it takes the file's
 * write lock before reading, so a read-modify-write (routing a customer against a rep's load) can
 * never interleave with another writer, in this process or in another one sharing the file (others
 * wait up to `busyTimeoutMs`).
 *
 * better-sqlite3 is synchronous: each call runs to completion on the event loop; the store's
 * interfaces are asynchronous, so `reader` and `writer` turn a throw into a rejected promise.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Database as SqliteDatabase } from "better-sqlite3";
import { migrateSqlite } from "./sqlite-migrations.ts";

export interface SqliteConnectionOptions {
  /** Clock in ms since the epoch (tests move it to check retention). */
  now?: () => number;
  /** How long a writer waits for another process's write lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
  /**
   * "full" (default): a commit is on disk before it returns, so it survives power loss too.
   * "normal": in WAL mode a commit survives a crash of the process, but the last ones may be lost
   * if the machine itself stops; about 3 times cheaper per write.
   */
  synchronous?: "full" | "normal";
}

/** An open, migrated database and the clock its records are stamped with. */
export interface SqliteConnection {
  db: SqliteDatabase;
  /** The file (or ":memory:"). */
  location: string;
  schemaVersion: number;
  /** ms since the epoch. */
  now: () => number;
  /** now() as an ISO 8601 timestamp. */
  iso: () => string;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/** Opens (creating the file and its folder when needed) and migrates the database. */
export function openSqliteConnection(location: string, options: SqliteConnectionOptions = {}): SqliteConnection {
  const now = options.now ?? Date.now;
  const inMemory = location === ":memory:" || location === "";
  if (!inMemory && !location.startsWith("file:")) mkdirSync(path.dirname(path.resolve(location)), { recursive: true });

  const db: SqliteDatabase = new Database(location);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${options.synchronous === "normal" ? "NORMAL" : "FULL"}`);
    db.pragma("foreign_keys = ON");
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`);
  } catch (error) {
    db.close();
    throw error;
  }
  let schemaVersion: number;
  try {
    schemaVersion = migrateSqlite(db, undefined, now);
  } catch (error) {
    db.close();
    throw error;
  }
  return { db, location, schemaVersion, now, iso: () => new Date(now()).toISOString() };
}

/** Runs synchronous storage work, turning a throw into a rejected promise. */
export function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** A read as an asynchronous call. */
export function reader<A extends unknown[], R>(read: (...args: A) => R): (...args: A) => Promise<R> {
  return (...args) => settle(() => read(...args));
}

/** A write as an asynchronous call running in one BEGIN IMMEDIATE transaction. */
export function writer<A extends unknown[], R>(db: SqliteDatabase, write: (...args: A) => R): (...args: A) => Promise<R> {
  const transaction = db.transaction(write);
  return (...args) => settle(() => transaction.immediate(...args));
}
