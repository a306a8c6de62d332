import type { EvaluatedPair, EvaluationPicture, FieldError, Plan } from "../../models/index.ts";
import type { AssignmentEvaluator } from "./assignment-evaluator.ts";
import { loadAssignment, pictureOf } from "./evaluate-assignment.ts";
import type { SolvedAssignment } from "./value-given-up.ts";

/**
 * A plan loaded with a base assignment (e.g. a solve's plan), kept so that evaluating the
 * planner's few changes over it costs the changes, not the book. `source[c]` is the base index
 * that decided customer c, or -1 (it sits at its currentRep).
 */
export interface LoadedBase {
  plan: Plan;
  evaluator: AssignmentEvaluator;
  source: Int32Array;
}

export type LoadedBaseResult = { ok: true; base: LoadedBase } | { ok: false; errors: FieldError[] };

/** The plan with `base` applied over its currentReps; unknown ids or a customer twice are errors at `base[i]…`. */
export function loadBase(plan: Plan, base: readonly EvaluatedPair[]): LoadedBaseResult {
  const loaded = loadAssignment(plan, base, "base");
  return loaded.ok ? { ok: true, base: { plan, evaluator: loaded.evaluator, source: loaded.source } } : loaded;
}

export type ChangesResult = { ok: true; evaluation: EvaluationPicture } | { ok: false; errors: FieldError[] };

/**
 * The picture of `base` with `changes` applied (each customer at most once; a customer not named
 * keeps its base rep). The evaluator is put back exactly as it was before this returns (its float
 * sums too), so a cached base serves any number of requests and the same changes always give the
 * same bytes: the work is O(changes) moves, O(reps) to read the loads and
 * O(broken) to list what breaks (plus O(customers) when compared with an optimum). Paths: a changed
 * customer's decision is `assignment[i]`, a base one's `base[j]`, any other's
 * `customers[k].currentRep`.
 */
export function evaluateChanges(base: LoadedBase, changes: readonly EvaluatedPair[], optimum?: SolvedAssignment): ChangesResult {
  const { evaluator, source } = base;
  const errors: FieldError[] = [];
  const moves: { c: number; r: number; i: number }[] = [];
  const named = new Map<number, number>();
  changes.forEach((pair, i) => {
    const c = evaluator.indexOfCustomer(pair.customer);
    const r = pair.rep === null ? -1 : evaluator.indexOfRep(pair.rep);
    if (c === undefined) errors.push({ path: `assignment[${i}].customer`, message: `no customer "${pair.customer}" in the plan` });
    if (r === undefined) errors.push({ path: `assignment[${i}].rep`, message: `no rep "${pair.rep ?? ""}" in the plan` });
    if (c === undefined || r === undefined) return;
    const first = named.get(c);
    if (first !== undefined) {
      errors.push({ path: `assignment[${i}].customer`, message: `customer "${pair.customer}" is already named at assignment[${first}]` });
      return;
    }
    named.set(c, i);
    moves.push({ c, r, i });
  });
  if (errors.length > 0) return { ok: false, errors };
  const previous = moves.map(({ c }) => evaluator.repIndexOf(c));
  const sums = evaluator.sums();
  try {
    for (const { c, r } of moves) evaluator.assign(c, r);
    const evaluation = pictureOf(
      evaluator,
      (c) => {
        const i = named.get(c);
        if (i !== undefined) return `assignment[${i}]`;
        const j = source[c] ?? -1;
        return j >= 0 ? `base[${j}]` : `customers[${c}].currentRep`;
      },
      optimum,
    );
    return { ok: true, evaluation };
  } finally {
    for (let k = moves.length - 1; k >= 0; k--) evaluator.assign(moves[k]?.c ?? 0, previous[k] ?? -1);
    evaluator.restoreSums(sums);
  }
}
