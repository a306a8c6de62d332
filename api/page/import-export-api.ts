/**
 * The boundary to the import and export API (POST /v1/imports, POST /v1/exports,
 * GET /v1/plans/{id}/assignments.csv|.xlsx). The page asks the service's OpenAPI document which of
 * them it has, and shows their screens and buttons only then: without them it still loads plan
 * JSON and downloads JSON.
 */
import { ApiError, changeHeaders, fileAnswer, getJson, sendForm } from "./api-client.ts";
import type { ImportResult, Plan, Solution } from "./contract.ts";

export interface Capabilities {
  imports: boolean;
  exports: boolean;
  planExports: boolean;
}

export const NO_CAPABILITIES: Capabilities = { imports: false, exports: false, planExports: false };

export async function detectCapabilities(): Promise<Capabilities> {
  try {
    const document = await getJson<{ paths?: Record<string, unknown> }>("/openapi.json");
    const paths = Object.keys(document.paths ?? {});
    return {
      imports: paths.includes("/v1/imports"),
      exports: paths.includes("/v1/exports"),
      planExports: paths.some((p) => p.startsWith("/v1/plans/{id}/assignments.")),
    };
  } catch {
    return NO_CAPABILITIES;
  }
}

export interface ImportFiles {
  accounts: File | null;
  reps: File | null;
  opportunities: File | null;
  /** Column mapping as JSON text (as returned by an earlier import, maybe edited); empty = detect. */
  mapping: string;
  /** Policy as JSON text; empty = none. */
  policy: string;
}

export const NO_FILES: ImportFiles = { accounts: null, reps: null, opportunities: null, mapping: "", policy: "" };

/** POST /v1/imports: the plan, the mapping it used, the data-quality report. */
export async function importFiles(files: ImportFiles): Promise<ImportResult> {
  const form = new FormData();
  if (files.accounts !== null) form.append("accounts", files.accounts, files.accounts.name);
  if (files.reps !== null) form.append("reps", files.reps, files.reps.name);
  if (files.opportunities !== null) form.append("opportunities", files.opportunities, files.opportunities.name);
  if (files.mapping.trim() !== "") form.append("mapping", files.mapping);
  if (files.policy.trim() !== "") form.append("policy", files.policy);
  return sendForm<ImportResult>("/v1/imports", form);
}

export type ExportFormat = "csv" | "xlsx";

/** The assignments of a solution as a CRM file (POST /v1/exports?format=…). */
export async function exportSolution(plan: Plan, solution: Solution, format: ExportFormat): Promise<Blob> {
  const response = await fetch(`/v1/exports?format=${format}`, {
    method: "POST",
    headers: changeHeaders({ "content-type": "application/json" }),
    body: JSON.stringify({ plan, solution }),
  });
  return fileAnswer(response);
}

/** The sample CRM exports the service serves (data/crm/), as files to import. */
export async function sampleCrmFiles(): Promise<Pick<ImportFiles, "accounts" | "reps" | "opportunities">> {
  const fetchFile = async (name: string): Promise<File> => {
    const response = await fetch(`/samples/crm/${name}`);
    if (!response.ok) throw new ApiError(`The sample ${name} could not be loaded (${response.status}).`, response.status, []);
    return new File([await response.blob()], name, { type: "text/csv" });
  };
  const [accounts, reps, opportunities] = await Promise.all([fetchFile("accounts.csv"), fetchFile("users.csv"), fetchFile("opportunities.csv")]);
  return { accounts, reps, opportunities };
}

/** Where a saved version's assignments download from. */
export function planExportUrl(planId: string, format: ExportFormat): string {
  return `/v1/plans/${encodeURIComponent(planId)}/assignments.${format}`;
}
