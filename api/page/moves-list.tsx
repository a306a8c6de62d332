/**
 * The moves of a solution (customers whose rep differs from their current rep), virtualised, and
 * the explanation of the one picked: score components, the runner-up rep and the value lost, and
 * what kept a better-scoring rep away.
 */
import { useState } from "preact/hooks";
import type { Assignment, Plan, Solution } from "./contract.ts";
import { formatNumber } from "./number-format.ts";
import { WindowedTable } from "./windowed-table.tsx";

function reasonOf(assignment: Assignment): string {
  if (assignment.locked) return "locked to this rep";
  const better = assignment.explanation.betterRep;
  if (better !== null) return `best allowed; ${better.rep} scores higher but is kept away by ${better.keptBy.join(", ")}`;
  const runnerUp = assignment.explanation.runnerUp;
  if (runnerUp !== null) return `best rep; ${formatNumber(runnerUp.valueLost)} more than ${runnerUp.rep}`;
  return "the only eligible rep";
}

function Explanation(props: { assignment: Assignment; from: string | undefined }) {
  const a = props.assignment;
  const c = a.components;
  const runnerUp = a.explanation.runnerUp;
  const better = a.explanation.betterRep;
  return (
    <div id="move-explanation" class="explanation" role="region" aria-label={`Why ${a.customer} went to ${a.rep}`} tabIndex={-1} data-testid="move-explanation">
      <h4>
        Why {a.customer} went to {a.rep}
        {props.from === undefined ? "" : ` (from ${props.from})`}
      </h4>
      <ul>
        <li>
          Expected value with {a.rep}: {formatNumber(a.expectedValue)} (value {formatNumber(c.value)}, conversion {c.conversion === null ? "—" : formatNumber(c.conversion)}, fit {c.fit === null ? "—" : formatNumber(c.fit)}
          {c.distanceKm === null ? "" : `, ${formatNumber(c.distanceKm)} km`}, travel cost {formatNumber(c.travelCost)}, penalties {formatNumber(c.penalty)}).
        </li>
        <li data-testid="runner-up">
          {runnerUp === null
            ? "No other rep may take this customer."
            : `Runner-up: ${runnerUp.rep} at ${formatNumber(runnerUp.expectedValue)}; choosing it would lose ${formatNumber(runnerUp.valueLost)}${runnerUp.keptBy.length === 0 ? "" : ` (kept away by ${runnerUp.keptBy.join(", ")})`}.`}
        </li>
        <li>{better === null ? "No rep scores higher." : `${better.rep} would score ${formatNumber(better.expectedValue)} but is kept away by ${better.keptBy.join(", ")}.`}</li>
      </ul>
    </div>
  );
}

export function MovesList(props: { plan: Plan; solution: Solution }) {
  const current = new Map(props.plan.customers.map((customer) => [customer.id, customer.currentRep]));
  const moves = props.solution.assignments.filter((a) => a.moved);
  const [picked, setPicked] = useState<string | null>(null);
  const chosen = picked === null ? undefined : moves.find((a) => a.customer === picked);

  return (
    <div>
      <p>
        {moves.length} move{moves.length === 1 ? "" : "s"} ({props.solution.metrics.forcedMoves} forced).
      </p>
      {moves.length > 0 && (
        <WindowedTable
          label="Moves"
          testId="moves-table"
          columns={6}
          rowCount={moves.length}
          rowHeight={30}
          height={300}
          rowKey={(index) => moves[index]?.customer ?? String(index)}
          header={
            <>
              <th scope="col">Customer</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Expected value</th>
              <th scope="col">Reason</th>
              <th scope="col">Explanation</th>
            </>
          }
          row={(index) => {
            const a = moves[index];
            if (a === undefined) return null;
            const open = picked === a.customer;
            return (
              <>
                <th scope="row">{a.customer}</th>
                <td>{current.get(a.customer) ?? "—"}</td>
                <td>{a.rep}</td>
                <td>{formatNumber(a.expectedValue)}</td>
                <td class="reason">{reasonOf(a)}</td>
                <td>
                  <button type="button" aria-expanded={open} aria-controls="move-explanation" onClick={() => setPicked(open ? null : a.customer)}>
                    {open ? "Hide" : "Why?"}
                    <span class="visually-hidden"> {a.customer}</span>
                  </button>
                </td>
              </>
            );
          }}
        />
      )}
      {chosen !== undefined && <Explanation assignment={chosen} from={current.get(chosen.customer)} />}
    </div>
  );
}
