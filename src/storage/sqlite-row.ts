/**
 * Typed reads of SQLite result rows (better-sqlite3 returns `unknown`): each accessor checks the
 * column's type and throws a clear error on a schema mismatch instead of letting a wrong type in.
 * The PostgreSQL store reads its rows with the same accessors (postgres-connection.ts reads 64-bit
 * integers as numbers, so both drivers give text, numbers and null alike).
 */
import type { Page } from "./plan-store.ts";

export type Row = Record<string, unknown>;

export class RowShapeError extends Error {
  override readonly name = "RowShapeError";
}

export function asRow(value: unknown): Row {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new RowShapeError("expected a result row");
  return value as Row;
}

/** The row, or null when the query returned none. */
export function optionalRow(value: unknown): Row | null {
  return value === undefined ? null : asRow(value);
}

export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== "string") throw new RowShapeError(`column ${column}: expected text`);
  return value;
}

export function nullableText(row: Row, column: string): string | null {
  const value = row[column];
  if (value === null) return null;
  if (typeof value !== "string") throw new RowShapeError(`column ${column}: expected text or null`);
  return value;
}

export function num(row: Row, column: string): number {
  const value = row[column];
  if (typeof value !== "number") throw new RowShapeError(`column ${column}: expected a number`);
  return value;
}

export function nullableNum(row: Row, column: string): number | null {
  const value = row[column];
  if (value === null) return null;
  if (typeof value !== "number") throw new RowShapeError(`column ${column}: expected a number or null`);
  return value;
}

/** A page from rows fetched with LIMIT limit + 1 and a `seq` column: the extra row only says that there is more. */
export function pageOf<T>(rows: unknown[], limit: number, map: (row: Row) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const items = kept.map((r) => map(asRow(r)));
  const last = kept.at(-1);
  return { items, next: more && last !== undefined ? num(asRow(last), "seq") : null };
}
