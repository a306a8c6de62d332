/**
 * How much memory one solve of a plan needs at its peak, estimated from its counts before any
 * work (the same pair estimate the limits use), so that the service can refuse or hold back a solve
 * it could not fit instead of letting WebAssembly memory grow until the process dies.
 *
 * Measured with `npm run bench:memory` (bench/memory-footprint.ts: each book solved in a fresh
 * process, peak RSS against the same process without the solve; 2026-11-30, Node 20):
 *
 * | book | path | eligible pairs | the solve adds |
 * |---|---|---|---|
 * | 1,000 × 20 | whole MIP (HiGHS) | 6,382 | 129 MiB |
 * | 5,000 × 100 | whole MIP (HiGHS) | 141,235 | 214 MiB |
 * | 10,000 × 200 | structured | 274,267 | 53 MiB |
 * | 20,000 × 400 | structured | 537,796 | 91 MiB |
 * | 50,000 × 500 | structured | 1,376,041 | 154 MiB |
 * | 100,000 × 1,000 | structured | 2,733,318 | 482 MiB |
 *
 * The coefficients below lie above every measurement (the whole MIP's branch-and-bound tree grows
 * with the search, so its per-pair figure is taken with a margin), plus the plan's own copy in the
 * worker thread (about 650 bytes a customer, read off the same runs).
 */
import type { Plan } from "../../models/index.ts";
import { LEGACY_MAX_COLUMNS } from "../structured/algorithm-choice.ts";
import { estimatePairCount } from "./plan-statistics.ts";

const MIB = 2 ** 20;

export const MEMORY_MODEL = {
  mip: { fixedBytes: 128 * MIB, bytesPerPair: 1024 },
  structured: { fixedBytes: 48 * MIB, bytesPerPair: 170 },
  bytesPerCustomer: 700,
} as const;

export interface MemoryEstimate {
  /** Peak bytes of the solve, beyond the process's own baseline. */
  bytes: number;
  path: "mip" | "structured";
  pairs: number;
}

/** The estimate for a validated plan (the whole MIP for small plans or an explicit solver, as solvePlan chooses). */
export function estimateSolveMemory(plan: Plan): MemoryEstimate {
  const pairs = estimatePairCount(plan);
  const solver = plan.policy?.solver ?? "auto";
  const path = solver !== "auto" || pairs <= LEGACY_MAX_COLUMNS ? "mip" : "structured";
  const model = MEMORY_MODEL[path];
  return { bytes: model.fixedBytes + model.bytesPerPair * pairs + MEMORY_MODEL.bytesPerCustomer * plan.customers.length, path, pairs };
}
