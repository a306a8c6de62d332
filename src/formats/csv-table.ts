import { CsvError, parse } from "csv-parse/sync";
import { FileFormatError } from "./file-format-error.ts";
import type { Table } from "./table.ts";
import { decodeText } from "./text-decoding.ts";

const DELIMITERS = [",", ";", "\t", "|"] as const;
/** Longest record csv-parse may buffer: a garbage file without line breaks fails here, not in memory. */
const MAX_RECORD_CHARS = 1_000_000;

/** The separator of the header line: the candidate found most often outside quotes (`,` on a tie). */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (let i = 0; i < text.length && i < MAX_RECORD_CHARS; i += 1) {
    const ch = text[i] ?? "";
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ",";
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/**
 * CSV text without a single quote character, as csv-parse reads it (records on \r\n, \n or \r,
 * fields on the delimiter, empty lines skipped) but several times faster: without quotes no field
 * can hold a delimiter or a line break, so splitting is exact. Large exports are often quote-free.
 */
export function splitUnquoted(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let start = 0;
  let line = 0;
  const n = text.length;
  while (start <= n) {
    let end = start;
    while (end < n) {
      const c = text.charCodeAt(end);
      if (c === 10 || c === 13) break;
      end += 1;
    }
    line += 1;
    if (end - start > MAX_RECORD_CHARS) throw new FileFormatError("malformed", `not a valid CSV: a record longer than ${MAX_RECORD_CHARS} characters at line ${line}`, line);
    if (end > start) records.push(text.slice(start, end).split(delimiter));
    if (end >= n) break;
    start = text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
  }
  return records;
}

/**
 * A CSV file as a table: decoded (UTF-8, BOM, Latin-1: decodeText), separator detected from the
 * header line (`,` `;` tab `|`), quoted fields with separators, quotes and newlines, empty lines
 * skipped. Rows may have more or fewer cells than the header (the importer reports them).
 */
export function readCsvTable(bytes: Uint8Array): Table {
  const { text, notes } = decodeText(bytes);
  const delimiter = detectDelimiter(text);
  let records: string[][];
  try {
    records = text.includes('"') ? parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS, trim: false }) : splitUnquoted(text, delimiter);
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new FileFormatError("malformed", `not a valid CSV: ${error.message}`, typeof line === "number" ? line : null);
    }
    throw error;
  }
  const [header, ...rest] = records;
  if (header === undefined || header.every((h) => h.trim() === "")) throw new FileFormatError("malformed", "the file is empty: a header row is needed", 1);
  return { header: header.map((h) => h.trim()), rows: rest.map((cells, i) => ({ row: i + 2, cells })), notes };
}
