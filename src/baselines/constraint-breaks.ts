import type { ConstraintBreaks, Plan } from "../../models/index.ts";
import { MAX_REPORTED_VIOLATIONS, verifyAssignment, type AssignmentPair } from "../verify/verify-assignment.ts";

export interface CheckedAssignment {
  breaks: ConstraintBreaks;
  /** The verifier's objective: Σ expected value of the pairs, scored like the optimizer's. */
  expectedValue: number;
}

/**
 * Runs the independent verifier on an assignment and counts its violations by kind (capacity,
 * bands, required specialties, territory, missing customers, …). The verifier lists at most
 * MAX_REPORTED_VIOLATIONS violations; when it reaches that cap `complete` is false and the counts
 * are lower bounds.
 */
export function checkAssignment(plan: Plan, pairs: readonly AssignmentPair[]): CheckedAssignment {
  const report = verifyAssignment(plan, pairs);
  const counts = new Map<string, number>();
  for (const v of report.violations) counts.set(v.kind, (counts.get(v.kind) ?? 0) + 1);
  const byKind: Record<string, number> = {};
  for (const kind of [...counts.keys()].sort()) byKind[kind] = counts.get(kind) ?? 0;
  return {
    breaks: { total: report.violations.length, byKind, complete: report.violations.length < MAX_REPORTED_VIOLATIONS },
    expectedValue: report.objective,
  };
}
