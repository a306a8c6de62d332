/**
 * The results of a solve: the figures and their proof (bound, gap, verification), the reps table,
 * each rep's value against its band, the moves with explanations, the customers' scatter and the
 * uplift over the classic methods. Records how long it took from the parsed result to the first
 * painted frame in `data-render-ms` (the browser test reports it).
 */
import { useEffect, useRef } from "preact/hooks";
import { BandChart } from "./band-chart.tsx";
import type { Plan, Solution } from "./contract.ts";
import { CustomerScatter } from "./customer-scatter.tsx";
import { MovesList } from "./moves-list.tsx";
import { formatNumber, formatPercent } from "./number-format.ts";
import { RepsTable } from "./reps-table.tsx";
import { UpliftTable } from "./uplift-table.tsx";

export interface ResultsViewProps {
  plan: Plan;
  solution: Solution;
  receivedAt: number;
}

export function ResultsView(props: ResultsViewProps) {
  const section = useRef<HTMLElement>(null);
  const { solution } = props;
  const m = solution.metrics;

  useEffect(() => {
    const start = props.receivedAt;
    requestAnimationFrame(() => {
      // The frame after the commit is painted when the next one starts.
      requestAnimationFrame(() => section.current?.setAttribute("data-render-ms", (performance.now() - start).toFixed(1)));
    });
  }, [props.solution, props.receivedAt]);

  return (
    <section aria-labelledby="results-heading" ref={section} data-testid="results">
      <h2 id="results-heading">Results</h2>
      <dl class="figures">
        <div>
          <dt>Status</dt>
          <dd data-testid="result-status">
            {solution.status}
            {solution.solver.stoppedBy === undefined ? "" : ` (${solution.solver.stoppedBy})`}
          </dd>
        </div>
        <div>
          <dt>Objective</dt>
          <dd data-testid="result-objective">{formatNumber(solution.objective)}</dd>
        </div>
        <div>
          <dt>Proven bound</dt>
          <dd>{formatNumber(solution.bound)}</dd>
        </div>
        <div>
          <dt>Gap</dt>
          <dd>{formatPercent(solution.gap)}</dd>
        </div>
        <div>
          <dt>Assigned</dt>
          <dd>
            {m.assigned} of {m.assigned + m.unassigned}
          </dd>
        </div>
        <div>
          <dt>Moves</dt>
          <dd>{m.moves}</dd>
        </div>
        <div>
          <dt>Value Gini</dt>
          <dd>{formatNumber(m.valueGini)}</dd>
        </div>
        <div>
          <dt>Verified</dt>
          <dd>{solution.verification.state}</dd>
        </div>
      </dl>
      {solution.diagnosis !== undefined && (
        <div role="status" class="diagnosis">
          <h3>Diagnosis</h3>
          <p>{solution.diagnosis.summary}</p>
          <ul>
            {solution.diagnosis.causes.map((cause, index) => (
              <li key={index}>
                {cause.kind}: {cause.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <h3>Reps</h3>
      <RepsTable plan={props.plan} solution={solution} />
      <h3>Value against the fairness band</h3>
      <BandChart plan={props.plan} solution={solution} />
      <h3>Moves</h3>
      <MovesList plan={props.plan} solution={solution} />
      <h3>Customers</h3>
      <CustomerScatter plan={props.plan} solution={solution} />
      <h3>Uplift over the classic methods</h3>
      <UpliftTable comparison={solution.comparison} />
    </section>
  );
}
