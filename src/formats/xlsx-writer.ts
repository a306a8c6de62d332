import ExcelJS from "exceljs";
import type { CellValue } from "./csv-writer.ts";
import { neutraliseFormula } from "./formula-guard.ts";

export interface SheetData {
  name: string;
  header: readonly string[];
  rows: readonly (readonly CellValue[])[];
  /** Column widths in characters (default 14). */
  widths?: readonly number[];
}

/**
 * An .xlsx workbook of plain sheets: a bold frozen header, then the rows. Text cells are neutralised
 * against formula injection and written as strings; no cell is ever a formula. The workbook's
 * own dates are fixed, so the same sheets give the same cells (the zip's entry times may differ).
 */
export async function writeXlsx(sheets: readonly SheetData[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const epoch = new Date(Date.UTC(2000, 0, 1));
  workbook.creator = "Allot";
  workbook.created = epoch;
  workbook.modified = epoch;
  for (const data of sheets) {
    const sheet = workbook.addWorksheet(data.name, { views: [{ state: "frozen", ySplit: 1 }] });
    sheet.columns = data.header.map((h, i) => ({ header: neutraliseFormula(h), width: data.widths?.[i] ?? 14 }));
    sheet.getRow(1).font = { bold: true };
    for (const row of data.rows) sheet.addRow(row.map((v) => (typeof v === "string" ? neutraliseFormula(v) : typeof v === "number" && !Number.isFinite(v) ? null : v)));
  }
  const out = await workbook.xlsx.writeBuffer();
  return Buffer.from(out);
}
