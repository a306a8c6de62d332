import type { Diagnosis, DiagnosisCause, Plan, Solution, Violation } from "../../models/index.ts";
import { assembleSolution } from "./assemble-solution.ts";

/** A solver answer that failed independent verification and was not returned. */
export interface RejectedAnswer {
  backend: string;
  violations: Violation[];
}

/**
 * Why no plan is returned. Each reason gives its own diagnosis, so that a `timeout` always says
 * which it was: the time ran out before any plan was found, every plan found was rejected by the
 * verifier, or the solver failed.
 */
export type NoPlanReason =
  /** No assignment meets every constraint (status `infeasible`). */
  | { kind: "infeasible"; summary: string; causes: DiagnosisCause[] }
  /** The time limit (or a hard deadline, with its own summary) came before any plan was found. */
  | { kind: "time-limit"; message: string; summary?: string }
  /** Every plan found failed verification (the rejected answers must be given). */
  | { kind: "rejected" }
  /** The solver stopped with an error before it found a plan. */
  | { kind: "solver-error"; message: string };

export interface NoPlanInput {
  plan: Plan;
  timeLimitMs: number;
  mipGap: number;
  backend: string;
  version: string;
  reason: NoPlanReason;
  /** Answers that failed verification before the solve gave up (none when nothing was verified). */
  rejected?: RejectedAnswer[];
}

/**
 * The Solution when no plan is returned (infeasible, time limit, every answer rejected, solver
 * error, the pool's hard deadline): no assignments, every customer unassigned, no objective, the
 * reason's diagnosis, and verification `failed` when answers were rejected, else `not-run`.
 */
export function noPlanSolution(input: NoPlanInput): Solution {
  const rejected = input.rejected ?? [];
  const { reason } = input;
  if (reason.kind === "rejected" && rejected.length === 0) throw new Error("a rejected outcome needs the rejected answers");
  return assembleSolution({
    plan: input.plan,
    assignments: [],
    status: reason.kind === "infeasible" ? "infeasible" : "timeout",
    bound: null,
    backend: input.backend,
    version: input.version,
    timeLimitMs: input.timeLimitMs,
    mipGap: input.mipGap,
    diagnosis: noPlanDiagnosis(reason, rejected, input.timeLimitMs),
    verification: { objective: null, rejected },
  });
}

function noPlanDiagnosis(reason: NoPlanReason, rejected: readonly RejectedAnswer[], timeLimitMs: number): Diagnosis {
  switch (reason.kind) {
    case "infeasible":
      return { summary: reason.summary, causes: reason.causes };
    case "time-limit":
      return {
        summary: reason.summary ?? `The ${timeLimitMs} ms time limit was reached before any plan was found.`,
        causes: [{ kind: "time-limit", message: reason.message }],
      };
    case "rejected":
      return {
        summary: `Every plan found (${rejected.length}) failed independent verification and was rejected (see verification.rejected); no unverified plan is returned.`,
        causes: [{ kind: "verification", message: rejected.map((r) => `${r.backend}: ${r.violations.length} violation(s), first: ${r.violations[0]?.message ?? "?"}`).join("; ") }],
      };
    case "solver-error":
      return { summary: "The solver failed before it found a plan.", causes: [{ kind: "solver", message: reason.message }] };
  }
}
