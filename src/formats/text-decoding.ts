import { FileFormatError } from "./file-format-error.ts";
import type { ReadingNote } from "./table.ts";

const SAMPLE_BYTES = 65_536;

/**
 * Bytes of a text file as a string: a UTF-8 byte-order mark is removed, text that is not valid
 * UTF-8 is read as Latin-1 (Windows-1252, what spreadsheet programs write on many machines), and
 * binary data (NUL bytes or mostly control characters in the first 64 KiB) is refused as unreadable.
 */
export function decodeText(bytes: Uint8Array): { text: string; notes: ReadingNote[] } {
  const notes: ReadingNote[] = [];
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  let control = 0;
  for (const b of sample) {
    if (b === 0) throw new FileFormatError("unreadable", "the file holds NUL bytes: it is binary data, not CSV text");
    if (b < 32 && b !== 9 && b !== 10 && b !== 13) control += 1;
  }
  if (sample.length > 0 && control / sample.length > 0.05) throw new FileFormatError("unreadable", "the file is mostly control characters: it is binary data, not CSV text");
  let body = bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    body = bytes.subarray(3);
    notes.push({ kind: "bom", row: null, column: null, message: "a UTF-8 byte-order mark opened the file; it was removed" });
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(body), notes };
  } catch {
    notes.push({ kind: "latin-1", row: null, column: null, message: "the file is not valid UTF-8; it was read as Latin-1 (Windows-1252)" });
    return { text: new TextDecoder("windows-1252").decode(body), notes };
  }
}
