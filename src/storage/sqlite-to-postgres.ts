/**
 * Moves a SQLite database to PostgreSQL without loss (`npm run db:copy`, api/db-copy.ts): every
 * table of the schema, row for row with its sequence numbers (so plan versions, cursors and audit
 * ids stay what clients have seen), then each identity sequence set past the largest number.
 *
 * - The source is brought to the current schema first (as starting Allot on it would), then read in
 *   one read transaction: a consistent snapshot, even if something still writes to it.
 * - The target is migrated and must hold no data: the copy never merges.
 * - Everything is written in one PostgreSQL transaction, checked before it commits: per table, the
 *   row count and a checksum of the rows read back from PostgreSQL must equal the source's. A
 *   mismatch rolls everything back.
 *
 * The checksum of a table is the sum, modulo 2^256, of the sha256 of each row's canonical JSON
 * (its values in column order; SQLite's 0/1 flags read as booleans): the same rows in any order
 * give the same sum, so neither side has to agree with the other on how text sorts.
 *
 * A new table is one more entry in COPIED_TABLES (after the tables it references).
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import { openPostgresStore } from "./postgres-store.ts";
import { openSqliteStore } from "./sqlite-store.ts";
import { describeDatabaseUrl, POSTGRES_TYPES, translated } from "./postgres-connection.ts";
import { asRow } from "./sqlite-row.ts";

/** How a column's value is kept: as is, or a SQLite 0/1 that PostgreSQL keeps as a boolean. */
type ColumnKind = "value" | "flag";

export interface CopiedTable {
  name: string;
  columns: readonly (readonly [name: string, kind: ColumnKind])[];
  /** The identity column whose sequence continues after the copied rows. */
  identity?: string;
}

const values = (...names: string[]) => names.map((n) => [n, "value"] as const);

/** Every table of the store, parents before the tables that reference them. */
export const COPIED_TABLES: readonly CopiedTable[] = [
  {
    name: "plans",
    identity: "seq",
    columns: [
      ...values("seq", "id", "label", "state", "status"),
      ["verified", "flag"],
      ...values("objective", "expected_value", "input_hash", "solver_backend", "solver_version", "customers", "reps", "assigned", "unassigned"),
      ...values("input_json", "overview_json", "created_at", "activated_at", "archived_at", "approval"),
    ],
  },
  { name: "assignments", identity: "seq", columns: values("seq", "plan_seq", "customer_id", "rep_id", "expected_value", "components_json", "reason", "source", "routed_at", "workload") },
  { name: "rep_loads", columns: values("plan_seq", "rep_id", "accounts", "workload", "value", "expected_value") },
  { name: "load_totals", columns: values("plan_seq", "accounts", "value", "routed", "routed_unassigned") },
  { name: "audit_log", identity: "seq", columns: values("seq", "at", "request_id", "key_id", "key_label", "key_role", "action", "plan_id", "customer_id", "rep_id", "note") },
  { name: "idempotency_keys", columns: values("identity", "key", "method", "path", "fingerprint", "state", "token", "created_at", "lease_until", "status", "headers_json", "body") },
  {
    name: "jobs",
    identity: "seq",
    columns: values("seq", "id", "kind", "state", "work_json", "created_at", "started_at", "finished_at", "attempts", "progress_json", "status", "error_json", "result_json", "expires_at"),
  },
  {
    name: "deal_outcomes",
    identity: "seq",
    columns: [...values("seq", "deal_id", "plan_seq", "customer_id", "rep_id"), ["won", "flag"], ...values("amount", "closed_at", "recorded_at")],
  },
  { name: "api_keys", identity: "seq", columns: values("seq", "id", "digest", "role", "label", "created_at", "expires_at", "revoked_at") },
  { name: "plan_approvals", identity: "seq", columns: values("seq", "plan_seq", "action", "by", "comment", "at", "key_id") },
  {
    name: "activation_schedules",
    identity: "seq",
    columns: [
      ...values("seq", "id", "plan_seq", "activate_at", "state"),
      ["require_approval", "flag"],
      ...values("created_at", "finished_at", "note", "request_id", "key_id", "key_label", "key_role"),
    ],
  },
  {
    name: "sessions",
    identity: "seq",
    columns: values("seq", "digest", "csrf_digest", "key_id", "key_source", "role", "label", "created_at", "last_seen_at", "expires_at", "revoked_at"),
  },
];

export interface TableCopy {
  table: string;
  rows: number;
  /** 64 hex digits; equal on both sides. */
  checksum: string;
}

export class CopyRefusedError extends Error {
  override readonly name = "CopyRefusedError";
}

/** Rows per INSERT (PostgreSQL takes at most 65,535 parameters per statement). */
const MAX_PARAMETERS = 60_000;
const FETCH_ROWS = 2_000;
const MODULUS = 1n << 256n;

/** The additive, order-independent checksum of a table's rows (see the header). */
export class TableChecksum {
  private sum = 0n;
  rows = 0;
  add(row: readonly unknown[]): void {
    const digest = createHash("sha256").update(JSON.stringify(row), "utf8").digest("hex");
    this.sum = (this.sum + BigInt(`0x${digest}`)) % MODULUS;
    this.rows += 1;
  }
  hex(): string {
    return this.sum.toString(16).padStart(64, "0");
  }
}

/** A row's values in column order as both sides compare them (flags as booleans). */
export function canonicalRow(table: CopiedTable, row: Record<string, unknown>): unknown[] {
  return table.columns.map(([name, kind]) => {
    const value = row[name] ?? null;
    return kind === "flag" && typeof value === "number" ? value === 1 : value;
  });
}

function insertStatement(table: CopiedTable, rows: number): string {
  const width = table.columns.length;
  const tuples = Array.from({ length: rows }, (_, r) => `(${table.columns.map((_, c) => `$${r * width + c + 1}`).join(", ")})`);
  return `INSERT INTO ${table.name} (${table.columns.map(([n]) => n).join(", ")}) VALUES ${tuples.join(", ")}`;
}

/** Reads a PostgreSQL table through a cursor (inside the client's transaction) into a checksum. */
async function postgresChecksum(client: pg.Client, table: CopiedTable): Promise<TableChecksum> {
  const sum = new TableChecksum();
  const cursor = `copy_check_${table.name}`;
  await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${table.columns.map(([n]) => n).join(", ")} FROM ${table.name}`);
  for (;;) {
    const { rows } = await client.query<Record<string, unknown>>(`FETCH ${FETCH_ROWS} FROM ${cursor}`);
    for (const row of rows) sum.add(canonicalRow(table, row));
    if (rows.length < FETCH_ROWS) break;
  }
  await client.query(`CLOSE ${cursor}`);
  return sum;
}

export interface CopyOptions {
  /** Told after each table. */
  onTable?: (copy: TableCopy) => void;
}

/** Copies the SQLite database at `from` into the (empty) PostgreSQL database at `to`; returns what was copied, verified. */
export async function copySqliteToPostgres(from: string, to: string, options: CopyOptions = {}): Promise<TableCopy[]> {
  if (!existsSync(from)) throw new CopyRefusedError(`no SQLite database at ${from}`);
  // Bring both to the current schema, as starting Allot on each would.
  openSqliteStore(from).close();
  await (await openPostgresStore(to, { poolSize: 1 })).close();

  const source = new Database(from, { readonly: true, fileMustExist: true });
  const target = new pg.Client({ connectionString: to, types: POSTGRES_TYPES });
  target.on("error", () => undefined);
  try {
    await target.connect().catch((error: unknown) => {
      throw translated(error);
    });
    // One snapshot of the source for the whole copy.
    source.prepare("BEGIN").run();
    await target.query("BEGIN");
    try {
      for (const table of COPIED_TABLES) {
        const { rows } = await target.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table.name}`);
        if ((rows[0]?.n ?? 0) > 0) throw new CopyRefusedError(`${describeDatabaseUrl(to)} already holds data (table ${table.name}); copy into an empty database`);
      }
      const copies: TableCopy[] = [];
      for (const table of COPIED_TABLES) {
        const expected = new TableChecksum();
        const perInsert = Math.max(1, Math.floor(MAX_PARAMETERS / table.columns.length));
        let batch: unknown[][] = [];
        const flush = async () => {
          if (batch.length === 0) return;
          await target.query(insertStatement(table, batch.length), batch.flat());
          batch = [];
        };
        const read = source.prepare(`SELECT ${table.columns.map(([n]) => n).join(", ")} FROM ${table.name}`);
        for (const raw of read.iterate()) {
          const row = canonicalRow(table, asRow(raw));
          expected.add(row);
          batch.push(row);
          if (batch.length >= perInsert) await flush();
        }
        await flush();
        if (table.identity !== undefined) {
          await target.query(`SELECT setval(pg_get_serial_sequence('${table.name}', '${table.identity}'), coalesce(max(${table.identity}), 0) + 1, false) FROM ${table.name}`);
        }
        const copied = await postgresChecksum(target, table);
        if (copied.rows !== expected.rows || copied.hex() !== expected.hex()) {
          throw new Error(`${table.name}: ${expected.rows} rows read, ${copied.rows} in PostgreSQL, checksums ${expected.hex()} and ${copied.hex()}: nothing was copied`);
        }
        const copy = { table: table.name, rows: expected.rows, checksum: expected.hex() };
        copies.push(copy);
        options.onTable?.(copy);
      }
      await target.query("COMMIT");
      return copies;
    } catch (error) {
      await target.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      source.prepare("COMMIT").run();
    }
  } finally {
    source.close();
    await target.end().catch(() => undefined);
  }
}
