/**
 * Solve the plan as a job: a live chart of the incumbent objective and the proven bound over time
 * (from the job's progress events), the phase and gap in words, and a cancel button. Outcomes
 * (infeasible, stopped by the clock, cancelled) come back as a Solution with a diagnosis.
 */
import { useRef, useState } from "preact/hooks";
import { problemText } from "./api-client.ts";
import { startJob, type RunningJob } from "./background-job.ts";
import type { JobProgress, Plan, Solution } from "./contract.ts";
import { LineChart } from "./line-chart.tsx";
import { formatNumber, formatPercent } from "./number-format.ts";

export interface SolvePanelProps {
  plan: Plan;
  /** The Solution, and performance.now() when it was parsed (the results view measures its render from there). */
  onSolved: (solution: Solution, receivedAt: number) => void;
}

interface Trace {
  elapsed: number[];
  objective: (number | null)[];
  bound: (number | null)[];
  updates: number;
  last: JobProgress | null;
}

const EMPTY: Trace = { elapsed: [], objective: [], bound: [], updates: 0, last: null };

export function SolvePanel(props: SolvePanelProps) {
  const [trace, setTrace] = useState<Trace>(EMPTY);
  const [running, setRunning] = useState<RunningJob<Solution> | null>(null);
  const [message, setMessage] = useState<string>("Not solved yet.");
  const [error, setError] = useState<string | null>(null);
  const [compare, setCompare] = useState(true);
  const cancelling = useRef(false);

  const solve = async () => {
    setError(null);
    setTrace(EMPTY);
    cancelling.current = false;
    setMessage("Submitting the job…");
    try {
      const job = await startJob<Solution>("solve", props.plan, compare ? { compare: "all" } : undefined, (progress) => {
        setTrace((t) => {
          const s = progress.solve;
          if (s === null) return { ...t, updates: t.updates + 1, last: progress };
          return { elapsed: [...t.elapsed, s.elapsedMs / 1000], objective: [...t.objective, s.objective], bound: [...t.bound, s.bound], updates: t.updates + 1, last: progress };
        });
      });
      setRunning(job);
      setMessage(`Job ${job.id} is running.`);
      const outcome = await job.done;
      setRunning(null);
      if (outcome.result === null) {
        setMessage(`The job ended ${outcome.job.state}${outcome.job.error === null ? "" : `: ${outcome.job.error.detail}`}.`);
        return;
      }
      const receivedAt = performance.now();
      const solution = outcome.result;
      setMessage(`Solved: ${solution.status}${solution.solver.stoppedBy === undefined ? "" : ` (stopped by ${solution.solver.stoppedBy})`}, objective ${formatNumber(solution.objective)}, gap ${formatPercent(solution.gap)}.`);
      props.onSolved(solution, receivedAt);
    } catch (e) {
      setRunning(null);
      setError(problemText(e));
      setMessage("The solve did not start.");
    }
  };

  const cancel = async () => {
    if (running === null || cancelling.current) return;
    cancelling.current = true;
    setMessage("Cancelling: the best verified plan found so far is kept.");
    try {
      await running.cancel();
    } catch (e) {
      setError(problemText(e));
    }
  };

  const last = trace.last?.solve ?? null;
  return (
    <section aria-labelledby="solve-heading">
      <h2 id="solve-heading">Solve</h2>
      <div class="row">
        <button type="button" class="primary" onClick={() => void solve()} disabled={running !== null}>
          Solve
        </button>
        <button type="button" onClick={() => void cancel()} disabled={running === null}>
          Cancel
        </button>
        <label>
          <input type="checkbox" checked={compare} onChange={(event) => setCompare(event.currentTarget.checked)} /> Compare with the classic methods
        </label>
      </div>
      <p aria-live="polite" data-testid="solve-status">
        {message}
      </p>
      {error !== null && (
        <p role="alert" class="error" data-testid="solve-error">
          {error}
        </p>
      )}
      <p data-testid="progress-count" data-updates={trace.updates}>
        {trace.updates} progress update{trace.updates === 1 ? "" : "s"}
        {last === null ? "" : ` — phase ${last.phase}, objective ${formatNumber(last.objective)}, bound ${formatNumber(last.bound)}, gap ${formatPercent(last.gap)}, ${formatNumber(last.elapsedMs)} ms`}
      </p>
      <LineChart
        summary={`Objective and bound over time: ${trace.elapsed.length} points${last === null ? "" : `, latest objective ${formatNumber(last.objective)}, bound ${formatNumber(last.bound)}`}.`}
        xLabel="seconds"
        x={trace.elapsed}
        series={[
          { label: "objective", colour: "#1d5fa8", values: trace.objective },
          { label: "bound", colour: "#b3261e", values: trace.bound, dash: [6, 4] },
        ]}
        points
      />
    </section>
  );
}
