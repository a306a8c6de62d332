/**
 * Import from what a planner has (CSV or Excel exports of a CRM) through POST /v1/imports: the
 * files, the detected column mapping (editable, then re-import), the data-quality report, and the
 * plan it gives. Shown only when the service has the import API (see import-export-api.ts).
 */
import { useId, useState } from "preact/hooks";
import { problemText } from "./api-client.ts";
import type { Plan } from "./contract.ts";
import { importFiles, type ImportFiles, type ImportResult } from "./import-export-api.ts";

export function ImportView(props: { onLoad: (plan: Plan, name: string) => void }) {
  const [files, setFiles] = useState<ImportFiles>({ accounts: null, reps: null, opportunities: null, mapping: "", policy: "" });
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mappingId = useId();

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await importFiles(files);
      setResult(answer);
      setFiles((f) => ({ ...f, mapping: JSON.stringify(answer.mapping, null, 2) }));
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  const fileField = (key: "accounts" | "reps" | "opportunities", label: string) => (
    <label class="field">
      {label}
      <input type="file" accept=".csv,.xlsx,text/csv" data-testid={`import-${key}`} onChange={(event) => {
        const file = event.currentTarget.files?.[0] ?? null;
        setFiles((f) => ({ ...f, [key]: file }));
      }} />
    </label>
  );

  return (
    <section aria-labelledby="import-heading">
      <h2 id="import-heading">Import CSV or Excel</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void run();
        }}
      >
        {fileField("accounts", "Accounts")}
        {fileField("reps", "Reps")}
        {fileField("opportunities", "Closed opportunities")}
        <div class="field">
          <label for={mappingId}>Column mapping (JSON; empty = detect)</label>
          <textarea id={mappingId} rows={8} value={files.mapping} onInput={(event) => {
            const text = event.currentTarget.value;
            setFiles((f) => ({ ...f, mapping: text }));
          }} />
        </div>
        <button type="submit" disabled={busy}>
          {result === null ? "Import" : "Import again with this mapping"}
        </button>
      </form>
      {error !== null && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {result !== null && (
        <>
          <h3>Data-quality report</h3>
          <pre class="report" tabIndex={0} aria-label="Data-quality report">
            {JSON.stringify(result.report, null, 2)}
          </pre>
          <button type="button" class="primary" onClick={() => props.onLoad(result.plan, "the imported files")}>
            Use the imported plan ({result.plan.customers.length} customers, {result.plan.reps.length} reps)
          </button>
        </>
      )}
    </section>
  );
}
