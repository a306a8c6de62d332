import { SolutionOverview } from "../../models/index.ts";
import { isRecord } from "../numeric/is-record.ts";

/**
 * Reads a Solution overview as stored with a plan version. Overviews stored before
 * `verification.state` existed are read in today's terms: a returned plan (optimal, feasible)
 * `passed`; without one nothing passed, and the verifier `failed` (answers were rejected) or was
 * `not-run`. Stored rows are immutable, so they are upgraded on reading, never rewritten.
 */
export function readStoredOverview(json: string): SolutionOverview {
  return SolutionOverview.parse(withVerificationState(JSON.parse(json)));
}

function withVerificationState(overview: unknown): unknown {
  if (!isRecord(overview) || !isRecord(overview.verification) || "state" in overview.verification) return overview;
  const verification = overview.verification;
  const rejected = Array.isArray(verification.rejected) ? verification.rejected : [];
  const planReturned = overview.status === "optimal" || overview.status === "feasible";
  const state = planReturned ? "passed" : rejected.length > 0 ? "failed" : "not-run";
  return { ...overview, verification: { ...verification, passed: planReturned && verification.passed === true, state } };
}
