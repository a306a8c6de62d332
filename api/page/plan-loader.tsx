/** Load a plan: the sample book served by the service, or a plan JSON file from the planner's disk. */
import { useState } from "preact/hooks";
import { getJson, problemText } from "./api-client.ts";
import type { Plan } from "./contract.ts";

export interface PlanLoaderProps {
  plan: Plan | null;
  onLoad: (plan: Plan, name: string) => void;
}

function looksLikePlan(value: unknown): value is Plan {
  return typeof value === "object" && value !== null && Array.isArray((value as { customers?: unknown }).customers) && Array.isArray((value as { reps?: unknown }).reps);
}

export function PlanLoader(props: PlanLoaderProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const trySample = async () => {
    setBusy(true);
    setError(null);
    try {
      props.onLoad(await getJson<Plan>("/samples/sample-book.json"), "the sample book");
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  const openFile = async (file: File) => {
    setError(null);
    try {
      const value: unknown = JSON.parse(await file.text());
      if (!looksLikePlan(value)) {
        setError(`${file.name} is not a plan: it needs "customers" and "reps" arrays.`);
        return;
      }
      props.onLoad(value, file.name);
    } catch (e) {
      setError(`${file.name} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <section aria-labelledby="load-heading">
      <h2 id="load-heading">Load a plan</h2>
      <div class="row">
        <button type="button" onClick={() => void trySample()} disabled={busy}>
          Try the sample
        </button>
        <label>
          Open a plan JSON file{" "}
          <input
            type="file"
            accept="application/json,.json"
            data-testid="plan-file"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              if (file !== undefined) void openFile(file);
            }}
          />
        </label>
      </div>
      {error !== null && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {props.plan !== null && (
        <p data-testid="plan-summary">
          {props.plan.customers.length} customers, {props.plan.reps.length} reps
          {props.plan.history === undefined ? "" : `, ${props.plan.history.length} history rows`}.
        </p>
      )}
    </section>
  );
}
