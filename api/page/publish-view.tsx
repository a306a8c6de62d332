/**
 * Publish: save the plan as a version (POST /v1/plans solves and saves it), activate a version,
 * manage one (approval, activation at a time, roll back: version-control.tsx),
 * compare two versions (GET /v1/plans/{id}/diff/{otherId}), and download: the solution as JSON,
 * and CSV or Excel when the service has the export API. Only what the role may do is shown (`can`,
 * from GET /v1/session); a reader without planning rights sees the versions without a plan loaded.
 */
import { useEffect, useId, useState } from "preact/hooks";
import { getJson, problemText, sendJson } from "./api-client.ts";
import type { Plan, PlanActivation, PlanVersion, PlanVersionDiff, Solution } from "./contract.ts";
import { downloadFile } from "./file-download.ts";
import { exportSolution, planExportUrl, type Capabilities, type ExportFormat } from "./import-export-api.ts";
import { formatNumber } from "./number-format.ts";
import { VersionControl } from "./version-control.tsx";

export interface PublishViewProps {
  /** The plan being edited; null for a reader who loaded none. */
  plan: Plan | null;
  solution: Solution | null;
  capabilities: Capabilities;
  /** Whether the role may call an operation (`METHOD /path`). */
  can: (operation: string) => boolean;
}

export function PublishView(props: PublishViewProps) {
  const [label, setLabel] = useState("");
  const [versions, setVersions] = useState<PlanVersion[]>([]);
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [diff, setDiff] = useState<PlanVersionDiff | null>(null);
  const [managed, setManaged] = useState<string | null>(null);
  const labelId = useId();
  const fromId = useId();
  const toId = useId();

  const refresh = async () => {
    try {
      const page = await getJson<{ items: PlanVersion[] }>("/v1/plans?limit=50");
      setVersions(page.items);
    } catch (e) {
      setStatus(problemText(e));
    }
  };
  useEffect(() => void refresh(), []);

  const act = async (what: string, work: () => Promise<string>) => {
    setBusy(true);
    setStatus(`${what}…`);
    try {
      setStatus(await work());
      await refresh();
    } catch (e) {
      setStatus(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  const save = () =>
    act("Solving and saving", async () => {
      if (props.plan === null) return "Load a plan first.";
      const version = await sendJson<PlanVersion>("POST", "/v1/plans", { label: label.trim() === "" ? "workspace draft" : label.trim(), plan: props.plan });
      return `Saved version ${version.version} (${version.id}): ${version.status}, objective ${formatNumber(version.objective)}.`;
    });
  const activate = (id: string) =>
    act("Activating", async () => {
      const answer = await sendJson<PlanActivation>("POST", `/v1/plans/${encodeURIComponent(id)}/activate`);
      return `Version ${answer.plan.version} is active${answer.archived === null ? "" : `; version ${answer.archived.version} archived`}.`;
    });
  const compare = () =>
    act("Comparing", async () => {
      const answer = await getJson<PlanVersionDiff>(`/v1/plans/${encodeURIComponent(from)}/diff/${encodeURIComponent(to)}`);
      setDiff(answer);
      return "Compared.";
    });
  const exportAs = (format: ExportFormat) =>
    act(`Exporting ${format}`, async () => {
      if (props.solution === null || props.plan === null) return "Solve first.";
      downloadFile(`assignments.${format}`, format === "csv" ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", await exportSolution(props.plan, props.solution, format));
      return `Downloaded assignments.${format}.`;
    });

  const versionOption = (v: PlanVersion) => (
    <option key={v.id} value={v.id}>
      v{v.version} {v.label} ({v.state})
    </option>
  );

  return (
    <section aria-labelledby="publish-heading">
      <h2 id="publish-heading">Publish</h2>
      {props.plan !== null && props.can("POST /v1/plans") && (
        <form
          class="row"
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <label for={labelId}>Version label</label>
          <input id={labelId} value={label} maxLength={200} placeholder="2027-Q1 draft" onInput={(event) => setLabel(event.currentTarget.value)} />
          <button type="submit" class="primary" disabled={busy}>
            Save as a version
          </button>
        </form>
      )}
      <p aria-live="polite" data-testid="publish-status">
        {status}
      </p>
      <table data-testid="versions">
        <caption>Saved versions, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Label</th>
            <th scope="col">State</th>
            <th scope="col">Status</th>
            <th scope="col">Objective</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id} data-plan-id={v.id}>
              <th scope="row">v{v.version}</th>
              <td>{v.label}</td>
              <td data-col="state">{v.state}</td>
              <td>{v.status}</td>
              <td>{formatNumber(v.objective)}</td>
              <td>
                {props.can("POST /v1/plans/{id}/activate") && (
                  <button type="button" disabled={busy || !v.activatable || v.state === "active"} onClick={() => void activate(v.id)}>
                    Activate v{v.version}
                  </button>
                )}{" "}
                {props.can("POST /v1/plans/{id}/approval") && (
                  <button type="button" aria-pressed={managed === v.id} onClick={() => setManaged(managed === v.id ? null : v.id)}>
                    Manage v{v.version}
                  </button>
                )}
                {props.capabilities.planExports && props.can("GET /v1/plans/{id}/assignments.csv") && (
                  <>
                    {" "}
                    <a href={planExportUrl(v.id, "csv")} download={`assignments-v${v.version}.csv`}>
                      v{v.version} as CSV
                    </a>{" "}
                    <a href={planExportUrl(v.id, "xlsx")} download={`assignments-v${v.version}.xlsx`}>
                      v{v.version} as Excel
                    </a>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {managed !== null && (
        // A change made from the table (an activation) shows in the panel: it is built again when the version's state changes.
        <VersionControl key={`${managed} ${versions.find((v) => v.id === managed)?.state ?? ""}`} planId={managed} onChanged={() => void refresh()} />
      )}
      <form
        class="row"
        onSubmit={(event) => {
          event.preventDefault();
          void compare();
        }}
      >
        <label for={fromId}>Compare</label>
        <select id={fromId} value={from} onChange={(event) => setFrom(event.currentTarget.value)}>
          <option value="">(version)</option>
          {versions.map(versionOption)}
        </select>
        <label for={toId}>with</label>
        <select id={toId} value={to} onChange={(event) => setTo(event.currentTarget.value)}>
          <option value="">(version)</option>
          {versions.map(versionOption)}
        </select>
        <button type="submit" disabled={busy || from === "" || to === ""}>
          Compare
        </button>
      </form>
      {diff !== null && (
        <table>
          <caption>
            v{diff.from.version} → v{diff.to.version}
          </caption>
          <tbody>
            <tr>
              <th scope="row">Objective</th>
              <td>
                {formatNumber(diff.objective.from)} → {formatNumber(diff.objective.to)} ({formatNumber(diff.objective.delta)})
              </td>
            </tr>
            <tr>
              <th scope="row">Expected value</th>
              <td>
                {formatNumber(diff.expectedValue.from)} → {formatNumber(diff.expectedValue.to)} ({formatNumber(diff.expectedValue.delta)})
              </td>
            </tr>
            <tr>
              <th scope="row">Customers that change hands</th>
              <td>{diff.moves.length}</td>
            </tr>
          </tbody>
        </table>
      )}
      {props.plan !== null && <Downloads plan={props.plan} solution={props.solution} busy={busy} exports={props.capabilities.exports && props.can("POST /v1/exports")} onExport={(format) => void exportAs(format)} />}
    </section>
  );
}

function Downloads(props: { plan: Plan; solution: Solution | null; busy: boolean; exports: boolean; onExport: (format: ExportFormat) => void }) {
  const { plan, solution, busy } = props;
  return (
    <>
      <h3>Download</h3>
      <div class="row">
        <button type="button" disabled={solution === null} onClick={() => solution !== null && downloadFile("solution.json", "application/json", JSON.stringify(solution, null, 2))}>
          Download the solution (JSON)
        </button>
        <button type="button" onClick={() => downloadFile("plan.json", "application/json", JSON.stringify(plan, null, 2))}>
          Download the plan (JSON)
        </button>
        {props.exports && (
          <>
            <button type="button" disabled={solution === null || busy} onClick={() => props.onExport("csv")}>
              Download assignments (CSV)
            </button>
            <button type="button" disabled={solution === null || busy} onClick={() => props.onExport("xlsx")}>
              Download assignments (Excel)
            </button>
          </>
        )}
      </div>
    </>
  );
}
