import ExcelJS from "exceljs";
import { FileFormatError } from "./file-format-error.ts";
import type { ReadingNote, Table } from "./table.ts";

/** Starts of a zip archive (an .xlsx is one). */
export function looksLikeXlsx(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function textOf(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ("richText" in value) return value.richText.map((r) => r.text).join("");
  if ("formula" in value || "sharedFormula" in value) return "result" in value && value.result !== undefined ? textOf(value.result as ExcelJS.CellValue) : "";
  if ("error" in value) return String(value.error);
  if ("text" in value) return typeof value.text === "string" ? value.text : textOf(value.text as ExcelJS.CellValue);
  return "";
}

/**
 * The first worksheet of an .xlsx workbook as a table of text cells (numbers as written by
 * JavaScript, dates as YYYY-MM-DD, rich text joined). A formula cell gives its cached result and a
 * note; it is never evaluated.
 */
export async function readXlsxTable(bytes: Uint8Array): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    throw new FileFormatError("unreadable", "not a readable .xlsx workbook");
  }
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw new FileFormatError("malformed", "the workbook has no worksheet", null);
  const notes: ReadingNote[] = [];
  let header: string[] | null = null;
  const rows: Table["rows"] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      const value = cell.value;
      if (value !== null && typeof value === "object" && ("formula" in value || "sharedFormula" in value)) {
        notes.push({ kind: "formula", row: rowNumber, column: column - 1, message: "an Excel formula: its cached result was used, the formula was not evaluated" });
      }
      cells[column - 1] = textOf(value);
    });
    for (let i = 0; i < cells.length; i += 1) cells[i] ??= "";
    if (header === null) header = cells.map((c) => c.trim());
    else rows.push({ row: rowNumber, cells });
  });
  if (header === null || (header as string[]).every((h) => h === "")) throw new FileFormatError("malformed", "the first worksheet is empty: a header row is needed", 1);
  return { header, rows, notes };
}
