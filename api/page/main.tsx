/**
 * The planner's workspace, served by the service at / (docs/workspace.md): load a plan, set the
 * policy, solve with live progress, read the results, weigh moves against value, run a what-if,
 * publish. One state: the plan being edited and its latest solution. When the service asks for
 * keys, the page signs in first (sign-in.tsx) and shows only what the key's role may do, as the
 * service's route table says (GET /v1/session lists the operations).
 */
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { hasCsrfToken, problemText, setCsrfToken, setUnauthorizedHandler } from "./api-client.ts";
import type { Plan, Policy, SessionInfo, Solution } from "./contract.ts";
import { FrontierView } from "./frontier-view.tsx";
import { detectCapabilities, NO_CAPABILITIES, type Capabilities } from "./import-export-api.ts";
import { ImportView } from "./import-view.tsx";
import { PlanLoader } from "./plan-loader.tsx";
import { PolicyForm } from "./policy-form.tsx";
import { PublishView } from "./publish-view.tsx";
import { ResultsView } from "./results-view.tsx";
import { allows, probeSession } from "./session-api.ts";
import { SessionBar, SignInForm } from "./sign-in.tsx";
import { SolvePanel } from "./solve-panel.tsx";
import { WhatIfView } from "./what-if-view.tsx";
import { WorkspaceTabs, type Tab } from "./workspace-tabs.tsx";
import "./workspace.css";

interface Solved {
  solution: Solution;
  receivedAt: number;
  /** The plan as it was solved (the results read its reps and customers). */
  plan: Plan;
}

function Workspace(props: { session: SessionInfo }) {
  const can = (operation: string) => allows(props.session, operation);
  const canSolve = can("POST /v1/jobs");
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
  const tabs: (Tab | false)[] = [
    {
      id: "plan",
      label: "Plan",
      panel: (
        <>
          <PlanLoader plan={plan} onLoad={load} />
          {!can("POST /v1/imports") ? null : capabilities.imports ? (
            <ImportView onLoad={load} />
          ) : (
            <p class="hint">Importing CSV or Excel needs the service's import API, which this server does not offer; load a plan JSON file instead.</p>
          )}
          {plan !== null && <PolicyForm plan={plan} onChange={setPolicy} />}
        </>
      ),
    },
    canSolve && {
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
    canSolve && { id: "trade-offs", label: "Trade-offs", disabled: noPlan, panel: plan === null ? null : <FrontierView plan={plan} onPickBudget={setMoveBudget} /> },
    canSolve && { id: "what-if", label: "What-if", disabled: noPlan, panel: plan === null ? null : <WhatIfView plan={plan} /> },
    // A reader without planning rights reads the saved versions without loading a plan.
    {
      id: "publish",
      label: "Publish",
      disabled: noPlan && canSolve,
      panel: noPlan && canSolve ? null : <PublishView plan={plan} solution={solved?.solution ?? null} capabilities={capabilities} can={can} />,
    },
  ];
  return (
    <>
      <p class="plan-name" aria-live="polite">
        {plan === null ? "No plan loaded." : `Plan: ${planName}.`}
      </p>
      <WorkspaceTabs selected={tab} onSelect={setTab} tabs={tabs.filter((t): t is Tab => t !== false)} />
    </>
  );
}

type PageState = { kind: "probing" } | { kind: "failed"; message: string } | { kind: "sign-in"; reason: string } | { kind: "ready"; session: SessionInfo };

/** The page: probe whether the service asks for keys, sign in if it does, then the workspace for the role. */
function App() {
  const [state, setState] = useState<PageState>({ kind: "probing" });
  useEffect(() => {
    probeSession(hasCsrfToken())
      .then((probe) => setState(probe))
      .catch((error: unknown) => setState({ kind: "failed", message: problemText(error) }));
  }, []);
  const keysRequired = state.kind === "sign-in" || (state.kind === "ready" && state.session.keysRequired);
  useEffect(() => {
    // A session that ends while in use (expired, revoked elsewhere) brings the sign-in back.
    setUnauthorizedHandler(
      keysRequired
        ? () =>
            setState((current) => {
              if (current.kind !== "ready") return current;
              setCsrfToken(null);
              return { kind: "sign-in", reason: "Your session has ended." };
            })
        : null,
    );
  }, [keysRequired]);
  return (
    <>
      <header>
        <h1>Allot — planner's workspace</h1>
        {state.kind === "ready" && state.session.keysRequired && <SessionBar session={state.session} onSignedOut={() => setState({ kind: "sign-in", reason: "Signed out." })} />}
      </header>
      <main>
        {state.kind === "probing" && <p aria-live="polite">Connecting to the service…</p>}
        {state.kind === "failed" && <p role="alert">{state.message}</p>}
        {state.kind === "sign-in" && <SignInForm reason={state.reason} onSignedIn={(session) => setState({ kind: "ready", session })} />}
        {state.kind === "ready" &&
          (state.session.role === "integrator" ? (
            <p class="notice" data-testid="integrator-notice">
              This page is for planners: a key with the role integrator routes leads, reassigns and records outcomes through the API (see <a href="/docs">the API documentation</a>). Sign in with a
              planner's or a viewer's key to use the workspace.
            </p>
          ) : (
            <Workspace session={state.session} />
          ))}
      </main>
    </>
  );
}

const root = document.getElementById("app");
if (root !== null) render(<App />, root);
