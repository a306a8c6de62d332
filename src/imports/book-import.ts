/**
 * From CRM exports to a Plan and its data-quality report (docs/workspace.md): the accounts, reps
 * and (optional) closed opportunities as tables, a mapping (given, or detected from the headers), an
 * optional policy. Every row that is not imported, and every value the import changed or left out,
 * is a finding of the report; the plan is validated like the body of /v1/solve.
 */
import type { Customer, DataQualityReport, FieldError, ImportFileName, ImportMapping, Outcome, Plan, Rep } from "../../models/index.ts";
import { ImportMapping as ImportMappingSchema } from "../../models/index.ts";
import type { Table, TableRow } from "../formats/table.ts";
import { parsePlan } from "../plan/parse-plan.ts";
import { CellChecks } from "./cell-checks.ts";
import { normalisedName, parseBoolean, parseList } from "./cell-values.ts";
import { aggregateDeals } from "./deal-history.ts";
import { unplaceableCustomers } from "./unplaceable-customers.ts";
import { detectMapping } from "./mapping-detection.ts";
import { OwnerLookup } from "./owner-lookup.ts";
import { QualityFindings } from "./quality-findings.ts";
import { SegmentSpellings } from "./segment-spellings.ts";
import { bindColumns, missingHeaders } from "./table-columns.ts";

export interface BookFiles {
  accounts: Table;
  reps: Table;
  opportunities?: Table;
}

export type BookImport =
  | { ok: true; plan: Plan; mapping: ImportMapping; report: DataQualityReport }
  | { ok: false; kind: "invalid-import" | "invalid-plan"; detail: string; errors: FieldError[] };

/** A value more than this many times the median is reported as extreme. */
export const EXTREME_FACTOR = 100;

function invalid(kind: "invalid-import" | "invalid-plan", errors: FieldError[]): BookImport {
  const n = errors.length;
  return { ok: false, kind, detail: `The import has ${n} problem${n === 1 ? "" : "s"}; see errors.`, errors };
}

function mappingProblems(files: BookFiles, mapping: ImportMapping): FieldError[] {
  const out: FieldError[] = [];
  const check = (file: ImportFileName, table: Table | undefined, columns: Partial<Record<string, string>>, prefix: string) => {
    if (table === undefined) return;
    for (const m of missingHeaders(table, columns)) out.push({ path: `mapping.${prefix}.${m.field}`, message: `the ${file} file has no column "${m.header}"` });
  };
  check("accounts", files.accounts, mapping.accounts, "accounts");
  check("reps", files.reps, mapping.reps, "reps");
  if (mapping.opportunities !== undefined) {
    check("opportunities", files.opportunities, mapping.opportunities.columns, "opportunities.columns");
    check("opportunities", files.opportunities, { column: mapping.opportunities.won.column }, "opportunities.won");
    if (mapping.opportunities.closed !== undefined) check("opportunities", files.opportunities, { column: mapping.opportunities.closed.column }, "opportunities.closed");
  }
  return out;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export function importBook(files: BookFiles, options: { mapping?: unknown; policy?: unknown } = {}): BookImport {
  // The mapping: given (checked against its schema and the files) or detected.
  let mapping: ImportMapping;
  if (options.mapping !== undefined) {
    const parsed = ImportMappingSchema.safeParse(options.mapping);
    if (!parsed.success) return invalid("invalid-import", parsed.error.issues.map((i) => ({ path: ["mapping", ...i.path].join("."), message: i.message })));
    mapping = parsed.data;
    const problems = mappingProblems(files, mapping);
    if (problems.length > 0) return invalid("invalid-import", problems);
  } else {
    const detected = detectMapping({ accounts: files.accounts.header, reps: files.reps.header, ...(files.opportunities === undefined ? {} : { opportunities: files.opportunities.header }) });
    if (!detected.ok) return invalid("invalid-import", detected.problems.map((p) => ({ path: p.file, message: p.message })));
    mapping = detected.mapping;
  }
  if (files.opportunities !== undefined && mapping.opportunities === undefined) {
    return invalid("invalid-import", [{ path: "mapping.opportunities", message: "an opportunities file was sent: the mapping needs its columns and won rule" }]);
  }

  const findings = new QualityFindings();

  // Reps.
  const repColumns = bindColumns("reps", files.reps, mapping.reps, findings);
  const repCells = new CellChecks(repColumns, findings);
  const reps: Rep[] = [];
  const owners = new OwnerLookup();
  const repRow = new Map<string, number>();
  for (const row of files.reps.rows) {
    const id = repCells.text(row, "id");
    if (id === "" || id.length > 128) {
      findings.add(id === "" ? "missing-value" : "unparsable-value", "error", "row skipped", { file: "reps", row: row.row, column: repColumns.header("id"), value: id, message: id === "" ? "no rep id" : "id longer than 128 characters" });
      continue;
    }
    const first = repRow.get(id);
    if (first !== undefined) {
      findings.add("duplicate-id", "error", "row skipped (the first row with the id is kept)", { file: "reps", row: row.row, column: repColumns.header("id"), value: id, message: `same id as row ${first}` });
      continue;
    }
    repRow.set(id, row.row);
    const rep: Rep = { id };
    const territories = parseList(repCells.text(row, "territories"));
    if (territories.length > 0) rep.territories = territories;
    const specialties = parseList(repCells.text(row, "specialties"));
    if (specialties.length > 0) rep.specialties = specialties;
    const seniority = repCells.number(row, "seniority");
    if (seniority !== undefined) rep.seniority = seniority;
    const maxAccounts = repCells.number(row, "maxAccounts", { integer: true });
    if (maxAccounts !== undefined) rep.maxAccounts = maxAccounts;
    const minAccounts = repCells.number(row, "minAccounts", { integer: true });
    if (minAccounts !== undefined) {
      if (maxAccounts !== undefined && minAccounts > maxAccounts) {
        findings.add("unparsable-value", "warning", "left out", { file: "reps", row: row.row, column: repColumns.header("minAccounts"), value: String(minAccounts), message: `more than the rep's max accounts (${maxAccounts})` });
      } else rep.minAccounts = minAccounts;
    }
    const maxWorkload = repCells.number(row, "maxWorkload");
    if (maxWorkload !== undefined) rep.maxWorkload = maxWorkload;
    const quota = repCells.number(row, "quota");
    if (quota !== undefined) rep.quota = quota;
    const location = repCells.location(row, "latitude", "longitude");
    if (location !== undefined) rep.location = location;
    const activeText = repColumns.cell(row, "active");
    if (activeText !== "") {
      const active = parseBoolean(activeText);
      if (active === null) findings.add("unparsable-value", "warning", "rep kept available", { file: "reps", row: row.row, column: repColumns.header("active"), value: activeText, message: "not true or false" });
      else if (!active) rep.available = false;
    }
    owners.add(id, repColumns.cell(row, "name"), repColumns.cell(row, "email"));
    reps.push(rep);
  }

  // Accounts: first pass for segment spellings.
  const accountColumns = bindColumns("accounts", files.accounts, mapping.accounts, findings);
  const accountCells = new CellChecks(accountColumns, findings);
  const segments = new SegmentSpellings();
  for (const row of files.accounts.rows) segments.count(accountColumns.cell(row, "segment"));
  const opportunityColumnsForSegments = files.opportunities !== undefined && mapping.opportunities?.columns.segment !== undefined ? mapping.opportunities.columns.segment : undefined;
  if (files.opportunities !== undefined && opportunityColumnsForSegments !== undefined) {
    const at = files.opportunities.header.indexOf(opportunityColumnsForSegments);
    for (const row of files.opportunities.rows) segments.count((row.cells[at] ?? "").trim());
  }

  const customers: Customer[] = [];
  const customerRow = new Map<string, number>();
  const firstByName = new Map<string, { id: string; row: number; name: string }>();
  const sameName = new Map<string, { id: string; row: number; name: string }[]>();
  const accountOf = new Map<string, Customer>();
  const accountByName = new Map<string, Customer>();
  const valued: { value: number; row: TableRow; id: string }[] = [];
  for (const row of files.accounts.rows) {
    const id = accountCells.text(row, "id");
    if (id === "" || id.length > 128) {
      findings.add(id === "" ? "missing-value" : "unparsable-value", "error", "row skipped", { file: "accounts", row: row.row, column: accountColumns.header("id"), value: id, message: id === "" ? "no account id" : "id longer than 128 characters" });
      continue;
    }
    const first = customerRow.get(id);
    if (first !== undefined) {
      findings.add("duplicate-id", "error", "row skipped (the first row with the id is kept)", { file: "accounts", row: row.row, column: accountColumns.header("id"), value: id, message: `same id as row ${first}` });
      continue;
    }
    customerRow.set(id, row.row);
    const value = accountCells.number(row, "value", { fallback: accountColumns.header("value") === null ? 1 : 0, required: true }) ?? 0;
    const customer: Customer = { id, value };
    valued.push({ value, row, id });
    const name = accountCells.text(row, "name");
    const nameKey = name === "" ? "" : normalisedName(name);
    if (nameKey !== "") {
      const first = firstByName.get(nameKey);
      if (first === undefined) firstByName.set(nameKey, { id, row: row.row, name });
      else {
        const list = sameName.get(nameKey) ?? [first];
        list.push({ id, row: row.row, name });
        sameName.set(nameKey, list);
      }
    }
    const territory = accountCells.text(row, "territory");
    if (territory !== "") customer.territory = territory;
    const segment = accountCells.text(row, "segment");
    if (segment !== "") customer.segment = segments.canonical(segment);
    const needs = parseList(accountCells.text(row, "needs"));
    if (needs.length > 0) customer.needs = needs;
    const requires = parseList(accountCells.text(row, "requires"));
    if (requires.length > 0) customer.requires = requires;
    const workload = accountCells.number(row, "workload");
    if (workload !== undefined) customer.workload = workload;
    const location = accountCells.location(row, "latitude", "longitude");
    if (location !== undefined) customer.location = location;
    const owner = accountCells.text(row, "owner");
    if (owner !== "") {
      const match = owners.find(owner);
      const where = { file: "accounts" as const, row: row.row, column: accountColumns.header("owner"), value: owner };
      if (match === null) findings.add("unknown-owner", "warning", "imported without a current owner", { ...where, message: "no rep in the reps file has this id, name or email" });
      else {
        if (match.by === "name") findings.add("owner-matched-by-name", "info", "owner set to the rep's id", { ...where, message: `matched rep ${match.rep} by name or email` });
        customer.currentRep = match.rep;
      }
    }
    accountOf.set(id, customer);
    if (nameKey !== "" && !accountByName.has(nameKey)) accountByName.set(nameKey, customer);
    customers.push(customer);
  }

  for (const group of segments.merged()) {
    findings.add("segment-spelling", "warning", `merged into "${group.kept}"`, { file: "accounts", column: accountColumns.header("segment"), value: group.spellings.join(" | "), message: `${group.spellings.length} spellings of one segment` });
  }
  for (const list of sameName.values()) {
    findings.add("likely-duplicate-account", "info", "both kept: merge them in the CRM if they are one account", {
      file: "accounts",
      row: list[1]?.row ?? null,
      column: accountColumns.header("name"),
      value: list.map((a) => `${a.id}: ${a.name}`).join(" | "),
      message: `${list.length} accounts with the same name once case, punctuation and legal suffixes are removed (rows ${list.map((a) => a.row).join(", ")})`,
    });
  }
  const typical = median(valued.filter((v) => v.value > 0).map((v) => v.value));
  if (typical > 0) {
    for (const v of valued) {
      if (v.value > EXTREME_FACTOR * typical) {
        findings.add("extreme-value", "info", "kept as is: check it", { file: "accounts", row: v.row.row, column: accountColumns.header("value"), value: String(v.value), message: `more than ${EXTREME_FACTOR}× the median value (${typical})` });
      }
    }
  }

  // Opportunities → history.
  let history: Outcome[] = [];
  let deals = 0;
  let opportunityRows = 0;
  if (files.opportunities !== undefined && mapping.opportunities !== undefined) {
    opportunityRows = files.opportunities.rows.length;
    const aggregated = aggregateDeals(files.opportunities, mapping.opportunities, { owners, accountOf, accountByName, segments, findings, repOrder: reps.map((r) => r.id) });
    history = aggregated.history;
    deals = aggregated.deals;
  }
  const withHistory = new Set(history.filter((o) => o.attempts > 0).map((o) => o.rep));
  for (const rep of reps) {
    if (!withHistory.has(rep.id)) {
      findings.add("cold-start-rep", "info", "conversion estimated from the segment and global rates until the rep has deals", { file: "reps", row: repRow.get(rep.id) ?? null, value: rep.id, message: "no closed deal of this rep" });
    }
  }

  const document: Record<string, unknown> = { customers, reps };
  if (history.length > 0) document.history = history;
  if (options.policy !== undefined) document.policy = options.policy;
  const parsed = parsePlan(document);
  if (!parsed.ok) return invalid("invalid-plan", parsed.errors);
  const plan = parsed.plan;

  for (const c of unplaceableCustomers(plan)) {
    findings.add("no-eligible-rep", "warning", "kept: the solve reports it (infeasible unless policy.allowUnassigned)", {
      file: "accounts",
      row: customerRow.get(c.customer) ?? null,
      value: c.customer,
      message: c.why,
    });
  }

  const report: DataQualityReport = {
    rows: { accounts: files.accounts.rows.length, reps: files.reps.rows.length, opportunities: opportunityRows },
    imported: { customers: customers.length, reps: reps.length, deals, historyRows: history.length },
    issues: findings.list(),
  };
  return { ok: true, plan, mapping, report };
}
