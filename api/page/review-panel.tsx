/**
 * Review the moves of a saved version: save the solved plan as a version (POST /v1/plans), then
 * accept or reject each move it proposes (toggles) and send the round (POST /v1/plans/{id}/review):
 * rejected moves become stays, accepted ones locks, and the new version solved from them is shown
 * with its own moves, ready for the next round. A round that rejects nothing changes nothing.
 */
import { useId, useState } from "preact/hooks";
import { getJson, problemText, sendJson } from "./api-client.ts";
import type { AssignmentRecord, MoveDecision, Plan, PlanVersion, ReviewResult } from "./contract.ts";
import { formatNumber } from "./number-format.ts";
import { WindowedTable } from "./windowed-table.tsx";

interface ProposedMove {
  customer: string;
  from: string;
  to: string | null;
}

type Decision = MoveDecision["decision"];

/** The version's moves: its customers with a currentRep and another rep (all pages). */
async function movesOf(plan: Plan, id: string): Promise<ProposedMove[]> {
  const current = new Map(plan.customers.map((c) => [c.id, c.currentRep ?? null]));
  const out: ProposedMove[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
    const page: { items: AssignmentRecord[]; nextCursor: string | null } = await getJson(`/v1/plans/${encodeURIComponent(id)}/assignments?limit=500${query}`);
    for (const a of page.items) {
      const from = current.get(a.customer) ?? null;
      if (from !== null && a.rep !== from) out.push({ customer: a.customer, from, to: a.rep });
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return out;
}

export function ReviewPanel(props: { plan: Plan }) {
  const [version, setVersion] = useState<PlanVersion | null>(null);
  const [reviewedPlan, setReviewedPlan] = useState<Plan | null>(null);
  const [moves, setMoves] = useState<ProposedMove[]>([]);
  const [decisions, setDecisions] = useState<ReadonlyMap<string, Decision>>(new Map());
  const [by, setBy] = useState("planner");
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | null>(null);
  const byId = useId();

  const show = async (next: PlanVersion, plan: Plan) => {
    setVersion(next);
    setReviewedPlan(plan);
    setMoves(await movesOf(plan, next.id));
    setDecisions(new Map());
  };

  const run = async (what: string, work: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setStatus(`${what}…`);
    try {
      setStatus(await work());
    } catch (e) {
      setError(problemText(e));
      setStatus("");
    } finally {
      setBusy(false);
    }
  };

  const save = () =>
    run("Solving and saving", async () => {
      const saved = await sendJson<PlanVersion>("POST", "/v1/plans", { label: "workspace review", plan: props.plan });
      await show(saved, props.plan);
      return `Saved version ${saved.version} (${saved.status}, objective ${formatNumber(saved.objective)}): decide on its moves.`;
    });

  const submit = () =>
    run("Solving the reviewed plan", async () => {
      if (version === null) return "Save a version first.";
      const list = [...decisions].map(([customer, decision]) => ({ customer, decision }));
      const result = await sendJson<ReviewResult>("POST", `/v1/plans/${encodeURIComponent(version.id)}/review`, { by: by.trim() === "" ? "planner" : by.trim(), decisions: list });
      if (!result.changed) return `Nothing rejected: version ${result.plan.version} stands (${result.accepted} accepted).`;
      const input = await getJson<Plan>(`/v1/plans/${encodeURIComponent(result.plan.id)}/input`);
      await show(result.plan, input);
      return `Version ${result.plan.version} saved from the review (${result.accepted} accepted, ${result.rejected} rejected): ${result.plan.status}, objective ${formatNumber(result.plan.objective)}.`;
    });

  const decide = (customer: string, decision: Decision) =>
    setDecisions((d) => {
      const next = new Map(d);
      if (next.get(customer) === decision) next.delete(customer);
      else next.set(customer, decision);
      return next;
    });

  const accepted = [...decisions.values()].filter((d) => d === "accept").length;
  const rejected = decisions.size - accepted;
  return (
    <section aria-labelledby="review-heading" data-testid="review-panel">
      <h3 id="review-heading">Review the moves</h3>
      <p class="hint">Save this plan as a version, then accept or reject each move it proposes: a rejected move stays with its current rep, an accepted one is locked, and the rest is solved again.</p>
      <div class="row">
        <button type="button" onClick={() => void save()} disabled={busy}>
          Save as a version to review
        </button>
        <label for={byId}>Reviewer</label>
        <input id={byId} value={by} onInput={(event) => setBy(event.currentTarget.value)} />
      </div>
      {version !== null && (
        <p data-testid="review-version" data-plan-id={version.id}>
          Version {version.version}: {version.label} — {version.status}, objective {formatNumber(version.objective)}, {moves.length} move{moves.length === 1 ? "" : "s"}.
        </p>
      )}
      {version !== null && moves.length > 0 && reviewedPlan !== null && (
        <WindowedTable
          label="Moves to review"
          testId="review-moves"
          columns={4}
          rowCount={moves.length}
          rowHeight={34}
          height={300}
          rowKey={(index) => moves[index]?.customer ?? String(index)}
          header={
            <>
              <th scope="col">Account</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Decision</th>
            </>
          }
          row={(index) => {
            const m = moves[index];
            if (m === undefined) return null;
            const d = decisions.get(m.customer);
            return (
              <>
                <th scope="row">{m.customer}</th>
                <td>{m.from}</td>
                <td>{m.to ?? "unassigned"}</td>
                <td class="row">
                  <button type="button" aria-pressed={d === "accept"} onClick={() => decide(m.customer, "accept")} disabled={busy || m.to === null}>
                    Accept<span class="visually-hidden"> the move of {m.customer}</span>
                  </button>
                  <button type="button" aria-pressed={d === "reject"} onClick={() => decide(m.customer, "reject")} disabled={busy}>
                    Reject<span class="visually-hidden"> the move of {m.customer}</span>
                  </button>
                </td>
              </>
            );
          }}
        />
      )}
      {version !== null && (
        <div class="row">
          <button type="button" class="primary" onClick={() => void submit()} disabled={busy || decisions.size === 0}>
            Send the review ({accepted} accepted, {rejected} rejected)
          </button>
        </div>
      )}
      {status !== "" && (
        <p aria-live="polite" data-testid="review-status">
          {status}
        </p>
      )}
      {error !== null && (
        <p role="alert" class="error" data-testid="review-error">
          {error}
        </p>
      )}
    </section>
  );
}
