/** A rep's load as the reps table and the band chart show it: a solve's RepSummary or an evaluation's RepPicture. */
import type { Evaluation, RepSummary } from "./contract.ts";

export type RepLoad = Pick<RepSummary, "id" | "accounts" | "workload" | "value" | "expectedValue" | "fairShare">;

/** The loads to show: the evaluation's when the planner has changed something, else the solve's. */
export function repLoads(solved: readonly RepSummary[], evaluation: Evaluation | null): readonly RepLoad[] {
  return evaluation === null ? solved : evaluation.reps;
}
