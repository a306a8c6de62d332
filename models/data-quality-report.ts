import { z } from "zod";

export const ImportFileName = z.enum(["accounts", "reps", "opportunities"]).describe("Which imported file.");
export type ImportFileName = z.infer<typeof ImportFileName>;

export const DataQualityKind = z
  .enum([
    "encoding",
    "missing-value",
    "unparsable-value",
    "ragged-row",
    "formula-cell",
    "duplicate-id",
    "likely-duplicate-account",
    "unknown-owner",
    "owner-matched-by-name",
    "segment-spelling",
    "coordinates-out-of-range",
    "coordinates-swapped",
    "extreme-value",
    "open-deal",
    "unknown-account",
    "cold-start-rep",
    "no-eligible-rep",
    "unmapped-columns",
  ])
  .describe(
    "encoding: not UTF-8 (read as Latin-1) or a byte-order mark; missing-value / unparsable-value: an empty or unreadable cell; ragged-row: more or fewer cells than the header; " +
      "formula-cell: a cell starting with =, +, -, @ (kept as text, never evaluated) or an Excel formula (its cached result used); duplicate-id; likely-duplicate-account: same name once case, punctuation and legal suffixes are removed; " +
      "unknown-owner: an owner not in the reps file; owner-matched-by-name: an owner written as a rep's name or email; segment-spelling: spellings that differ only by case or spacing, merged; " +
      "coordinates-out-of-range / coordinates-swapped; extreme-value: more than 100× the median; open-deal: not closed, not counted; unknown-account: a deal whose account is not in the accounts file; " +
      "cold-start-rep: a rep without history; no-eligible-rep: a customer no rep may take under the plan's rules; unmapped-columns: columns the mapping does not read.",
  );
export type DataQualityKind = z.infer<typeof DataQualityKind>;

export const DataQualityExample = z
  .strictObject({
    file: ImportFileName,
    row: z.int().min(1).nullable().describe("The row in the file, counting the header as row 1 (as a spreadsheet shows it); null for a finding about the whole file."),
    column: z.string().nullable().describe("The column header; null when the finding is about the whole row."),
    value: z.string().nullable().describe("The cell as read (cut at 200 characters); null when not about one cell."),
    message: z.string(),
  })
  .describe("One occurrence of a finding.");
export type DataQualityExample = z.infer<typeof DataQualityExample>;

export const DataQualityIssue = z
  .strictObject({
    kind: DataQualityKind,
    severity: z.enum(["error", "warning", "info"]).describe("error: rows were skipped; warning: a value was changed or left out; info: nothing was changed."),
    count: z.int().min(1).describe("How many occurrences (rows, cells, groups or reps)."),
    examples: z.array(DataQualityExample).describe("The first occurrences (at most 10)."),
    action: z.string().describe("What the import did about it."),
  })
  .describe("One kind of finding in one file, with its count, examples and what the import did.");
export type DataQualityIssue = z.infer<typeof DataQualityIssue>;

export const DataQualityReport = z
  .strictObject({
    rows: z
      .strictObject({
        accounts: z.int().min(0),
        reps: z.int().min(0),
        opportunities: z.int().min(0),
      })
      .describe("Data rows read from each file (the header not counted)."),
    imported: z
      .strictObject({
        customers: z.int().min(0),
        reps: z.int().min(0),
        deals: z.int().min(0).describe("Closed deals counted in the history."),
        historyRows: z.int().min(0).describe("Outcomes (rep × segment) in the plan's history."),
      })
      .describe("What the plan holds. Rows read minus rows imported = rows skipped, each reported in issues."),
    issues: z.array(DataQualityIssue).describe("Findings, errors first, then warnings, then info."),
  })
  .describe("The data-quality report of an import: every finding with counts, examples and what the import did. Nothing is dropped without a finding here.");
export type DataQualityReport = z.infer<typeof DataQualityReport>;
