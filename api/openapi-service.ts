/** The OpenAPI operations of the service itself: liveness, readiness, the document and its HTML page. */
import { problemResponse, ref, type Operation } from "./openapi-parts.ts";

export const SERVICE_TAGS = [{ name: "operations", description: "Health, readiness and this documentation." }];

export function healthOperation(): Operation {
  return {
    operationId: "health",
    summary: "Liveness",
    description: "200 while the process can answer; it never waits for the solve pool.",
    tags: ["operations"],
    responses: { "200": { description: "Alive.", content: { "application/json": { schema: ref("HealthStatus") } } } },
  };
}

export function readinessOperation(): Operation {
  return {
    operationId: "readiness",
    summary: "Readiness",
    description: "200 with the pool's load while the service takes work; 503 once it is shutting down, or while its database cannot be reached.",
    tags: ["operations"],
    responses: {
      "200": { description: "Ready.", content: { "application/json": { schema: ref("ReadinessStatus") } } },
      "503": problemResponse(["shutting-down", "database-unavailable"]),
    },
  };
}

export function openApiDocumentOperation(): Operation {
  return {
    operationId: "openApiDocument",
    summary: "This document",
    description: "The OpenAPI 3.1 document, generated from the service's zod schemas.",
    tags: ["operations"],
    responses: { "200": { description: "The OpenAPI document.", content: { "application/json": { schema: { type: "object" } } } } },
  };
}

export function docsPageOperation(): Operation {
  return {
    operationId: "docsPage",
    summary: "Human-readable API documentation",
    description: "An HTML page rendered from this document, including the catalogue of problem types.",
    tags: ["operations"],
    responses: { "200": { description: "The documentation page.", content: { "text/html": { schema: { type: "string" } } } } },
  };
}

export function workspacePageOperation(): Operation {
  return {
    operationId: "workspacePage",
    summary: "The planner's workspace page",
    description:
      "An HTML page (scripts and styles from /page/assets/, nothing from the internet) to load a plan, set the policy, solve with live progress, read the results, weigh moves against value, run what-ifs and publish versions. See docs/workspace.md.",
    tags: ["operations"],
    responses: { "200": { description: "The workspace page.", content: { "text/html": { schema: { type: "string" } } } } },
  };
}

export function sampleBookOperation(): Operation {
  return {
    operationId: "sampleBook",
    summary: "The sample plan",
    description: "data/sample-book.json (300 customers, 12 reps): what the workspace's \"Try the sample\" loads.",
    tags: ["operations"],
    responses: { "200": { description: "A Plan.", content: { "application/json": { schema: ref("Plan") } } } },
  };
}

const CRM_SAMPLES = {
  "accounts.csv": { operationId: "sampleCrmAccounts", what: "the accounts file (300 accounts, Salesforce `Account` headers)" },
  "users.csv": { operationId: "sampleCrmUsers", what: "the reps file (12 reps, Salesforce `User` headers)" },
  "opportunities.csv": { operationId: "sampleCrmOpportunities", what: "the closed opportunities file (Salesforce `Opportunity` headers)" },
} as const;

/** GET /samples/crm/{accounts,users,opportunities}.csv. */
export function sampleCrmOperation(file: keyof typeof CRM_SAMPLES): () => Operation {
  const sample = CRM_SAMPLES[file];
  return () => ({
    operationId: sample.operationId,
    summary: `Sample CRM export: ${file}`,
    description: `data/crm/${file}, ${sample.what}: one of the files the workspace's "Try the sample CSVs" posts to POST /v1/imports.`,
    tags: ["operations"],
    responses: { "200": { description: "A CSV file.", content: { "text/csv": { schema: { type: "string" } } } } },
  });
}
