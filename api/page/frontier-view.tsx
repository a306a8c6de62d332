/**
 * Trade-offs: the best objective for each move budget (POST /v1/reassign with frontier, as a job),
 * as a chart and a table. Picking a point (a click on the chart, or its button) sets the plan's
 * move budget.
 */
import { useState } from "preact/hooks";
import { problemText } from "./api-client.ts";
import { startJob } from "./background-job.ts";
import type { FrontierPoint, Plan, ReassignResult } from "./contract.ts";
import { LineChart } from "./line-chart.tsx";
import { formatNumber } from "./number-format.ts";

export interface FrontierViewProps {
  plan: Plan;
  onPickBudget: (maxMoves: number | undefined) => void;
}

/** The x of a point: its budget, or for the unconstrained point the moves its plan makes. */
function budgetAxis(points: readonly FrontierPoint[]): number[] {
  let last = 0;
  return points.map((p) => {
    last = p.maxMoves ?? Math.max(last + 1, p.chosenMoves ?? last + 1);
    return last;
  });
}

export function FrontierView(props: FrontierViewProps) {
  const [points, setPoints] = useState<FrontierPoint[] | null>(null);
  const [status, setStatus] = useState("Not computed yet.");
  const [busy, setBusy] = useState(false);

  const compute = async () => {
    setBusy(true);
    setStatus("Solving one plan per move budget…");
    try {
      const job = await startJob<ReassignResult>("reassign", { plan: props.plan, frontier: true }, undefined, (progress) =>
        setStatus(`Solving one plan per move budget: ${progress.solvesDone} of ${progress.solvesTotal} done…`),
      );
      const outcome = await job.done;
      const frontier = outcome.result?.frontier ?? null;
      setPoints(frontier);
      setStatus(frontier === null ? `The job ended ${outcome.job.state} without a frontier.` : `${frontier.length} budgets solved.`);
    } catch (e) {
      setStatus(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  const pick = (point: FrontierPoint | undefined) => {
    // A budget without a plan (infeasible: too few moves for what must move) is not offered.
    if (point === undefined || point.objective === null) return;
    props.onPickBudget(point.maxMoves ?? undefined);
    setStatus(`Move budget set to ${point.maxMoves ?? "unconstrained"}.`);
  };

  const x = points === null ? [] : budgetAxis(points);
  return (
    <section aria-labelledby="frontier-heading">
      <h2 id="frontier-heading">Trade-offs: value against moves</h2>
      <button type="button" onClick={() => void compute()} disabled={busy}>
        Compute the frontier
      </button>
      <p aria-live="polite">{status}</p>
      {points !== null && (
        <>
          <LineChart
            summary={`Best objective for ${points.length} move budgets, from ${formatNumber(points[0]?.objective)} to ${formatNumber(points[points.length - 1]?.objective)}. Click a point to use its budget.`}
            xLabel="move budget"
            x={x}
            series={[{ label: "objective", colour: "#1d5fa8", values: points.map((p) => p.objective) }]}
            onPick={(index) => pick(points[index])}
            points
          />
          <table>
            <caption>The frontier: pick a budget</caption>
            <thead>
              <tr>
                <th scope="col">Move budget</th>
                <th scope="col">Status</th>
                <th scope="col">Objective</th>
                <th scope="col">Gain per move</th>
                <th scope="col">Chosen moves</th>
                <th scope="col">Use</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p, index) => (
                <tr key={index}>
                  <th scope="row">{p.maxMoves ?? "unconstrained"}</th>
                  <td>{p.status}</td>
                  <td>{formatNumber(p.objective)}</td>
                  <td>{formatNumber(p.gainPerMove)}</td>
                  <td>{p.chosenMoves ?? "—"}</td>
                  <td>
                    <button type="button" disabled={p.objective === null} onClick={() => pick(p)}>
                      Use budget {p.maxMoves ?? "unconstrained"}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
