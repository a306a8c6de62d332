import type { Advice, AdvicePart, Plan, Solution } from "../../models/index.ts";
import type { SolveOptions } from "../solve/solve-plan.ts";
import { bandFrontier } from "./band-frontier.ts";
import { capacityAdvice } from "./capacity-values.ts";
import { relaxationAdvice } from "./cheapest-relaxation.ts";
import { overrideCosts } from "./override-costs.ts";

/**
 * The advice on a solved plan (the entry point of src/advice/): what capacity is worth when it has
 * a plan, the cheapest relaxation when it is infeasible, and the value-vs-band frontier when asked.
 * It has its own time: `timeLimitMs` more (the plan's time limit again, by default), after which
 * it stops starting work and says `stoppedBy: "time-limit"`; every solve inside is clamped to it.
 */
export interface AdviceOptions {
  parts: readonly AdvicePart[];
  /** The options the plan was solved with. */
  solve: SolveOptions;
  /** The advice's own time. */
  timeLimitMs: number;
}

/** `?advice=true`: capacity on a solved plan, relaxation on an infeasible one (`overrides` and `frontier` are asked by name, or with `all`). */
export const DEFAULT_ADVICE_PARTS: readonly AdvicePart[] = ["capacity", "relaxation"];

export async function adviseOnSolution(plan: Plan, solution: Solution, options: AdviceOptions): Promise<Advice> {
  const deadline = performance.now() + options.timeLimitMs;
  const solve: SolveOptions = { ...options.solve, timeLimitMs: Math.min(options.timeLimitMs, options.solve.timeLimitMs ?? plan.policy?.timeLimitMs ?? options.timeLimitMs) };
  const advice: Advice = { stoppedBy: "complete" };
  let cut = false;
  const hasPlan = (solution.status === "optimal" || solution.status === "feasible") && solution.objective !== null;
  if (options.parts.includes("capacity") && hasPlan) {
    const found = await capacityAdvice(plan, solution, { deadline, solve });
    advice.capacity = found.advice;
    cut ||= found.cut;
  }
  if (options.parts.includes("relaxation") && solution.status === "infeasible") {
    const found = await relaxationAdvice(plan, { deadline, solve });
    advice.relaxation = found.advice;
    cut ||= found.cut;
  }
  if (options.parts.includes("overrides") && hasPlan && (plan.policy?.overrides?.length ?? 0) > 0) {
    const found = await overrideCosts(plan, solution, { deadline, solve });
    advice.overrides = found.costs;
    cut ||= found.cut;
  }
  if (options.parts.includes("frontier")) {
    const found = await bandFrontier(plan, { deadline, solve });
    advice.bandFrontier = found.points;
    cut ||= found.cut;
  }
  if (cut) advice.stoppedBy = "time-limit";
  return advice;
}
