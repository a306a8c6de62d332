import type { Diagnosis, Plan, Solution, SolutionStatus, Violation } from "../../models/index.ts";
import { assembleSolution } from "./assemble-solution.ts";

/** A solver answer that failed independent verification and was not returned. */
export interface RejectedAnswer {
  backend: string;
  violations: Violation[];
}

export interface NoPlanInput {
  plan: Plan;
  status: Extract<SolutionStatus, "infeasible" | "timeout">;
  timeLimitMs: number;
  mipGap: number;
  backend: string;
  version: string;
  diagnosis: Diagnosis;
  /** Answers that failed verification before the solve gave up (none when nothing was verified). */
  rejected?: RejectedAnswer[];
}

/**
 * The Solution when no plan is returned (infeasible, time limit, every answer rejected, the hard
 * deadline): no assignments, every customer unassigned with the status's reason, no objective.
 */
export function noPlanSolution(input: NoPlanInput): Solution {
  const rejected = input.rejected ?? [];
  return assembleSolution({
    plan: input.plan,
    assignments: [],
    status: input.status,
    bound: null,
    backend: input.backend,
    version: input.version,
    timeLimitMs: input.timeLimitMs,
    mipGap: input.mipGap,
    diagnosis: input.diagnosis,
    verification: { passed: rejected.length === 0, objective: null, rejected },
  });
}
