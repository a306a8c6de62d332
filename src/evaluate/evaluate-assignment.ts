import type { EvaluatedPair, EvaluationPicture, FieldError, OptimumComparison, Plan } from "../../models/index.ts";
import { AssignmentEvaluator } from "./assignment-evaluator.ts";
import { compareWithOptimum, type SolvedAssignment } from "./value-given-up.ts";

export type LoadedAssignment = { ok: true; evaluator: AssignmentEvaluator; source: Int32Array } | { ok: false; errors: FieldError[] };

/**
 * The plan with the given assignment applied over the book as it is: a customer the assignment
 * does not name keeps its currentRep (unassigned without one, or when that rep is not in the plan).
 * Unknown ids and a customer named twice are field errors (`assignment[i].customer`, `.rep`).
 * `source[c]` is the assignment index that decided customer c, or -1.
 */
export function loadAssignment(plan: Plan, assignment: readonly EvaluatedPair[], fieldPrefix = "assignment"): LoadedAssignment {
  const evaluator = new AssignmentEvaluator(plan);
  const n = evaluator.customerCount();
  const source = new Int32Array(n).fill(-1);
  const errors: FieldError[] = [];
  const target = new Int32Array(n);
  for (let c = 0; c < n; c++) target[c] = evaluator.currentRepOf(c);
  assignment.forEach((pair, i) => {
    const c = evaluator.indexOfCustomer(pair.customer);
    const r = pair.rep === null ? -1 : evaluator.indexOfRep(pair.rep);
    if (c === undefined) errors.push({ path: `${fieldPrefix}[${i}].customer`, message: `no customer "${pair.customer}" in the plan` });
    if (r === undefined) errors.push({ path: `${fieldPrefix}[${i}].rep`, message: `no rep "${pair.rep ?? ""}" in the plan` });
    if (c === undefined || r === undefined) return;
    const first = source[c] ?? -1;
    if (first >= 0) {
      errors.push({ path: `${fieldPrefix}[${i}].customer`, message: `customer "${pair.customer}" is already named at ${fieldPrefix}[${first}]` });
      return;
    }
    source[c] = i;
    target[c] = r;
  });
  if (errors.length > 0) return { ok: false, errors };
  for (let c = 0; c < n; c++) evaluator.assign(c, target[c] ?? -1);
  return { ok: true, evaluator, source };
}

/** The picture of a loaded assignment; with a solved assignment of the same plan, the comparison with it. */
export function evaluationOf(loaded: { evaluator: AssignmentEvaluator; source: Int32Array }, optimum?: SolvedAssignment, fieldPrefix = "assignment"): EvaluationPicture {
  const { evaluator, source } = loaded;
  return pictureOf(
    evaluator,
    (c) => {
      const i = source[c] ?? -1;
      return i >= 0 ? `${fieldPrefix}[${i}]` : `customers[${c}].currentRep`;
    },
    optimum,
  );
}

/** The picture of the assignment `evaluator` holds; `pathOf(c)` names where customer c's decision came from. */
export function pictureOf(evaluator: AssignmentEvaluator, pathOf: (c: number) => string, optimum?: SolvedAssignment): EvaluationPicture {
  const totals = evaluator.totals();
  const comparison: OptimumComparison | null = optimum === undefined ? null : compareWithOptimum(evaluator, optimum);
  return {
    feasible: totals.feasible,
    objective: totals.objective,
    expectedValue: totals.expectedValue,
    fairnessPenalty: totals.fairnessPenalty,
    assigned: totals.assigned,
    unassigned: evaluator.customerCount() - totals.assigned,
    moves: totals.moves,
    voluntaryMoves: totals.voluntaryMoves,
    reps: evaluator.repPictures(),
    broken: evaluator.broken(pathOf),
    optimum: comparison,
  };
}
