import { z } from "zod";
import { DataQualityReport } from "./data-quality-report.ts";
import { ImportMapping } from "./import-mapping.ts";
import { Plan } from "./plan.ts";
import { Solution } from "./solution.ts";

export const ImportResult = z
  .strictObject({
    plan: Plan.describe("The plan built from the files, validated like the body of /v1/solve."),
    mapping: ImportMapping.describe("The mapping used (detected or given): send it back as `mapping` to import the same files the same way."),
    report: DataQualityReport,
  })
  .describe("POST /v1/imports: the plan, the mapping used and the data-quality report.");
export type ImportResult = z.infer<typeof ImportResult>;

export const ExportFormat = z.enum(["csv", "xlsx"]).describe("csv: one row per account for a CRM bulk update; xlsx: a workbook with assignments, reps, moves and summary sheets.");
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportRequest = z
  .strictObject({
    plan: Plan.describe("The plan that was solved."),
    solution: Solution.describe("Its Solution, as /v1/solve returned it."),
  })
  .describe("POST /v1/exports: a solved plan to export as CSV or Excel.");
export type ExportRequest = z.infer<typeof ExportRequest>;
