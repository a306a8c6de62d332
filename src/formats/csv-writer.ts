import { neutraliseFormula } from "./formula-guard.ts";

export type CellValue = string | number | boolean | null;

function field(value: CellValue): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV (comma, CRLF, quotes doubled), text cells neutralised against formula injection. */
export function writeCsv(header: readonly string[], rows: readonly (readonly CellValue[])[]): string {
  const lines = [header.map(field).join(",")];
  for (const row of rows) lines.push(row.map(field).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
