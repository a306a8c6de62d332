/** A file read as a table of text cells: what the CSV and .xlsx readers both give. */
export interface TableRow {
  /** The row in the file, counting the header as row 1 (a CSV record with a quoted newline is one row). */
  row: number;
  cells: string[];
}

/** Something the reader noticed and changed about the file as a whole, or about cells. */
export interface ReadingNote {
  kind: "latin-1" | "bom" | "formula";
  row: number | null;
  column: number | null;
  message: string;
}

export interface Table {
  /** The header cells, trimmed. */
  header: string[];
  rows: TableRow[];
  notes: ReadingNote[];
}
