/**
 * The planner's control over one saved version (Publish): its approval (submit, approve, reject with
 * a name and a comment, and the history), activating it at a given time (a waiting schedule can be
 * cancelled), and, for an archived version, rolling back to it: the preview (a dry run: what would
 * be carried over, what no longer fits) is shown first and only then confirmed.
 */
import { useEffect, useId, useState } from "preact/hooks";
import { getJson, problemText, sendJson } from "./api-client.ts";
import type { ActivationSchedule, PlanApproval, PlanVersionDetail, RollBackResult } from "./contract.ts";

export interface VersionControlProps {
  planId: string;
  /** Called after a change, so that the list of versions is read again. */
  onChanged: () => void;
}

const OUTCOME_WORDS: Record<RollBackResult["carried"][number]["outcome"], string> = {
  kept: "kept",
  "kept-outside-band": "kept, above its band",
  "no-room": "no room: unassigned",
  "rep-missing": "rep missing: unassigned",
  "already-present": "already there",
  unassigned: "unassigned",
};

export function VersionControl(props: VersionControlProps) {
  const [detail, setDetail] = useState<PlanVersionDetail | null>(null);
  const [by, setBy] = useState("");
  const [comment, setComment] = useState("");
  const [when, setWhen] = useState("");
  const [preview, setPreview] = useState<RollBackResult | null>(null);
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);
  const byId = useId();
  const commentId = useId();
  const whenId = useId();
  const url = `/v1/plans/${encodeURIComponent(props.planId)}`;

  const load = async () => {
    try {
      setDetail(await getJson<PlanVersionDetail>(url));
    } catch (e) {
      setStatus(problemText(e));
    }
  };
  useEffect(() => {
    setPreview(null);
    setStatus("");
    void load();
  }, [props.planId]);

  const act = async (what: string, work: () => Promise<string>) => {
    setBusy(true);
    setStatus(`${what}…`);
    try {
      setStatus(await work());
      await load();
      props.onChanged();
    } catch (e) {
      setStatus(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  const approval = (action: "submit" | "approve" | "reject") =>
    act("Recording", async () => {
      const answer = await sendJson<PlanApproval>("POST", `${url}/approval`, { action, by: by.trim(), ...(comment.trim() === "" ? {} : { comment: comment.trim() }) });
      setComment("");
      return `Approval: ${answer.state}.`;
    });
  const schedule = () =>
    act("Scheduling", async () => {
      const at = new Date(when);
      if (Number.isNaN(at.getTime())) return "Pick a date and time first.";
      const answer = await sendJson<ActivationSchedule | { plan: { version: number } }>("POST", `${url}/activate?activateAt=${encodeURIComponent(at.toISOString())}`);
      return "activateAt" in answer ? `Scheduled: active from ${new Date(answer.activateAt).toLocaleString()}.` : `That time has passed: version ${answer.plan.version} is active now.`;
    });
  const cancel = (id: string) =>
    act("Cancelling", async () => {
      await sendJson<ActivationSchedule>("DELETE", `/v1/schedules/${encodeURIComponent(id)}`);
      return "Schedule cancelled.";
    });
  const previewRollBack = () =>
    act("Previewing", async () => {
      const answer = await sendJson<RollBackResult>("POST", `${url}/rollback?dryRun=true`);
      setPreview(answer);
      return `Preview: ${answer.counts.carried} routed customers carried over, ${answer.counts.misfits} no longer fit. Nothing changed yet.`;
    });
  const confirmRollBack = () =>
    act("Rolling back", async () => {
      const answer = await sendJson<RollBackResult>("POST", `${url}/rollback`);
      setPreview(null);
      return `Rolled back: version ${answer.plan.version} is active; ${answer.counts.kept} customers kept, ${answer.counts.misfits} recorded unassigned.`;
    });

  if (detail === null) return <p aria-live="polite">{status === "" ? "Loading…" : status}</p>;
  const v = detail.plan;
  const waiting = detail.schedules.filter((s) => s.state === "scheduled");
  const named = by.trim() !== "";
  const state = detail.approval.state;

  return (
    <section aria-labelledby="version-control-heading" data-testid="version-control">
      <h3 id="version-control-heading">
        v{v.version} {v.label}: {v.state}, approval {state}
      </h3>
      <p aria-live="polite" data-testid="version-control-status">
        {status}
      </p>

      <fieldset>
        <legend>Approval</legend>
        <div class="row">
          <label for={byId}>Your name</label>
          <input id={byId} value={by} maxLength={128} autoComplete="name" onInput={(event) => setBy(event.currentTarget.value)} />
          <label for={commentId}>Comment</label>
          <input id={commentId} value={comment} maxLength={2000} onInput={(event) => setComment(event.currentTarget.value)} />
        </div>
        <div class="row">
          <button type="button" disabled={busy || !named || (state !== "none" && state !== "rejected")} onClick={() => void approval("submit")}>
            Submit for approval
          </button>
          <button type="button" disabled={busy || !named || state !== "submitted"} onClick={() => void approval("approve")}>
            Approve
          </button>
          <button type="button" disabled={busy || !named || state !== "submitted"} onClick={() => void approval("reject")}>
            Reject
          </button>
        </div>
        {detail.approval.history.length > 0 && (
          <ol aria-label="Approval history" data-testid="approval-history">
            {detail.approval.history.map((s) => (
              <li key={`${s.at}-${s.action}`}>
                {s.action} by {s.by} at {new Date(s.at).toLocaleString()}
                {s.comment === null ? "" : `: ${s.comment}`}
              </li>
            ))}
          </ol>
        )}
      </fieldset>

      {v.state === "draft" && (
        <fieldset>
          <legend>Activate at a given time</legend>
          <div class="row">
            <label for={whenId}>Activate at</label>
            <input id={whenId} type="datetime-local" value={when} onInput={(event) => setWhen(event.currentTarget.value)} />
            <button type="button" disabled={busy || when === "" || !v.activatable} onClick={() => void schedule()}>
              Schedule activation
            </button>
          </div>
        </fieldset>
      )}
      {waiting.length > 0 && (
        <ul aria-label="Waiting schedules" data-testid="schedules">
          {waiting.map((s) => (
            <li key={s.id}>
              Active from {new Date(s.activateAt).toLocaleString()}{" "}
              <button type="button" disabled={busy} onClick={() => void cancel(s.id)} aria-label={`Cancel the schedule for ${new Date(s.activateAt).toLocaleString()}`}>
                Cancel
              </button>
            </li>
          ))}
        </ul>
      )}

      {v.state === "archived" && (
        <fieldset>
          <legend>Roll back to this version</legend>
          <p>The routed customers of the active version are carried over and re-checked against this version's capacities; see what changes first.</p>
          <div class="row">
            <button type="button" disabled={busy} onClick={() => void previewRollBack()}>
              Preview roll back
            </button>
            <button type="button" class="primary" disabled={busy || preview === null} onClick={() => void confirmRollBack()}>
              Confirm roll back
            </button>
          </div>
          {preview !== null && (
            <table data-testid="rollback-preview">
              <caption>
                Roll back preview: {preview.counts.carried} carried over, {preview.counts.kept} kept, {preview.counts.misfits} no longer fit
              </caption>
              <thead>
                <tr>
                  <th scope="col">Customer</th>
                  <th scope="col">Rep now</th>
                  <th scope="col">Rep after</th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {preview.carried.map((c) => (
                  <tr key={c.customer} data-outcome={c.outcome}>
                    <th scope="row">{c.customer}</th>
                    <td>{c.from ?? "—"}</td>
                    <td>{c.rep ?? "—"}</td>
                    <td title={c.reason}>{OUTCOME_WORDS[c.outcome]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </fieldset>
      )}
    </section>
  );
}
