import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../api/config.ts";
import { SchemaVersionError, SQLITE_MIGRATIONS } from "../src/storage/sqlite-migrations.ts";
import { openSqliteStore, type SqliteStore } from "../src/storage/sqlite-store.ts";
import { storeContract, type StoreKind } from "./store-contract.ts";

const dir = mkdtempSync(path.join(tmpdir(), "allot-storage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const freshFile = () => path.join(dir, `db-${++files}`, "allot.db");

/** A fresh file; plain SQL through a second handle on it; other instances are other handles (as other processes would have). */
const sqlite: StoreKind = {
  name: "SQLite",
  async open(options = {}) {
    const file = freshFile();
    const store = openSqliteStore(file, { ...options, busyTimeoutMs: 20_000 });
    const stores: SqliteStore[] = [store];
    const onFile = <T>(work: (db: Database.Database) => T): T => {
      const db = new Database(file);
      try {
        return work(db);
      } finally {
        db.close();
      }
    };
    return {
      store,
      exec: async (sql) => void onFile((db) => db.prepare(sql).run()),
      scalar: async (sql) => onFile((db) => db.prepare(sql).pluck().get()),
      async another() {
        const other = openSqliteStore(file, { ...options, busyTimeoutMs: 20_000 });
        stores.push(other);
        return other;
      },
      async close() {
        for (const store of stores) store.close();
      },
    };
  },
};

storeContract(sqlite);

describe("SQLite store: schema and file", () => {
  it("creates the folder and the file, in WAL mode, with each migration recorded once", () => {
    const file = freshFile();
    const store = openSqliteStore(file);
    expect(store.schemaVersion).toBe(Math.max(...SQLITE_MIGRATIONS.map((m) => m.version)));
    store.close();
    const again = openSqliteStore(file);
    again.close();

    const db = new Database(file, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    const rows = db.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all();
    expect(rows).toEqual(SQLITE_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
    expect(tables).toEqual(["activation_schedules", "api_keys", "assignments", "audit_log", "deal_outcomes", "idempotency_keys", "jobs", "load_totals", "plan_approvals", "plans", "rep_loads", "schema_migrations", "sessions"]);
    db.close();
  });

  it("refuses a database written by a newer schema instead of misreading it", () => {
    const file = freshFile();
    openSqliteStore(file).close();
    const db = new Database(file);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from the future', 'now')").run();
    db.close();
    expect(() => openSqliteStore(file)).toThrow(SchemaVersionError);
  });
});

describe("database settings", () => {
  it("reads ALLOT_DB_PATH and ALLOT_DB_SYNCHRONOUS, and names an invalid one", () => {
    expect(loadConfig({})).not.toHaveProperty("dbPath");
    expect(loadConfig({ ALLOT_DB_PATH: " /data/allot.db ", ALLOT_DB_SYNCHRONOUS: "Normal" })).toMatchObject({ dbPath: "/data/allot.db", dbSynchronous: "normal" });
    expect(loadConfig({ ALLOT_DB_PATH: ":memory:" }).dbPath).toBe(":memory:");
    const problems = (() => {
      try {
        loadConfig({ ALLOT_DB_SYNCHRONOUS: "off" });
        return [];
      } catch (error) {
        return error instanceof ConfigError ? error.problems : ["not a ConfigError"];
      }
    })();
    expect(problems).toEqual(['ALLOT_DB_SYNCHRONOUS: must be full or normal (got "off")']);
  });
});
