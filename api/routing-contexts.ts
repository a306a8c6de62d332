/**
 * The routing context of the active plan, built once per plan version and kept in memory (versions
 * are immutable, so a context never goes stale; a newly activated plan gets its own). Only the few
 * most recent are kept.
 */
import { Plan } from "../models/index.ts";
import { buildRoutingContext, type RoutingContext } from "../src/routing/live-routing.ts";
import type { PlanStore } from "../src/storage/plan-store.ts";

export interface RoutingContexts {
  /** The context of a saved plan, or null when there is no such plan. */
  get(planId: string): Promise<RoutingContext | null>;
}

export function routingContexts(store: PlanStore, keep = 2): RoutingContexts {
  const cache = new Map<string, Promise<RoutingContext | null>>();
  const load = async (planId: string): Promise<RoutingContext | null> => {
    const json = await store.getPlanInput(planId);
    return json === null ? null : buildRoutingContext(planId, Plan.parse(JSON.parse(json)));
  };
  return {
    get(planId) {
      const hit = cache.get(planId);
      if (hit !== undefined) return hit;
      const loading = load(planId);
      cache.set(planId, loading);
      loading.then(
        (context) => {
          if (context === null) cache.delete(planId);
        },
        () => cache.delete(planId),
      );
      while (cache.size > keep) {
        const oldest = cache.keys().next().value;
        if (oldest === undefined) break;
        cache.delete(oldest);
      }
      return loading;
    },
  };
}
