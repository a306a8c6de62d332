/**
 * Import from what a planner has (CSV or Excel exports of a CRM) through POST /v1/imports: pick or
 * drop the files (or try the sample CRM files the service serves), read the data-quality report,
 * correct the detected column mapping and import again with it, then use the plan. Shown only when
 * the service has the import API (see import-export-api.ts).
 */
import { useState } from "preact/hooks";
import { problemText } from "./api-client.ts";
import type { ImportMapping, ImportResult, Plan } from "./contract.ts";
import { DataQualityList } from "./data-quality-list.tsx";
import { importFiles, NO_FILES, sampleCrmFiles, type ImportFiles } from "./import-export-api.ts";
import { MappingForm } from "./mapping-form.tsx";

type FileKey = "accounts" | "reps" | "opportunities";

/** Which file a dropped file is, from its name (accounts…, users…/reps…/owners…, opportunities…/deals…). */
function fileKeyOf(name: string): FileKey | null {
  const lower = name.toLowerCase();
  if (/opportunit|deal/.test(lower)) return "opportunities";
  if (/user|rep|owner/.test(lower)) return "reps";
  if (/account|compan|customer/.test(lower)) return "accounts";
  return null;
}

export function ImportView(props: { onLoad: (plan: Plan, name: string) => void }) {
  const [files, setFiles] = useState<ImportFiles>(NO_FILES);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [mapping, setMapping] = useState<ImportMapping | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);

  const run = async (chosen: ImportFiles, withMapping: ImportMapping | null) => {
    setBusy(true);
    setError(null);
    setStatus(withMapping === null ? "Importing…" : "Importing again with the edited mapping…");
    try {
      const answer = await importFiles({ ...chosen, mapping: withMapping === null ? "" : JSON.stringify(withMapping) });
      setResult(answer);
      setMapping(answer.mapping);
      setStatus(`Imported ${answer.plan.customers.length} customers and ${answer.plan.reps.length} reps${withMapping === null ? " with the detected mapping" : " with your mapping"}.`);
    } catch (e) {
      setError(problemText(e));
      setStatus("");
    } finally {
      setBusy(false);
    }
  };

  const trySamples = async () => {
    setError(null);
    try {
      const samples = await sampleCrmFiles();
      const chosen = { ...NO_FILES, ...samples };
      setFiles(chosen);
      await run(chosen, null);
    } catch (e) {
      setError(problemText(e));
    }
  };

  const choose = (key: FileKey, file: File | null) => {
    setFiles((f) => ({ ...f, [key]: file }));
    // New files: the next import detects the mapping again.
    setResult(null);
    setMapping(null);
  };

  const onDrop = (list: FileList | null) => {
    const unknown: string[] = [];
    for (const file of Array.from(list ?? [])) {
      const key = fileKeyOf(file.name);
      if (key === null) unknown.push(file.name);
      else choose(key, file);
    }
    if (unknown.length > 0) setError(`Not sure which file ${unknown.join(", ")} is: name it accounts…, users… or opportunities…, or pick it with the buttons.`);
  };

  const fileField = (key: FileKey, label: string) => (
    <div class="field">
      <label for={`import-${key}`}>{label}</label>
      <input
        id={`import-${key}`}
        type="file"
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        data-testid={`import-${key}`}
        onChange={(event) => choose(key, event.currentTarget.files?.[0] ?? null)}
      />
      <span class="hint" data-testid={`import-${key}-name`}>
        {files[key]?.name ?? "no file"}
      </span>
    </div>
  );

  return (
    <section aria-labelledby="import-heading">
      <h2 id="import-heading">Import CSV or Excel</h2>
      <p class="hint">Exports of a CRM (Salesforce or HubSpot headers are recognised): accounts and reps are required, closed opportunities give the conversion history.</p>
      <div
        class="drop-zone"
        data-testid="import-drop"
        onDragOver={(event) => event.preventDefault()}
        onDrop={(event) => {
          event.preventDefault();
          onDrop(event.dataTransfer?.files ?? null);
        }}
      >
        <p>Drop the files here, or pick each one:</p>
        <div class="row">
          {fileField("accounts", "Accounts")}
          {fileField("reps", "Reps (users)")}
          {fileField("opportunities", "Closed opportunities")}
        </div>
      </div>
      <div class="row">
        <button type="button" class="primary" disabled={busy || files.accounts === null || files.reps === null} onClick={() => void run(files, null)}>
          Import
        </button>
        <button type="button" disabled={busy} onClick={() => void trySamples()}>
          Try the sample CSVs
        </button>
      </div>
      <p aria-live="polite" data-testid="import-status">
        {status}
      </p>
      {error !== null && (
        <p role="alert" class="error" data-testid="import-error">
          {error}
        </p>
      )}
      {result !== null && (
        <>
          <h3>Data-quality report</h3>
          <DataQualityList report={result.report} />
          <button type="button" class="primary" onClick={() => props.onLoad(result.plan, "the imported files")}>
            Use this plan ({result.plan.customers.length} customers, {result.plan.reps.length} reps)
          </button>
        </>
      )}
      {mapping !== null && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void run(files, mapping);
          }}
        >
          <h3>Column mapping</h3>
          <MappingForm mapping={mapping} onChange={setMapping} />
          <button type="submit" disabled={busy}>
            Re-import with this mapping
          </button>
        </form>
      )}
    </section>
  );
}
