/**
 * The planner's workspace, served by the service at / (docs/workspace.md): load a plan, set the
 * policy, solve with live progress, read the results, weigh moves against value, run a what-if,
 * publish. One state: the plan being edited and its latest solution.
 */
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Plan, Policy, Solution } from "./contract.ts";
import { FrontierView } from "./frontier-view.tsx";
import { detectCapabilities, NO_CAPABILITIES, type Capabilities } from "./import-export-api.ts";
import { ImportView } from "./import-view.tsx";
import { PlanLoader } from "./plan-loader.tsx";
import { PolicyForm } from "./policy-form.tsx";
import { PublishView } from "./publish-view.tsx";
import { ResultsView } from "./results-view.tsx";
import { SolvePanel } from "./solve-panel.tsx";
import { WhatIfView } from "./what-if-view.tsx";
import { WorkspaceTabs } from "./workspace-tabs.tsx";
import "./workspace.css";

interface Solved {
  solution: Solution;
  receivedAt: number;
  /** The plan as it was solved (the results read its reps and customers). */
  plan: Plan;
}

function Workspace() {
  const [plan, setPlan] = useState<Plan | null>(null);
  const [planName, setPlanName] = useState("");
  const [solved, setSolved] = useState<Solved | null>(null);
  const [tab, setTab] = useState("plan");
  const [capabilities, setCapabilities] = useState<Capabilities>(NO_CAPABILITIES);
  useEffect(() => void detectCapabilities().then(setCapabilities), []);

  const load = (next: Plan, name: string) => {
    setPlan(next);
    setPlanName(name);
    setSolved(null);
  };
  const setPolicy = (policy: Policy) => setPlan((p) => (p === null ? p : { ...p, policy }));
  const setMoveBudget = (maxMoves: number | undefined) =>
    setPlan((p) => {
      if (p === null) return p;
      const stability = { ...(p.policy?.stability ?? {}), maxMoves };
      if (maxMoves === undefined) delete stability.maxMoves;
      return { ...p, policy: { ...(p.policy ?? {}), stability } };
    });

  const noPlan = plan === null;
  return (
    <>
      <header>
        <h1>Allot — planner's workspace</h1>
        <p class="plan-name" aria-live="polite">
          {plan === null ? "No plan loaded." : `Plan: ${planName}.`}
        </p>
      </header>
      <main>
        <WorkspaceTabs
          selected={tab}
          onSelect={setTab}
          tabs={[
            {
              id: "plan",
              label: "Plan",
              panel: (
                <>
                  <PlanLoader plan={plan} onLoad={load} />
                  {capabilities.imports ? <ImportView onLoad={load} /> : <p class="hint">Importing CSV or Excel needs the service's import API, which this server does not offer; load a plan JSON file instead.</p>}
                  {plan !== null && <PolicyForm plan={plan} onChange={setPolicy} />}
                </>
              ),
            },
            {
              id: "solve",
              label: "Solve and results",
              disabled: noPlan,
              panel:
                plan === null ? null : (
                  <>
                    <SolvePanel plan={plan} onSolved={(solution, receivedAt) => setSolved({ solution, receivedAt, plan })} />
                    {solved !== null && (
                      <ResultsView
                        key={solved.receivedAt}
                        plan={solved.plan}
                        solution={solved.solution}
                        receivedAt={solved.receivedAt}
                        onReoptimised={(next, solution, receivedAt) => {
                          setPlan(next);
                          setSolved({ solution, receivedAt, plan: next });
                        }}
                      />
                    )}
                  </>
                ),
            },
            { id: "trade-offs", label: "Trade-offs", disabled: noPlan, panel: plan === null ? null : <FrontierView plan={plan} onPickBudget={setMoveBudget} /> },
            { id: "what-if", label: "What-if", disabled: noPlan, panel: plan === null ? null : <WhatIfView plan={plan} /> },
            { id: "publish", label: "Publish", disabled: noPlan, panel: plan === null ? null : <PublishView plan={plan} solution={solved?.solution ?? null} capabilities={capabilities} /> },
          ]}
        />
      </main>
    </>
  );
}

const root = document.getElementById("app");
if (root !== null) render(<Workspace />, root);
