import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { detectDelimiter, readCsvTable, splitUnquoted } from "../src/formats/csv-table.ts";

describe("reading CSV text", () => {
  it("splits quote-free text exactly as csv-parse reads it (random cells, separators and line breaks)", () => {
    const cell = fc.stringMatching(/^[a-z0-9 ;,|\t.-]{0,6}$/);
    fc.assert(
      fc.property(
        fc.constantFrom(",", ";", "\t", "|"),
        fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom("\n", "\r\n", "\r"),
        fc.boolean(),
        (delimiter, rows, eol, blankLines) => {
          const text = rows.map((r) => r.join(delimiter)).join(blankLines ? eol + eol : eol) + eol;
          const expected: string[][] = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, record_delimiter: eol });
          expect(splitUnquoted(text, delimiter)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("detects the separator of the header line outside quotes", () => {
    expect(detectDelimiter("Id;Name;Value\n1,2;x;3\n")).toBe(";");
    expect(detectDelimiter('"a;b;c",d\n')).toBe(",");
    expect(detectDelimiter("Id\tName\n")).toBe("\t");
    expect(detectDelimiter("Id\n")).toBe(",");
  });

  it("gives the same table through the quote-free path and through csv-parse", () => {
    const plain = readCsvTable(new TextEncoder().encode("Id,Name\r\na1,Acme\r\n\r\na2,Bolt\r\n"));
    const quoted = readCsvTable(new TextEncoder().encode('Id,Name\r\na1,"Acme"\r\n\r\na2,Bolt\r\n'));
    expect(plain).toEqual(quoted);
    expect(plain.rows).toEqual([
      { row: 2, cells: ["a1", "Acme"] },
      { row: 3, cells: ["a2", "Bolt"] },
    ]);
  });
});
