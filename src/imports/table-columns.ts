import type { ImportFileName } from "../../models/index.ts";
import type { Table, TableRow } from "../formats/table.ts";
import type { QualityFindings } from "./quality-findings.ts";

/** The mapped columns of one file: where each field is, and the cell of a row for a field. */
export interface TableColumns<F extends string> {
  readonly file: ImportFileName;
  readonly table: Table;
  /** The trimmed cell of the field's column; "" when the field is not mapped or the row is short. */
  cell(row: TableRow, field: F): string;
  /** The header of the field's column (for findings). */
  header(field: F): string | null;
}

/**
 * Binds a file's mapping (field → header) to its table, and reports what concerns the file as a
 * whole: the reader's notes (encoding, byte-order mark, Excel formulas), rows with more or fewer
 * cells than the header, and the columns the mapping leaves unread.
 */
export function bindColumns<F extends string>(file: ImportFileName, table: Table, mapping: Partial<Record<F, string>>, findings: QualityFindings): TableColumns<F> {
  const index = new Map<F, number>();
  for (const [field, header] of Object.entries(mapping) as [F, string | undefined][]) {
    if (header === undefined) continue;
    const at = table.header.indexOf(header);
    if (at >= 0) index.set(field, at);
  }
  for (const note of table.notes) {
    const column = note.column === null ? null : (table.header[note.column] ?? null);
    if (note.kind === "formula") findings.add("formula-cell", "warning", "the formula's cached result was read; the formula was not evaluated", { file, row: note.row, column, message: note.message });
    else findings.add("encoding", "info", note.kind === "bom" ? "byte-order mark removed" : "read as Latin-1 (Windows-1252)", { file, message: note.message });
  }
  const width = table.header.length;
  for (const row of table.rows) {
    if (row.cells.length !== width && !(row.cells.length > width && row.cells.slice(width).every((c) => c.trim() === ""))) {
      findings.add("ragged-row", "warning", "cells read by position; missing cells are empty, extra cells ignored", {
        file,
        row: row.row,
        message: `${row.cells.length} cells where the header has ${width}`,
      });
    }
  }
  const read = new Set(index.values());
  const unread = table.header.filter((h, i) => !read.has(i) && h !== "");
  for (const header of unread) findings.add("unmapped-columns", "info", "not read (map it to use it)", { file, column: header, message: `column "${header}" is not in the mapping` });
  return {
    file,
    table,
    cell(row, field) {
      const at = index.get(field);
      return at === undefined ? "" : (row.cells[at] ?? "").trim();
    },
    header(field) {
      const at = index.get(field);
      return at === undefined ? null : (table.header[at] ?? null);
    },
  };
}

/** Mapped headers missing from the file: an edited mapping naming a column the file lacks. */
export function missingHeaders(table: Table, mapping: Partial<Record<string, string>>): { field: string; header: string }[] {
  return Object.entries(mapping).flatMap(([field, header]) => (header !== undefined && !table.header.includes(header) ? [{ field, header }] : []));
}
