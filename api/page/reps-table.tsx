/** The reps of a solution: accounts and workload against capacity, value against fair share, as bars (virtualised). */
import { bandOf } from "./band-chart.tsx";
import type { Plan, Solution } from "./contract.ts";
import { formatNumber } from "./number-format.ts";
import { WindowedTable } from "./windowed-table.tsx";

/** A bar of `value` against `of`; red when `alarm` (by default: beyond `of`). */
function Bar(props: { value: number; of: number | null | undefined; text: string; alarm?: boolean }) {
  const share = props.of === null || props.of === undefined || props.of <= 0 ? null : props.value / props.of;
  const width = share === null ? 0 : Math.min(100, share * 100);
  const alarm = props.alarm ?? (share !== null && share > 1 + 1e-9);
  return (
    <span class="bar-cell">
      <span class={`bar${alarm ? " over" : ""}`} aria-hidden="true">
        <span style={{ width: `${width}%` }} />
      </span>
      <span class="bar-text">{props.text}</span>
    </span>
  );
}

export function RepsTable(props: { plan: Plan; solution: Solution }) {
  const limits = new Map(props.plan.reps.map((rep) => [rep.id, rep]));
  const reps = props.solution.reps;
  const band = props.plan.policy?.fairness?.valueBand;
  return (
    <WindowedTable
      label="Reps: load against capacity and fair share"
      testId="reps-table"
      columns={5}
      rowCount={reps.length}
      rowHeight={30}
      height={360}
      rowKey={(index) => reps[index]?.id ?? String(index)}
      header={
        <>
          <th scope="col">Rep</th>
          <th scope="col">Accounts / max</th>
          <th scope="col">Workload / max</th>
          <th scope="col">Value / fair share (red: outside the band)</th>
          <th scope="col">Expected value</th>
        </>
      }
      row={(index) => {
        const rep = reps[index];
        if (rep === undefined) return null;
        const limit = limits.get(rep.id);
        const range = bandOf(rep.fairShare, band);
        const outsideBand = range !== null && (rep.value < range[0] - 1e-6 || rep.value > range[1] + 1e-6);
        return (
          <>
            <th scope="row">{rep.id}</th>
            <td data-col="accounts">
              <Bar value={rep.accounts} of={limit?.maxAccounts} text={`${rep.accounts} / ${limit?.maxAccounts ?? "∞"}`} />
            </td>
            <td data-col="workload">
              <Bar value={rep.workload} of={limit?.maxWorkload} text={`${formatNumber(rep.workload)} / ${limit?.maxWorkload === undefined ? "∞" : formatNumber(limit.maxWorkload)}`} />
            </td>
            <td data-col="value">
              <Bar value={rep.value} of={rep.fairShare} alarm={outsideBand} text={`${formatNumber(rep.value)} / ${formatNumber(rep.fairShare)}${outsideBand ? " (outside the band)" : ""}`} />
            </td>
            <td data-col="expected">{formatNumber(rep.expectedValue)}</td>
          </>
        );
      }}
    />
  );
}
