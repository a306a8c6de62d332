/** The uplift of the optimised plan over the classic CRM methods (round robin, least loaded, value tiers, first match). */
import type { BaselineComparison } from "./contract.ts";
import { formatNumber } from "./number-format.ts";

export function UpliftTable(props: { comparison: BaselineComparison | undefined }) {
  const comparison = props.comparison;
  if (comparison === undefined) return <p>Solve with "Compare with the classic methods" to see the uplift.</p>;
  return (
    <table data-testid="uplift-table">
      <caption>Allot's objective {formatNumber(comparison.optimizer)} against the classic methods on the same plan</caption>
      <thead>
        <tr>
          <th scope="col">Method</th>
          <th scope="col">Expected value</th>
          <th scope="col">Uplift</th>
          <th scope="col">Uplift %</th>
          <th scope="col">Moves</th>
          <th scope="col">Constraint breaks</th>
        </tr>
      </thead>
      <tbody>
        {comparison.baselines.map((b) => (
          <tr key={b.method}>
            <th scope="row">{b.method}</th>
            <td>{formatNumber(b.expectedValue)}</td>
            <td>{formatNumber(b.uplift)}</td>
            <td>{b.upliftPercent === null ? "—" : `${formatNumber(b.upliftPercent)}%`}</td>
            <td>{b.moves}</td>
            <td>{b.breaks.total}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
