/**
 * A virtualised table: only the rows in view (and a few around them) are in the DOM, so a table of
 * 20,000 rows costs as much as one of 40. Spacer rows keep the scroll height; aria-rowcount and
 * aria-rowindex tell a screen reader where it is. The scroll box is focusable, so the keyboard
 * scrolls it (arrows, Page Up/Down).
 */
import type { ComponentChildren, JSX } from "preact";
import { useState } from "preact/hooks";

export interface WindowedTableProps {
  label: string;
  /** The header cells (inside one <tr>). */
  header: ComponentChildren;
  columns: number;
  rowCount: number;
  rowHeight: number;
  /** Height of the scroll box in px. */
  height: number;
  /** The cells of row `index` (inside its <tr>). */
  row: (index: number) => ComponentChildren;
  rowKey: (index: number) => string;
  /** Extra attributes and handlers of row `index`'s <tr> (e.g. a drop target). */
  rowProps?: (index: number) => JSX.HTMLAttributes<HTMLTableRowElement>;
  testId?: string;
}

const OVERSCAN = 6;

export function WindowedTable(props: WindowedTableProps) {
  const [scrollTop, setScrollTop] = useState(0);
  const first = Math.max(0, Math.floor(scrollTop / props.rowHeight) - OVERSCAN);
  const visible = Math.ceil(props.height / props.rowHeight) + 2 * OVERSCAN;
  const last = Math.min(props.rowCount, first + visible);
  const rows = [];
  for (let index = first; index < last; index++) {
    rows.push(
      <tr key={props.rowKey(index)} {...props.rowProps?.(index)} aria-rowindex={index + 2} style={{ height: `${props.rowHeight}px` }}>
        {props.row(index)}
      </tr>,
    );
  }
  return (
    <div
      class="windowed"
      style={{ maxHeight: `${props.height}px` }}
      tabIndex={0}
      role="region"
      aria-label={`${props.label} (${props.rowCount} rows, scrollable)`}
      data-testid={props.testId}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
    >
      <table aria-rowcount={props.rowCount + 1}>
        <caption class="visually-hidden">{props.label}</caption>
        <thead>
          <tr aria-rowindex={1}>{props.header}</tr>
        </thead>
        <tbody>
          {first > 0 && (
            <tr aria-hidden="true" class="spacer" style={{ height: `${first * props.rowHeight}px` }}>
              <td colSpan={props.columns} />
            </tr>
          )}
          {rows}
          {last < props.rowCount && (
            <tr aria-hidden="true" class="spacer" style={{ height: `${(props.rowCount - last) * props.rowHeight}px` }}>
              <td colSpan={props.columns} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
