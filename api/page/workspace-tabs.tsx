/**
 * The workspace's screens as tabs (the WAI-ARIA tabs pattern: arrow keys, Home and End move
 * between tabs). Every panel stays mounted while hidden, so a running solve keeps its chart.
 */
import type { ComponentChildren } from "preact";
import { useRef } from "preact/hooks";

export interface Tab {
  id: string;
  label: string;
  disabled?: boolean;
  panel: ComponentChildren;
}

export function WorkspaceTabs(props: { tabs: Tab[]; selected: string; onSelect: (id: string) => void }) {
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const enabled = props.tabs.filter((t) => t.disabled !== true);
  const move = (from: string, step: number | "first" | "last") => {
    const index = enabled.findIndex((t) => t.id === from);
    const next = step === "first" ? enabled[0] : step === "last" ? enabled[enabled.length - 1] : enabled[(index + step + enabled.length) % enabled.length];
    if (next === undefined) return;
    props.onSelect(next.id);
    buttons.current.get(next.id)?.focus();
  };
  return (
    <>
      <div role="tablist" aria-label="Workspace" class="tabs">
        {props.tabs.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-selected={tab.id === props.selected}
            aria-controls={`panel-${tab.id}`}
            tabIndex={tab.id === props.selected ? 0 : -1}
            disabled={tab.disabled}
            ref={(element) => {
              if (element !== null) buttons.current.set(tab.id, element);
            }}
            onClick={() => props.onSelect(tab.id)}
            onKeyDown={(event) => {
              const step = { ArrowRight: 1, ArrowLeft: -1, Home: "first", End: "last" }[event.key] as number | "first" | "last" | undefined;
              if (step === undefined) return;
              event.preventDefault();
              move(tab.id, step);
            }}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {props.tabs.map((tab) => (
        <div key={tab.id} role="tabpanel" id={`panel-${tab.id}`} aria-labelledby={`tab-${tab.id}`} hidden={tab.id !== props.selected} tabIndex={0}>
          {tab.panel}
        </div>
      ))}
    </>
  );
}
