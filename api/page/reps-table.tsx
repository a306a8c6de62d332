/**
 * The reps of a solution (or of the planner's changes to it): accounts and workload against
 * capacity, value against fair share, as bars (virtualised). With `onDropCustomer`, each row is a
 * drop target for an account dragged from the accounts table (the rep picker there is the keyboard
 * way to do the same).
 */
import { useState } from "preact/hooks";
import { bandOf } from "./band-chart.tsx";
import type { Plan } from "./contract.ts";
import { ACCOUNT_DRAG_TYPE } from "./accounts-editor.tsx";
import type { RepLoad } from "./rep-load.ts";
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

export function RepsTable(props: { plan: Plan; reps: readonly RepLoad[]; onDropCustomer?: (customer: string, rep: string) => void }) {
  const limits = new Map(props.plan.reps.map((rep) => [rep.id, rep]));
  const reps = props.reps;
  const [over, setOver] = useState<string | null>(null);
  const drop = props.onDropCustomer;
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
      rowProps={(index) => {
        const id = reps[index]?.id;
        if (drop === undefined || id === undefined) return {};
        return {
          "data-rep": id,
          class: over === id ? "drop-target" : undefined,
          onDragOver: (event: DragEvent) => {
            const types = event.dataTransfer?.types ?? [];
            if (!types.includes(ACCOUNT_DRAG_TYPE) && !types.includes("text/plain")) return;
            event.preventDefault();
            if (event.dataTransfer !== null) event.dataTransfer.dropEffect = "move";
            setOver(id);
          },
          onDragLeave: () => setOver((o) => (o === id ? null : o)),
          onDrop: (event: DragEvent) => {
            event.preventDefault();
            setOver(null);
            const data = event.dataTransfer;
            const customer = data === null ? "" : data.getData(ACCOUNT_DRAG_TYPE) || data.getData("text/plain");
            if (customer !== "") drop(customer, id);
          },
        };
      }}
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
