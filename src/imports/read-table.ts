import { readCsvTable } from "../formats/csv-table.ts";
import { FileFormatError } from "../formats/file-format-error.ts";
import type { Table } from "../formats/table.ts";
import { looksLikeXlsx, readXlsxTable } from "../formats/xlsx-table.ts";

/**
 * One uploaded file as a table, by its content (a zip archive is read as .xlsx, anything else as CSV
 * text); a file named `.xlsx` that is not a zip, or a `.xls` (the old binary format), is refused.
 */
export async function readTable(bytes: Uint8Array, fileName: string): Promise<Table> {
  const name = fileName.toLowerCase();
  if (looksLikeXlsx(bytes)) return readXlsxTable(bytes);
  if (name.endsWith(".xlsx")) throw new FileFormatError("unreadable", "named .xlsx but not an .xlsx workbook");
  if (name.endsWith(".xls")) throw new FileFormatError("unreadable", "the old .xls format is not read: save it as .xlsx or CSV");
  return readCsvTable(bytes);
}
