/**
 * The planner's changes to a solve and what they do, from POST /v1/evaluate: the objective with
 * them, what they give up against the solve (the optimum when it is proven optimal), every
 * constraint they break with the customers and reps involved; undo, and re-optimise around them.
 */
import type { Evaluation, Solution } from "./contract.ts";
import { formatNumber } from "./number-format.ts";

/** One change the planner made, in order (undo takes the last back). */
export interface Edit {
  customer: string;
  rep: string;
  /** The rep the customer had just before this edit (null: unassigned). */
  from: string | null;
}

export interface PlannerChangesProps {
  solution: Solution;
  edits: readonly Edit[];
  /** The changes in force: customer → rep (differs from the solve's). */
  changed: ReadonlyMap<string, string>;
  /** The evaluation of exactly `changed`, or null while it is on its way (or without changes). */
  evaluation: Evaluation | null;
  error: string | null;
  busy: boolean;
  status: string;
  onUndo: () => void;
  onUndoAll: () => void;
  onReoptimise: () => void;
}

export function PlannerChanges(props: PlannerChangesProps) {
  const { solution, evaluation } = props;
  const last = props.edits[props.edits.length - 1];
  const givenUp = evaluation === null || solution.objective === null ? null : solution.objective - evaluation.objective;
  const atMost = evaluation === null || solution.bound === null ? null : solution.bound - evaluation.objective;
  const count = props.changed.size;
  return (
    <section aria-labelledby="changes-heading" class="planner-changes" data-testid="planner-changes" data-changes={count} data-evaluated={evaluation === null ? "no" : "yes"}>
      <h3 id="changes-heading">Your changes</h3>
      <p aria-live="polite" data-testid="changes-summary">
        {count === 0
          ? "No changes by hand: the figures are the solve's."
          : evaluation === null
            ? `${count} change${count === 1 ? "" : "s"} by hand; evaluating…`
            : `${count} change${count === 1 ? "" : "s"} by hand: objective ${formatNumber(evaluation.objective)}, ${formatNumber(givenUp)} given up against the solve; ${evaluation.feasible ? "breaks no constraint" : `breaks ${evaluation.broken.length} constraint${evaluation.broken.length === 1 ? "" : "s"}`}.`}
      </p>
      {count > 0 && evaluation !== null && (
        <dl class="figures">
          <div>
            <dt>Objective with your changes</dt>
            <dd data-testid="changed-objective">{formatNumber(evaluation.objective)}</dd>
          </div>
          <div>
            <dt>Cost against the {solution.status === "optimal" ? "optimum" : "solve"}</dt>
            <dd data-testid="change-cost">{formatNumber(givenUp)}</dd>
          </div>
          <div>
            <dt>Most it can cost (against the bound)</dt>
            <dd>{formatNumber(atMost)}</dd>
          </div>
          <div>
            <dt>Moves</dt>
            <dd>{evaluation.moves}</dd>
          </div>
        </dl>
      )}
      {count > 0 && evaluation !== null && evaluation.broken.length > 0 && (
        <div role="region" aria-label="Constraints your changes break" class="diagnosis">
          <h4>Constraints broken</h4>
          <ul data-testid="broken-list">
            {evaluation.broken.map((b, index) => (
              <li key={index}>
                <strong>{b.kind}</strong>: {b.message}
                {b.customers.length > 0 && ` — customers ${b.customers.slice(0, 10).join(", ")}${b.customers.length > 10 ? "…" : ""}`}
                {b.reps.length > 0 && ` — reps ${b.reps.join(", ")}`}
              </li>
            ))}
          </ul>
        </div>
      )}
      {props.error !== null && (
        <p role="alert" class="error" data-testid="changes-error">
          {props.error}
        </p>
      )}
      {count > 0 && (
        <ul data-testid="changes-list">
          {[...props.changed].map(([customer, rep]) => (
            <li key={customer}>
              {customer} → {rep}
            </li>
          ))}
        </ul>
      )}
      <div class="row">
        <button type="button" onClick={props.onUndo} disabled={last === undefined || props.busy}>
          {last === undefined ? "Undo" : `Undo: ${last.customer} to ${last.rep}`}
        </button>
        <button type="button" onClick={props.onUndoAll} disabled={props.edits.length === 0 || props.busy}>
          Undo all
        </button>
        <button type="button" class="primary" onClick={props.onReoptimise} disabled={count === 0 || props.busy}>
          Re-optimise around my changes
        </button>
      </div>
      {props.status !== "" && (
        <p aria-live="polite" data-testid="reoptimise-status">
          {props.status}
        </p>
      )}
    </section>
  );
}
