import type { Plan, Solution } from "../../models/index.ts";
import { noPlanSolution } from "./no-plan-solution.ts";
import { resolvePolicy } from "../plan/resolved-policy.ts";

/** `solver.backend` of a Solution produced by the pool's watchdog rather than by a solver. */
export const DEADLINE_BACKEND = "deadline";

/**
 * The `timeout` Solution returned when a solve outlived its hard deadline and its worker thread
 * was stopped from outside: no assignments, every customer unassigned, nothing verified, and a
 * `time-limit` diagnosis saying that the deadline (time limit + margin) was hit.
 */
export function deadlineSolution(plan: Plan, limits: { timeLimitMs: number; deadlineMs: number }): Solution {
  const policy = resolvePolicy(plan.policy);
  return noPlanSolution({
    plan,
    backend: DEADLINE_BACKEND,
    version: "-",
    timeLimitMs: limits.timeLimitMs,
    mipGap: policy.mipGap,
    reason: {
      kind: "time-limit",
      summary: `No plan was returned within the hard deadline of ${limits.deadlineMs} ms: the solve was stopped from outside the solver.`,
      message: `The solver did not stop at its ${limits.timeLimitMs} ms time limit, so the service stopped it at ${limits.deadlineMs} ms (time limit plus margin). Try a smaller plan, hard territories, or pairs.`,
    },
  });
}
