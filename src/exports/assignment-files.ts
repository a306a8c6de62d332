import { BaselineMethod } from "../../models/index.ts";
import { evaluateBaseline } from "../baselines/baseline-comparison.ts";
import { writeCsv, type CellValue } from "../formats/csv-writer.ts";
import { writeXlsx } from "../formats/xlsx-writer.ts";
import type { AssignmentExport } from "./assignment-export.ts";

export const ASSIGNMENT_CSV_HEADER = ["AccountId", "OwnerId", "PreviousOwnerId", "Moved", "Reason", "ExpectedValue"];

const round = (x: number | null, digits = 2): number | null => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/** CSV for a CRM bulk update: one row per customer (OwnerId empty when unassigned), text neutralised against formula injection. */
export function assignmentsCsv(e: AssignmentExport): string {
  return writeCsv(
    ASSIGNMENT_CSV_HEADER,
    e.rows.map((r) => [r.customer, r.rep ?? "", r.previous ?? "", r.moved, r.reason, round(r.expectedValue)]),
  );
}

/**
 * The workbook: Assignments (as the CSV), Reps (loads against capacity and fair share), Moves (with
 * reasons), Summary (status, objective, bound, gap, metrics, and the uplift over each classic
 * method: the Solution's comparison when it has one, else computed here on the same plan).
 */
export async function assignmentsWorkbook(e: AssignmentExport): Promise<Buffer> {
  const { plan, overview } = e;
  const repOf = new Map(plan.reps.map((r) => [r.id, r] as const));
  const reps: CellValue[][] = overview.reps.map((r) => {
    const rep = repOf.get(r.id);
    return [
      r.id,
      r.accounts,
      rep?.maxAccounts ?? null,
      round(r.workload),
      rep?.maxWorkload ?? null,
      round(r.value),
      round(r.expectedValue),
      round(r.utilization, 4),
      round(r.fairShare),
      r.fairShare === null || r.fairShare === 0 ? null : round(r.value / r.fairShare, 4),
    ];
  });
  const moves: CellValue[][] = e.rows.filter((r) => r.moved).map((r) => [r.customer, r.previous ?? "", r.rep ?? "", r.reason, round(r.expectedValue)]);
  const comparison = overview.comparison?.baselines ?? BaselineMethod.options.map((m) => evaluateBaseline(plan, m, overview.objective));
  const m = overview.metrics;
  const summary: CellValue[][] = [
    ["status", overview.status],
    ["objective", round(overview.objective)],
    ["bound (proven upper bound)", round(overview.bound)],
    ["gap", round(overview.gap, 6)],
    ["expected value", round(m.expectedValue)],
    ["customers assigned", m.assigned],
    ["customers unassigned", m.unassigned],
    ["moves", m.moves],
    ["forced moves", m.forcedMoves],
    ["value Gini", round(m.valueGini, 4)],
    ["solver", `${overview.solver.backend} ${overview.solver.version}`],
    ["stopped by", overview.solver.stoppedBy ?? ""],
    ["input hash", overview.solver.inputHash],
    ...comparison.map((b): CellValue[] => [`uplift over ${b.method}`, round(b.uplift), b.upliftPercent === null ? null : round(b.upliftPercent, 2), `${b.method}: expected value ${round(b.expectedValue)}, ${b.breaks.total} constraint breaks`]),
  ];
  return writeXlsx([
    { name: "Assignments", header: ASSIGNMENT_CSV_HEADER, rows: e.rows.map((r) => [r.customer, r.rep ?? "", r.previous ?? "", r.moved, r.reason, round(r.expectedValue)]), widths: [14, 14, 16, 8, 70, 14] },
    { name: "Reps", header: ["RepId", "Accounts", "MaxAccounts", "Workload", "MaxWorkload", "Value", "ExpectedValue", "Utilization", "FairShare", "ValueOverFairShare"], rows: reps },
    { name: "Moves", header: ["AccountId", "From", "To", "Reason", "ExpectedValue"], rows: moves, widths: [14, 12, 12, 70, 14] },
    { name: "Summary", header: ["Figure", "Value", "Percent", "Note"], rows: summary, widths: [28, 18, 10, 60] },
  ]);
}
