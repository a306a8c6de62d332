/** Shared fixtures of the what-if suites (scenarios, reassignment, baselines, explanations). */
import { loadConfig } from "../api/config.ts";
import { buildOpenApiDocument } from "../api/openapi.ts";
import { Plan } from "../models/index.ts";
import { checkSchema, type Schema, type SchemaProblem } from "./json-schema-check.ts";

/**
 * Eight customers in two territories, four reps (r4 covers both), with current owners, workloads,
 * specialties and a value band: small enough for exact solves in milliseconds.
 */
export const smallBook = Plan.parse({
  customers: [
    { id: "c1", value: 90000, territory: "north", segment: "ent", workload: 3, needs: ["erp"], currentRep: "r1" },
    { id: "c2", value: 40000, territory: "north", segment: "smb", workload: 1, currentRep: "r1" },
    { id: "c3", value: 25000, territory: "north", segment: "smb", workload: 1, currentRep: "r2" },
    { id: "c4", value: 70000, territory: "north", segment: "ent", workload: 2, requires: ["erp"], currentRep: "r1" },
    { id: "c5", value: 60000, territory: "south", segment: "ent", workload: 2, needs: ["cloud"], currentRep: "r3" },
    { id: "c6", value: 30000, territory: "south", segment: "smb", workload: 1, currentRep: "r3" },
    { id: "c7", value: 15000, territory: "south", segment: "smb", workload: 1, currentRep: "r4" },
    { id: "c8", value: 50000, territory: "south", segment: "ent", workload: 2 },
  ],
  reps: [
    { id: "r1", territories: ["north"], specialties: ["erp"], seniority: 2, maxAccounts: 3, maxWorkload: 6 },
    { id: "r2", territories: ["north"], specialties: ["cloud"], seniority: 0, maxAccounts: 3, maxWorkload: 5 },
    { id: "r3", territories: ["south"], specialties: ["cloud"], seniority: 1, maxAccounts: 3, maxWorkload: 6 },
    { id: "r4", territories: ["north", "south"], specialties: ["erp", "cloud"], seniority: 3, maxAccounts: 3, maxWorkload: 6 },
  ],
  history: [
    { rep: "r1", segment: "ent", wins: 6, attempts: 10 },
    { rep: "r2", segment: "smb", wins: 5, attempts: 10 },
    { rep: "r3", segment: "ent", wins: 2, attempts: 10 },
    { rep: "r4", segment: "ent", wins: 5, attempts: 10 },
    { rep: "r4", segment: "smb", wins: 3, attempts: 10 },
  ],
  policy: { fairness: { valueBand: 0.9 }, stability: { movePenalty: 500 }, mipGap: 0, timeLimitMs: 20_000 },
});

/** Checks a value against a component of the generated OpenAPI document. */
export function openApiChecker(): (value: unknown, component: string) => SchemaProblem[] {
  const document = buildOpenApiDocument(loadConfig({ ALLOT_POOL_SIZE: "1" }));
  const components: Record<string, Schema> = document.components.schemas;
  return (value, component) => {
    const schema = components[component];
    if (schema === undefined) throw new Error(`no component ${component}`);
    return checkSchema(value, schema, components);
  };
}
