/**
 * The OpenAPI operations of the workspace's files (the route table, endpoints.ts, places them):
 * POST /v1/imports (CRM exports as CSV or .xlsx → a Plan, the mapping used and the data-quality
 * report), POST /v1/exports and GET /v1/plans/{id}/assignments.csv|.xlsx (a solved plan → a CRM bulk
 * update CSV or an Excel workbook). docs/workspace.md describes both.
 */
import type { z } from "zod";
import * as models from "../models/index.ts";
import { HEADERS, problemResponse, ref, type Operation, type OperationContext, type ParameterObject, type ResponseObject } from "./openapi-parts.ts";

type Entry = readonly [z.ZodType, { id: string }];

export const IMPORTS_INPUT_SCHEMAS: readonly Entry[] = [[models.ExportRequest, { id: "ExportRequest" }]];

export const IMPORTS_OUTPUT_SCHEMAS: readonly Entry[] = [
  [models.ImportResult, { id: "ImportResult" }],
  [models.ImportMapping, { id: "ImportMapping" }],
  [models.AccountColumns, { id: "AccountColumns" }],
  [models.RepColumns, { id: "RepColumns" }],
  [models.OpportunityColumns, { id: "OpportunityColumns" }],
  [models.ValueRule, { id: "ValueRule" }],
  [models.DataQualityReport, { id: "DataQualityReport" }],
  [models.DataQualityIssue, { id: "DataQualityIssue" }],
  [models.DataQualityExample, { id: "DataQualityExample" }],
  [models.DataQualityKind, { id: "DataQualityKind" }],
  [models.ImportFileName, { id: "ImportFileName" }],
  [models.ExportFormat, { id: "ExportFormat" }],
];

export const IMPORTS_TAGS = [{ name: "files", description: "CRM files in and out: import CSV or Excel exports into a plan, export a solved plan for a CRM bulk update." }];

const FORMAT_PARAMETER: ParameterObject = {
  name: "format",
  in: "query",
  required: false,
  description: "csv or xlsx; wins over `Accept` (text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet). Default csv.",
  schema: ref("ExportFormat"),
};

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const fileResponses = (what: string): Record<string, ResponseObject> => ({
  "200": {
    description:
      `${what} CSV: \`AccountId,OwnerId,PreviousOwnerId,Moved,Reason,ExpectedValue\`, one row per customer (OwnerId empty when unassigned), ready for a CRM bulk update. ` +
      "Excel: sheets Assignments, Reps (loads, capacity, fair share), Moves (with reasons) and Summary (status, objective, bound, gap, uplift over the classic methods). " +
      "Text cells starting with =, +, -, @, tab or CR are prefixed with an apostrophe so no spreadsheet runs them as formulas.",
    headers: { "x-request-id": HEADERS.requestId, "Content-Disposition": { description: "attachment; filename=assignments.csv or .xlsx", schema: { type: "string" } } },
    content: { "text/csv": { schema: { type: "string" } }, [XLSX]: { schema: { type: "string", contentEncoding: "binary" } } },
  },
});

export function importOperation(c: OperationContext): Operation {
  return {
    operationId: "importFiles",
    summary: "Import CRM exports (CSV or Excel) into a plan",
    description:
      "multipart/form-data with the files `accounts` and `reps` (required) and `opportunities` (optional, closed deals), each `.csv` (UTF-8 or Latin-1, `,` `;` or tab separated, " +
      "quoted newlines allowed) or `.xlsx` (the first sheet); the optional fields `mapping` (JSON text of an ImportMapping: the one a previous import returned, edited or not) and " +
      "`policy` (JSON text of a Policy, placed in the plan). Without `mapping` the columns are detected from Salesforce and HubSpot export headers. " +
      "Opportunities are counted per rep and segment (the account's) into the plan's history: wins by the mapping's won rule. " +
      `Answers 200 with the Plan (validated like /v1/solve's body), the mapping used and the data-quality report. At most ${c.config.importLimitBytes} bytes per request (ALLOT_IMPORT_LIMIT).`,
    tags: ["files"],
    requestBody: {
      required: true,
      description: "The files and optional fields.",
      content: {
        "multipart/form-data": {
          schema: {
            type: "object",
            required: ["accounts", "reps"],
            properties: {
              accounts: { type: "string", contentEncoding: "binary", description: "Accounts: one row per customer." },
              reps: { type: "string", contentEncoding: "binary", description: "Reps (users or owners): one row per rep." },
              opportunities: { type: "string", contentEncoding: "binary", description: "Closed deals: one row per deal." },
              mapping: { type: "string", description: "JSON text of an ImportMapping." },
              policy: { type: "string", description: "JSON text of a Policy." },
            },
          },
        },
      },
    },
    responses: {
      "200": {
        description: "The plan, the mapping used and the data-quality report.",
        headers: { "x-request-id": HEADERS.requestId, "Server-Timing": HEADERS.serverTiming },
        content: { "application/json": { schema: ref("ImportResult") } },
      },
      ...c.commonErrors,
      "400": problemResponse(["bad-request"]),
      "413": problemResponse(["payload-too-large"]),
      "415": problemResponse(["unsupported-media-type", "unreadable-file"]),
      "422": problemResponse(["invalid-import", "invalid-plan", "plan-too-large"]),
    },
  };
}

export function exportOperation(c: OperationContext): Operation {
  return {
    operationId: "exportSolution",
    summary: "Export a solved plan as CSV or Excel",
    description: `The body is \`{ plan, solution }\` (a plan and the Solution /v1/solve returned for it). ${c.limitsText}`,
    tags: ["files"],
    parameters: [FORMAT_PARAMETER],
    requestBody: { required: true, description: "The plan and its Solution.", content: { "application/json": { schema: ref("ExportRequest") } } },
    responses: { ...fileResponses("The assignments."), ...c.bodyErrors, "400": problemResponse(["malformed-json", "bad-request", "invalid-query"]), "422": problemResponse(["invalid-request"]) },
  };
}

const PLAN_ID: ParameterObject = { name: "id", in: "path", required: true, description: "The plan's id.", schema: { type: "string" } };

export function savedPlanCsvOperation(c: OperationContext): Operation {
  return {
    operationId: "exportSavedPlanCsv",
    summary: "A saved plan's assignments as CSV",
    description: "The saved version's own customers as solved (routed customers are not part of the export).",
    tags: ["files"],
    parameters: [PLAN_ID],
    responses: { ...fileResponses("The assignments."), ...c.commonErrors, "404": problemResponse(["plan-not-found"]) },
  };
}

export function savedPlanXlsxOperation(c: OperationContext): Operation {
  return { ...savedPlanCsvOperation(c), operationId: "exportSavedPlanXlsx", summary: "A saved plan's assignments as an Excel workbook" };
}
