/**
 * A file that cannot be read as a table: `unreadable` when it is not text nor a workbook (binary
 * data, a damaged .xlsx: answered 415), `malformed` when it is text but not a valid table (an
 * unclosed quote, no header: answered 422). `row` counts the header as row 1, as a spreadsheet does.
 */
export class FileFormatError extends Error {
  constructor(
    readonly kind: "unreadable" | "malformed",
    message: string,
    readonly row: number | null = null,
  ) {
    super(message);
    this.name = "FileFormatError";
  }
}
