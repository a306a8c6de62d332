import type { Customer, Plan, Rep } from "../../models/index.ts";
import type { CellValue } from "../formats/csv-writer.ts";

/** A table to write as CSV or as an .xlsx sheet. */
export interface CrmTable {
  header: string[];
  rows: CellValue[][];
}

export const ACCOUNT_HEADER = ["Id", "Name", "OwnerId", "Industry", "AnnualRevenue", "BillingLatitude", "BillingLongitude", "Territory__c", "Workload__c", "Needs__c", "Requires__c"];
export const USER_HEADER = ["Id", "Name", "Email", "IsActive", "Territories__c", "Specialties__c", "Seniority__c", "MaxAccounts__c", "MinAccounts__c", "MaxWorkload__c", "Quota__c", "Latitude", "Longitude"];
export const OPPORTUNITY_HEADER = ["Id", "AccountId", "OwnerId", "StageName", "Amount", "IsWon", "IsClosed", "CloseDate"];

const list = (items: readonly string[] | undefined) => (items === undefined ? "" : items.join(";"));
const opt = (x: number | undefined): CellValue => x ?? null;

function accountRow(c: Customer): CellValue[] {
  return [c.id, `Account ${c.id}`, c.currentRep ?? "", c.segment ?? "", c.value, opt(c.location?.lat), opt(c.location?.lon), c.territory ?? "", opt(c.workload), list(c.needs), list(c.requires)];
}

function userRow(r: Rep): CellValue[] {
  return [r.id, `Rep ${r.id}`, `${r.id}@example.com`, r.available === false ? "false" : "true", list(r.territories), list(r.specialties), opt(r.seniority), opt(r.maxAccounts), opt(r.minAccounts), opt(r.maxWorkload), opt(r.quota), opt(r.location?.lat), opt(r.location?.lon)];
}

const DAY_MS = 86_400_000;
const FIRST_CLOSE = Date.UTC(2026, 0, 1);

/**
 * A plan as the three files a CRM exports, with Salesforce headers (custom fields for what a CRM has
 * no standard field for: `Territory__c`, `MaxAccounts__c`, …): accounts (Account), reps (User) and
 * one closed opportunity per attempt of the plan's history (won ones first), each on an account of
 * the outcome's segment so that importing the files gives the same history back. Throws when an
 * outcome's segment has no account (the segment could not be carried by an opportunity).
 */
export function planToCrmTables(plan: Plan): { accounts: CrmTable; users: CrmTable; opportunities: CrmTable } {
  const accountOfSegment = new Map<string, Customer>();
  for (const c of plan.customers) if (c.segment !== undefined && !accountOfSegment.has(c.segment)) accountOfSegment.set(c.segment, c);
  const opportunities: CellValue[][] = [];
  for (const o of plan.history ?? []) {
    const account = o.segment === undefined ? undefined : accountOfSegment.get(o.segment);
    if (o.segment !== undefined && account === undefined) throw new Error(`history of rep ${o.rep} in segment "${o.segment}": no account has that segment`);
    for (let k = 0; k < o.attempts; k += 1) {
      const won = k < o.wins;
      const n = opportunities.length + 1;
      const close = new Date(FIRST_CLOSE + (n % 360) * DAY_MS).toISOString().slice(0, 10);
      opportunities.push([`OPP-${String(n).padStart(6, "0")}`, account?.id ?? "", o.rep, won ? "Closed Won" : "Closed Lost", account === undefined ? null : Math.round(account.value / 10), won ? "true" : "false", "true", close]);
    }
  }
  return {
    accounts: { header: ACCOUNT_HEADER, rows: plan.customers.map(accountRow) },
    users: { header: USER_HEADER, rows: plan.reps.map(userRow) },
    opportunities: { header: OPPORTUNITY_HEADER, rows: opportunities },
  };
}
