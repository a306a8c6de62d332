import type { Plan } from "../../models/index.ts";

/** A server's time limits: the default when a plan sets none, and the most a plan may ask for. */
export interface TimeLimits {
  defaultTimeLimitMs: number;
  maxTimeLimitMs: number;
}

/** The solver time limit for a plan: its policy.timeLimitMs or the default, at most the server maximum. */
export function effectiveTimeLimitMs(plan: Plan, limits: TimeLimits): number {
  return Math.min(plan.policy?.timeLimitMs ?? limits.defaultTimeLimitMs, limits.maxTimeLimitMs);
}
