/**
 * A read of "the active plan" that first carries out the scheduled activations that are due
 * (plan-control-store.ts): every store wraps its `activePlan`, `route`, `rollBack` and
 * `recordOutcomes` with it, so the version they see is the one active at the moment of the call.
 */
import type { PlanControlStore } from "./plan-control-store.ts";

export function promotingFirst<A extends unknown[], R>(schedules: Pick<PlanControlStore, "promoteDueActivations">, read: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    await schedules.promoteDueActivations();
    return read(...args);
  };
}
