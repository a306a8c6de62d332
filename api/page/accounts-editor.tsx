/**
 * Every account of the solve with a rep picker (a native select, so the keyboard works as
 * everywhere: Tab to it, arrows or a letter to choose) and a handle to drag it onto a rep of the
 * reps table. Virtualised, with a filter by customer id for big books. A picked rep is the
 * planner's change; the solve's own rep is shown beside it. A picker holds only its current rep
 * until it is focused or pressed (then every rep), so a screenful of pickers on a 200-rep book
 * costs a screenful of options, not 200 each.
 */
import { useId, useMemo, useState } from "preact/hooks";
import type { Plan } from "./contract.ts";
import { WindowedTable } from "./windowed-table.tsx";

/** The drag's data type: a customer id, dropped on a rep row (reps-table.tsx). */
export const ACCOUNT_DRAG_TYPE = "application/x-allot-account";

export interface AccountsEditorProps {
  plan: Plan;
  /** The solve's rep of each assigned customer. */
  solved: ReadonlyMap<string, string>;
  /** The planner's changes: customer → rep. */
  changed: ReadonlyMap<string, string>;
  onPick: (customer: string, rep: string) => void;
}

export function AccountsEditor(props: AccountsEditorProps) {
  const [filter, setFilter] = useState("");
  const [active, setActive] = useState<string | null>(null);
  const filterId = useId();
  const solved = props.solved;
  const repIds = useMemo(() => props.plan.reps.map((r) => r.id), [props.plan]);
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return needle === "" ? props.plan.customers : props.plan.customers.filter((c) => c.id.toLowerCase().includes(needle));
  }, [props.plan, filter]);

  return (
    <div>
      <p class="row">
        <label for={filterId}>Find an account</label>
        <input id={filterId} type="search" value={filter} onInput={(event) => setFilter(event.currentTarget.value)} data-testid="accounts-filter" />
        <span class="hint">
          {shown.length} of {props.plan.customers.length} accounts. Pick a rep, or drag an account onto a rep in the reps table.
        </span>
      </p>
      <WindowedTable
        label="Accounts: pick a rep for each"
        testId="accounts-table"
        columns={4}
        rowCount={shown.length}
        rowHeight={34}
        height={320}
        rowKey={(index) => shown[index]?.id ?? String(index)}
        header={
          <>
            <th scope="col">Account (drag to a rep)</th>
            <th scope="col">Current rep</th>
            <th scope="col">Solved rep</th>
            <th scope="col">Rep</th>
          </>
        }
        row={(index) => {
          const customer = shown[index];
          if (customer === undefined) return null;
          const id = customer.id;
          const solvedRep = solved.get(id) ?? null;
          const rep = props.changed.get(id) ?? solvedRep;
          const changed = props.changed.has(id);
          return (
            <>
              <th scope="row">
                <span
                  class="drag-handle"
                  draggable
                  data-customer={id}
                  title={`Drag ${id} onto a rep in the reps table`}
                  onDragStart={(event) => {
                    if (event.dataTransfer === null) return;
                    event.dataTransfer.setData(ACCOUNT_DRAG_TYPE, id);
                    event.dataTransfer.setData("text/plain", id);
                    event.dataTransfer.effectAllowed = "move";
                  }}
                >
                  <span aria-hidden="true">⠿ </span>
                  {id}
                </span>
              </th>
              <td>{customer.currentRep ?? "—"}</td>
              <td>{solvedRep ?? "unassigned"}</td>
              <td class={changed ? "changed" : undefined}>
                <select
                  aria-label={`Rep for ${id}`}
                  value={rep ?? ""}
                  onFocus={() => setActive(id)}
                  onMouseDown={() => setActive(id)}
                  onChange={(event) => props.onPick(id, event.currentTarget.value)}
                >
                  {rep === null && (
                    <option value="" disabled>
                      unassigned
                    </option>
                  )}
                  {(active === id ? repIds : rep === null ? [] : [rep]).map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
                {changed && <span class="visually-hidden"> (changed by hand)</span>}
              </td>
            </>
          );
        }}
      />
    </div>
  );
}
