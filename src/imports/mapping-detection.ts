import type { AccountColumns, ImportMapping, OpportunityColumns, RepColumns, ValueRule } from "../../models/index.ts";

/** A header compared without case, spaces, `_`, `-` and `.`: `Annual Revenue` = `AnnualRevenue` = `annual_revenue`. */
export function headerKey(header: string): string {
  return header.toLowerCase().replace(/[\s_.-]+/g, "");
}

type Synonyms<T> = { [K in keyof T]-?: readonly string[] };

/** Salesforce first, then HubSpot, then common spellings; keys compared by headerKey. */
const ACCOUNT: Synonyms<AccountColumns> = {
  id: ["Id", "Account Id", "AccountId", "Record ID", "Company ID", "Customer ID", "id"],
  name: ["Name", "Account Name", "Company name", "Company", "Customer name"],
  owner: ["OwnerId", "Owner Id", "Account Owner", "Company owner", "Owner", "HubSpot Owner", "currentRep", "Current owner"],
  value: ["AnnualRevenue", "Annual Revenue", "Revenue", "Value", "Potential", "Expected Revenue"],
  segment: ["Industry", "Segment", "Vertical"],
  territory: ["Territory__c", "Territory", "Sales Territory", "Region"],
  workload: ["Workload__c", "Workload", "Effort"],
  needs: ["Needs__c", "Needs"],
  requires: ["Requires__c", "Requires"],
  latitude: ["BillingLatitude", "ShippingLatitude", "Latitude", "Lat"],
  longitude: ["BillingLongitude", "ShippingLongitude", "Longitude", "Lon", "Lng"],
};

const REP: Synonyms<RepColumns> = {
  id: ["Id", "User Id", "UserId", "Owner ID", "OwnerId", "HubSpot Owner ID", "Rep ID", "id"],
  name: ["Name", "Full Name", "Owner name", "Rep name"],
  email: ["Email", "Email Address"],
  active: ["IsActive", "Active"],
  territories: ["Territories__c", "Territory__c", "Territories", "Territory", "Region"],
  specialties: ["Specialties__c", "Specialties", "Skills"],
  seniority: ["Seniority__c", "Seniority", "Level"],
  maxAccounts: ["MaxAccounts__c", "Max Accounts", "Capacity", "Max accounts"],
  minAccounts: ["MinAccounts__c", "Min Accounts"],
  maxWorkload: ["MaxWorkload__c", "Max Workload"],
  quota: ["Quota__c", "Quota", "Annual Quota"],
  latitude: ["Latitude", "Latitude__c", "Lat"],
  longitude: ["Longitude", "Longitude__c", "Lon", "Lng"],
};

const OPPORTUNITY: Synonyms<OpportunityColumns> = {
  id: ["Id", "Opportunity Id", "Record ID", "Deal ID"],
  owner: ["OwnerId", "Opportunity Owner", "Deal owner", "Owner"],
  account: ["AccountId", "Account Id", "Associated Company", "Associated Company ID", "Company"],
  segment: ["Segment", "Industry"],
  amount: ["Amount"],
  closeDate: ["CloseDate", "Close Date"],
};

function pick<T>(headers: readonly string[], synonyms: Synonyms<T>): Partial<Record<keyof T, string>> {
  const byKey = new Map<string, string>();
  for (const h of headers) if (!byKey.has(headerKey(h))) byKey.set(headerKey(h), h);
  const out: Partial<Record<keyof T, string>> = {};
  const used = new Set<string>();
  for (const field of Object.keys(synonyms) as (keyof T)[]) {
    for (const name of synonyms[field]) {
      const found = byKey.get(headerKey(name));
      if (found !== undefined && !used.has(found)) {
        out[field] = found;
        used.add(found);
        break;
      }
    }
  }
  return out;
}

const has = (headers: readonly string[], name: string) => headers.some((h) => headerKey(h) === headerKey(name));

/** The won (and closed) rule from the opportunity headers: `IsWon`, else a stage column with the usual won stage names. */
function wonRule(headers: readonly string[]): { won: ValueRule; closed?: ValueRule } | null {
  const column = (name: string) => headers.find((h) => headerKey(h) === headerKey(name));
  const isWon = column("IsWon");
  const isClosed = column("IsClosed");
  const stage = column("StageName") ?? column("Deal Stage") ?? column("Stage");
  const closedRule = isClosed !== undefined ? { closed: { column: isClosed, values: ["true", "1", "yes"] } } : stage !== undefined ? { closed: { column: stage, values: ["Closed Won", "Closed Lost", "closedwon", "closedlost", "Won", "Lost"] } } : {};
  if (isWon !== undefined) return { won: { column: isWon, values: ["true", "1", "yes"] }, ...closedRule };
  if (stage !== undefined) return { won: { column: stage, values: ["Closed Won", "closedwon", "Won"] }, ...closedRule };
  return null;
}

export interface DetectionInput {
  accounts: readonly string[];
  reps: readonly string[];
  opportunities?: readonly string[];
}

export type Detection = { ok: true; mapping: ImportMapping } | { ok: false; problems: { file: "accounts" | "reps" | "opportunities"; message: string }[] };

/**
 * The mapping from the files' headers: Salesforce exports (Account `Id, Name, OwnerId, Industry,
 * AnnualRevenue, BillingLatitude, BillingLongitude`, User `Id, Name, Email, IsActive`, Opportunity
 * `Id, AccountId, OwnerId, StageName, Amount, IsWon, CloseDate`), HubSpot exports (`Record ID,
 * Company name, Company owner, Industry, Annual Revenue`; deals `Deal Stage, Amount, Close Date, Deal
 * owner, Associated Company`) and common spellings. Fails naming each required column not found.
 */
export function detectMapping(input: DetectionInput): Detection {
  const problems: { file: "accounts" | "reps" | "opportunities"; message: string }[] = [];
  const accounts = pick(input.accounts, ACCOUNT);
  const reps = pick(input.reps, REP);
  if (accounts.id === undefined) problems.push({ file: "accounts", message: `no id column found among ${JSON.stringify(input.accounts.slice(0, 20))}: name it in the mapping (accounts.id)` });
  if (reps.id === undefined) problems.push({ file: "reps", message: `no id column found among ${JSON.stringify(input.reps.slice(0, 20))}: name it in the mapping (reps.id)` });
  let opportunities: ImportMapping["opportunities"];
  if (input.opportunities !== undefined) {
    const columns = pick(input.opportunities, OPPORTUNITY);
    const rule = wonRule(input.opportunities);
    if (columns.owner === undefined) problems.push({ file: "opportunities", message: "no owner column found (OwnerId, Deal owner): name it in the mapping (opportunities.columns.owner)" });
    if (rule === null) problems.push({ file: "opportunities", message: "no won column found (IsWon, StageName, Deal Stage): give the rule in the mapping (opportunities.won)" });
    if (columns.owner !== undefined && rule !== null) opportunities = { columns: { ...columns, owner: columns.owner }, ...rule };
  }
  if (problems.length > 0 || accounts.id === undefined || reps.id === undefined) return { ok: false, problems };
  const all = [...input.accounts, ...input.reps, ...(input.opportunities ?? [])];
  const source = has(all, "Record ID") || has(all, "Company owner") || has(all, "Deal Stage") ? "hubspot" : has(input.accounts, "OwnerId") || has(input.accounts, "AnnualRevenue") ? "salesforce" : "custom";
  return { ok: true, mapping: { source, accounts: { ...accounts, id: accounts.id }, reps: { ...reps, id: reps.id }, ...(opportunities === undefined ? {} : { opportunities }) } };
}
