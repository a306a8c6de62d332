/**
 * The sample book as a planner would have it from a CRM: `data/crm/` holds `accounts.csv`,
 * `users.csv` and `opportunities.csv` with Salesforce export headers (one closed opportunity per
 * attempt of the book's history), and `accounts.xlsx` (the accounts as an Excel workbook). Importing
 * them (POST /v1/imports, or the CLI) gives back the customers, reps and history of
 * `sample-book.json`; add its policy to get the whole plan. Run: `npx tsx data/crm-export.ts`.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { Plan } from "../models/index.ts";
import { planToCrmTables } from "../src/exports/crm-files.ts";
import { writeCsv } from "../src/formats/csv-writer.ts";
import { writeXlsx } from "../src/formats/xlsx-writer.ts";

export const CRM_DIR = new URL("./crm/", import.meta.url);

/** The three CSV files' text, by file name. */
export function sampleCrmCsv(): Record<"accounts.csv" | "users.csv" | "opportunities.csv", string> {
  const plan = Plan.parse(JSON.parse(readFileSync(new URL("./sample-book.json", import.meta.url), "utf8")));
  const t = planToCrmTables(plan);
  return {
    "accounts.csv": writeCsv(t.accounts.header, t.accounts.rows),
    "users.csv": writeCsv(t.users.header, t.users.rows),
    "opportunities.csv": writeCsv(t.opportunities.header, t.opportunities.rows),
  };
}

async function main(): Promise<void> {
  mkdirSync(CRM_DIR, { recursive: true });
  for (const [name, text] of Object.entries(sampleCrmCsv())) writeFileSync(new URL(name, CRM_DIR), text);
  const plan = Plan.parse(JSON.parse(readFileSync(new URL("./sample-book.json", import.meta.url), "utf8")));
  const { accounts } = planToCrmTables(plan);
  writeFileSync(new URL("accounts.xlsx", CRM_DIR), await writeXlsx([{ name: "Accounts", header: accounts.header, rows: accounts.rows }]));
  process.stdout.write(`wrote ${CRM_DIR.pathname}: accounts.csv, users.csv, opportunities.csv, accounts.xlsx\n`);
}

if (import.meta.url === `file://${process.argv[1] ?? ""}`) await main();
