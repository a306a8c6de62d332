/** The planner's overrides in a solve and what each costs (`?advice=overrides`: a re-solve without it). */
import type { OverrideCost } from "./contract.ts";
import { formatNumber } from "./number-format.ts";

export function OverrideCosts(props: { costs: readonly OverrideCost[]; stoppedBy: string | undefined }) {
  return (
    <div>
      <table data-testid="override-costs">
        <caption>Each override's cost: the objective of the plan solved again without it, less this plan's.</caption>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Rep</th>
            <th scope="col">Kind</th>
            <th scope="col">Cost</th>
            <th scope="col">Proven between</th>
            <th scope="col">Re-solve</th>
            <th scope="col">By, why</th>
          </tr>
        </thead>
        <tbody>
          {props.costs.map((o) => (
            <tr key={o.customer} data-customer={o.customer}>
              <th scope="row">{o.customer}</th>
              <td>{o.rep}</td>
              <td>{o.kind}</td>
              <td data-col="cost">{formatNumber(o.cost)}</td>
              <td>
                {formatNumber(o.costAtLeast)} and {formatNumber(o.costAtMost)}
              </td>
              <td>{o.status ?? "not reached"}</td>
              <td>
                {o.by}: {o.reason}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.stoppedBy === "time-limit" && <p class="hint">The advice stopped ({props.stoppedBy}): the overrides not reached have no cost.</p>}
    </div>
  );
}
