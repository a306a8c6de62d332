/** Shared set-up of the import tests: tables from CSV text, the sample CRM files, a plan compared without key order. */
import { readFileSync } from "node:fs";
import { Plan } from "../models/index.ts";
import { readCsvTable } from "../src/formats/csv-table.ts";
import type { Table } from "../src/formats/table.ts";

export const csv = (text: string): Table => readCsvTable(new TextEncoder().encode(text));

export const crmFile = (name: string): Buffer => readFileSync(new URL(`../data/crm/${name}`, import.meta.url));

export const samplePlan = (): Plan => Plan.parse(JSON.parse(readFileSync(new URL("../data/sample-book.json", import.meta.url), "utf8")));

/** JSON with sorted keys and the history sorted by rep and segment: the same plan whatever the order of keys and outcomes. */
export function canonicalPlan(plan: Plan): string {
  const sortKeys = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sortKeys) : x !== null && typeof x === "object" ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sortKeys((x as Record<string, unknown>)[k])])) : x;
  const history = [...(plan.history ?? [])].sort((a, b) => `${a.rep}\u0000${a.segment ?? ""}`.localeCompare(`${b.rep}\u0000${b.segment ?? ""}`));
  return JSON.stringify(sortKeys({ ...plan, history }));
}
