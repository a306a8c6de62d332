/**
 * From a parsed JSON body to a validated Plan, refusing plans over the server's limits: counts
 * first (before the zod parse), then the contract (every problem with its path), then the
 * eligible-pair estimate (before any pair is built).
 */
import type { FieldError, Plan } from "../models/index.ts";
import { isRecord } from "../src/numeric/is-record.ts";
import { parsePlan } from "../src/plan/parse-plan.ts";
import { estimatePairCount } from "../src/solve/plan-statistics.ts";
import type { ServiceConfig } from "./config.ts";

export type PlanInput =
  | { ok: true; plan: Plan }
  | { ok: false; kind: "invalid-plan" | "plan-too-large"; detail: string; errors: FieldError[] };

type Limits = ServiceConfig["limits"];

const tooLarge = (errors: FieldError[]): PlanInput => ({
  ok: false,
  kind: "plan-too-large",
  detail: `The plan exceeds ${errors.length === 1 ? "a limit" : "limits"} of this server: ${errors.map((e) => e.message).join("; ")}.`,
  errors,
});

/** Count limits read from the raw document, so an oversized plan costs no validation work. */
function countProblems(body: unknown, limits: Limits): FieldError[] {
  if (!isRecord(body)) return [];
  const out: FieldError[] = [];
  const check = (field: string, max: number, noun: string) => {
    const list = body[field];
    if (Array.isArray(list) && list.length > max) out.push({ path: field, message: `${list.length} ${noun}, more than the ${max} this server accepts` });
  };
  check("customers", limits.maxCustomers, "customers");
  check("reps", limits.maxReps, "reps");
  check("pairs", limits.maxPairs, "pairs");
  return out;
}

export function readPlan(body: unknown, limits: Limits): PlanInput {
  const counts = countProblems(body, limits);
  if (counts.length > 0) return tooLarge(counts);

  const parsed = parsePlan(body);
  if (!parsed.ok) {
    const n = parsed.errors.length;
    return { ok: false, kind: "invalid-plan", detail: `The plan has ${n} problem${n === 1 ? "" : "s"}; see errors.`, errors: parsed.errors };
  }

  const pairs = estimatePairCount(parsed.plan);
  if (pairs > limits.maxPairs) {
    return tooLarge([
      {
        path: parsed.plan.pairs === undefined ? "" : "pairs",
        message: `up to ${pairs} eligible (customer, rep) pairs, more than the ${limits.maxPairs} this server accepts (use hard territories or list the pairs)`,
      },
    ]);
  }
  return { ok: true, plan: parsed.plan };
}
