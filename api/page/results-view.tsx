/**
 * The results of a solve: the figures and their proof (bound, gap, verification), the reps table,
 * each rep's value against its band, the planner's changes by hand (pick a rep or drag an account
 * onto a rep: loads, bands and cost from POST /v1/evaluate at once; undo; re-optimise around them),
 * the moves with explanations and their review, the customers' scatter and the uplift over the
 * classic methods. Records how long it took from the parsed result to the first painted frame in
 * `data-render-ms` (the browser test reports it).
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { AccountsEditor } from "./accounts-editor.tsx";
import { problemText } from "./api-client.ts";
import { startJob } from "./background-job.ts";
import { BandChart } from "./band-chart.tsx";
import type { Evaluation, Override, Plan, Solution } from "./contract.ts";
import { CustomerScatter } from "./customer-scatter.tsx";
import { EvaluateSession } from "./evaluate-session.ts";
import { MovesList } from "./moves-list.tsx";
import { formatNumber, formatPercent } from "./number-format.ts";
import { OverrideCosts } from "./override-costs.tsx";
import { PlannerChanges, type Edit } from "./planner-changes.tsx";
import { repLoads } from "./rep-load.ts";
import { RepsTable } from "./reps-table.tsx";
import { ReviewPanel } from "./review-panel.tsx";
import { UpliftTable } from "./uplift-table.tsx";

export interface ResultsViewProps {
  plan: Plan;
  solution: Solution;
  receivedAt: number;
  /** A re-optimisation around the planner's changes: the plan with them as overrides, and its solution. */
  onReoptimised?: (plan: Plan, solution: Solution, receivedAt: number) => void;
}

/** The changes in force after `edits`: customer → rep, without those back at the solve's rep. */
function changesOf(edits: readonly Edit[], solved: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of edits) {
    if (solved.get(e.customer) === e.rep) out.delete(e.customer);
    else out.set(e.customer, e.rep);
  }
  return out;
}

/** The plan with the changes as overrides (replacing earlier overrides of the same customers). */
function withOverrides(plan: Plan, changed: ReadonlyMap<string, string>): Plan {
  const policy = plan.policy ?? {};
  const kept = (policy.overrides ?? []).filter((o) => !changed.has(o.customer));
  const added: Override[] = [...changed].map(([customer, rep]) => ({ customer, rep, by: "workspace", reason: "moved by hand in the workspace" }));
  return { ...plan, policy: { ...policy, overrides: [...kept, ...added] } };
}

export function ResultsView(props: ResultsViewProps) {
  const section = useRef<HTMLElement>(null);
  const { solution } = props;
  const m = solution.metrics;
  const solved = useMemo(() => new Map(solution.assignments.map((a) => [a.customer, a.rep])), [solution]);
  const session = useMemo(() => new EvaluateSession(props.plan, solution), [props.plan, solution]);
  const [edits, setEdits] = useState<Edit[]>([]);
  const changed = useMemo(() => changesOf(edits, solved), [edits, solved]);
  const [evaluation, setEvaluation] = useState<Evaluation | null>(null);
  const [evaluateError, setEvaluateError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reoptimiseStatus, setReoptimiseStatus] = useState("");
  const asked = useRef(0);

  // Each change is evaluated at once; only the answer to the latest one is shown.
  useEffect(() => {
    const ask = ++asked.current;
    setEvaluation(null);
    setEvaluateError(null);
    if (changed.size === 0) return;
    session.evaluate([...changed].map(([customer, rep]) => ({ customer, rep }))).then(
      (answer) => {
        if (ask === asked.current) setEvaluation(answer);
      },
      (error: unknown) => {
        if (ask === asked.current) setEvaluateError(problemText(error));
      },
    );
  }, [changed, session]);

  const pick = (customer: string, rep: string) => {
    if (!props.plan.customers.some((c) => c.id === customer)) return; // e.g. text dropped from elsewhere
    const from = changed.get(customer) ?? solved.get(customer) ?? null;
    if (from === rep) return;
    setEdits((list) => [...list, { customer, rep, from }]);
  };
  const undo = () => setEdits((list) => list.slice(0, -1));
  const undoAll = () => setEdits([]);
  const reoptimise = async () => {
    const plan = withOverrides(props.plan, changed);
    setBusy(true);
    setReoptimiseStatus("Re-optimising around your changes…");
    try {
      const job = await startJob<Solution>("solve", plan, { advice: "overrides" }, () => undefined);
      setReoptimiseStatus(`Job ${job.id}: re-optimising around your ${changed.size} change${changed.size === 1 ? "" : "s"}, then pricing each…`);
      const outcome = await job.done;
      if (outcome.result === null) {
        setReoptimiseStatus(`The job ended ${outcome.job.state}${outcome.job.error === null ? "" : `: ${outcome.job.error.detail}`}.`);
        return;
      }
      setReoptimiseStatus("");
      props.onReoptimised?.(plan, outcome.result, performance.now());
    } catch (e) {
      setReoptimiseStatus(problemText(e));
    } finally {
      setBusy(false);
    }
  };
  const shownReps = repLoads(solution.reps, changed.size === 0 ? null : evaluation);

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
      {solution.advice?.overrides !== undefined && solution.advice.overrides.length > 0 && (
        <>
          <h3>Your overrides and what they cost</h3>
          <OverrideCosts costs={solution.advice.overrides} stoppedBy={solution.advice.stoppedBy} />
        </>
      )}
      <h3>Reps{changed.size > 0 && evaluation !== null ? " (with your changes)" : ""}</h3>
      <RepsTable plan={props.plan} reps={shownReps} onDropCustomer={pick} />
      <h3>Accounts</h3>
      <AccountsEditor plan={props.plan} solved={solved} changed={changed} onPick={pick} />
      <PlannerChanges
        solution={solution}
        edits={edits}
        changed={changed}
        evaluation={changed.size === 0 ? null : evaluation}
        error={evaluateError}
        busy={busy}
        status={reoptimiseStatus}
        onUndo={undo}
        onUndoAll={undoAll}
        onReoptimise={() => void reoptimise()}
      />
      <h3>Value against the fairness band</h3>
      <BandChart plan={props.plan} reps={shownReps} />
      <h3>Moves</h3>
      <MovesList plan={props.plan} solution={solution} />
      <ReviewPanel plan={props.plan} />
      <h3>Customers</h3>
      <CustomerScatter plan={props.plan} solution={solution} />
      <h3>Uplift over the classic methods</h3>
      <UpliftTable comparison={solution.comparison} />
    </section>
  );
}
