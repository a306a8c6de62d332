/**
 * What-if: a copy of the plan with changes (remove a rep, add one like an existing rep, change a
 * rep's capacity, change the value band), solved beside the base (POST /v1/scenarios as a job), and
 * the two side by side: value, moves, and each rep's load.
 */
import { useId, useState } from "preact/hooks";
import { problemText } from "./api-client.ts";
import { startJob } from "./background-job.ts";
import type { Change, Plan, ScenarioResponse } from "./contract.ts";
import { formatNumber } from "./number-format.ts";

export function scenarioChanges(plan: Plan, form: WhatIfForm): Change[] {
  const changes: Change[] = [];
  if (form.removeRep !== "") changes.push({ op: "removeRep", rep: form.removeRep });
  const model = plan.reps.find((rep) => rep.id === form.addLike);
  if (model !== undefined && form.newRepId.trim() !== "") changes.push({ op: "addRep", rep: { ...model, id: form.newRepId.trim() } });
  if (form.capacityRep !== "" && form.maxAccounts !== "") changes.push({ op: "updateRep", rep: form.capacityRep, set: { maxAccounts: Math.max(0, Math.round(Number(form.maxAccounts))) } });
  if (form.valueBand !== "") changes.push({ op: "setPolicy", policy: { fairness: { valueBand: Math.max(0, Number(form.valueBand)) } } });
  return changes;
}

export interface WhatIfForm {
  removeRep: string;
  addLike: string;
  newRepId: string;
  capacityRep: string;
  maxAccounts: string;
  valueBand: string;
}

const EMPTY_FORM: WhatIfForm = { removeRep: "", addLike: "", newRepId: "", capacityRep: "", maxAccounts: "", valueBand: "" };

function RepSelect(props: { label: string; plan: Plan; value: string; onChange: (value: string) => void; none: string; testId?: string }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} value={props.value} data-testid={props.testId} onChange={(event) => props.onChange(event.currentTarget.value)}>
        <option value="">{props.none}</option>
        {props.plan.reps.map((rep) => (
          <option key={rep.id} value={rep.id}>
            {rep.id}
          </option>
        ))}
      </select>
    </div>
  );
}

export function WhatIfView(props: { plan: Plan }) {
  const [form, setForm] = useState<WhatIfForm>(EMPTY_FORM);
  const [answer, setAnswer] = useState<ScenarioResponse | null>(null);
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);
  const newId = useId();
  const capId = useId();
  const bandId = useId();
  const set = (patch: Partial<WhatIfForm>) => setForm((f) => ({ ...f, ...patch }));

  const run = async () => {
    const changes = scenarioChanges(props.plan, form);
    if (changes.length === 0) {
      setStatus("Choose at least one change.");
      return;
    }
    setBusy(true);
    setStatus("Solving the base and the what-if…");
    try {
      const job = await startJob<ScenarioResponse>("scenarios", { base: props.plan, scenarios: [{ name: "what-if", changes }], solutions: true }, undefined, (p) =>
        setStatus(`Solving the base and the what-if: ${p.solvesDone} of ${p.solvesTotal} done…`),
      );
      const outcome = await job.done;
      setAnswer(outcome.result);
      setStatus(outcome.result === null ? `The job ended ${outcome.job.state}${outcome.job.error === null ? "" : `: ${outcome.job.error.detail}`}.` : "Solved: the base and the what-if side by side below.");
    } catch (e) {
      setStatus(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  const scenario = answer?.scenarios[0];
  const baseReps = new Map((answer?.base.solution?.reps ?? []).map((r) => [r.id, r]));
  const whatIfReps = new Map((scenario?.solution?.reps ?? []).map((r) => [r.id, r]));
  const repIds = [...new Set([...baseReps.keys(), ...whatIfReps.keys()])];

  return (
    <section aria-labelledby="what-if-heading">
      <h2 id="what-if-heading">What-if</h2>
      <form
        class="what-if"
        onSubmit={(event) => {
          event.preventDefault();
          void run();
        }}
      >
        <fieldset>
          <legend>Changes to a copy of the plan</legend>
          <RepSelect label="Remove a rep" plan={props.plan} value={form.removeRep} onChange={(v) => set({ removeRep: v })} none="(none)" testId="what-if-remove" />
          <RepSelect label="Add a rep like" plan={props.plan} value={form.addLike} onChange={(v) => set({ addLike: v })} none="(no new rep)" />
          <div class="field">
            <label for={newId}>New rep's id</label>
            <input id={newId} value={form.newRepId} onInput={(event) => set({ newRepId: event.currentTarget.value })} />
          </div>
          <RepSelect label="Change the capacity of" plan={props.plan} value={form.capacityRep} onChange={(v) => set({ capacityRep: v })} none="(none)" />
          <div class="field">
            <label for={capId}>to max accounts</label>
            <input id={capId} type="number" min={0} step={1} value={form.maxAccounts} onInput={(event) => set({ maxAccounts: event.currentTarget.value })} />
          </div>
          <div class="field">
            <label for={bandId}>Value band (policy)</label>
            <input id={bandId} type="number" min={0} step="0.05" value={form.valueBand} onInput={(event) => set({ valueBand: event.currentTarget.value })} />
          </div>
        </fieldset>
        <button type="submit" class="primary" disabled={busy}>
          Solve the what-if
        </button>
      </form>
      <p aria-live="polite" data-testid="what-if-status">
        {status}
      </p>
      {answer !== null && scenario !== undefined && (
        <>
          <table data-testid="what-if-compare">
            <caption>The base and the what-if, side by side</caption>
            <thead>
              <tr>
                <th scope="col">Figure</th>
                <th scope="col">Base</th>
                <th scope="col">What-if</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Status</th>
                <td>{answer.base.status}</td>
                <td>{scenario.status}</td>
              </tr>
              <tr>
                <th scope="row">Objective</th>
                <td>{formatNumber(answer.base.objective)}</td>
                <td>{formatNumber(scenario.objective)}</td>
              </tr>
              <tr>
                <th scope="row">Expected value</th>
                <td>{formatNumber(answer.base.metrics.expectedValue)}</td>
                <td>{formatNumber(scenario.metrics.expectedValue)}</td>
              </tr>
              <tr>
                <th scope="row">Moves</th>
                <td>{answer.base.metrics.moves}</td>
                <td>{scenario.metrics.moves}</td>
              </tr>
              <tr>
                <th scope="row">Assigned</th>
                <td>{answer.base.metrics.assigned}</td>
                <td>{scenario.metrics.assigned}</td>
              </tr>
            </tbody>
          </table>
          {scenario.diagnosis !== undefined && <p role="status">{scenario.diagnosis.summary}</p>}
          <table data-testid="what-if-loads">
            <caption>Each rep's load, base and what-if</caption>
            <thead>
              <tr>
                <th scope="col">Rep</th>
                <th scope="col">Accounts (base)</th>
                <th scope="col">Accounts (what-if)</th>
                <th scope="col">Value (base)</th>
                <th scope="col">Value (what-if)</th>
              </tr>
            </thead>
            <tbody>
              {repIds.map((id) => (
                <tr key={id}>
                  <th scope="row">{id}</th>
                  <td>{baseReps.get(id)?.accounts ?? "—"}</td>
                  <td>{whatIfReps.get(id)?.accounts ?? "—"}</td>
                  <td>{formatNumber(baseReps.get(id)?.value)}</td>
                  <td>{formatNumber(whatIfReps.get(id)?.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
