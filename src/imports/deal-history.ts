import type { Customer, ImportMapping, Outcome } from "../../models/index.ts";
import type { Table } from "../formats/table.ts";
import { looseKey, normalisedName, parseNumber } from "./cell-values.ts";
import type { OwnerLookup } from "./owner-lookup.ts";
import type { QualityFindings } from "./quality-findings.ts";
import type { SegmentSpellings } from "./segment-spellings.ts";

export interface DealContext {
  owners: OwnerLookup;
  /** Accounts by id. */
  accountOf: ReadonlyMap<string, Customer>;
  /** Accounts by normalised name (HubSpot deals name their company): the first of each name. */
  accountByName: ReadonlyMap<string, Customer>;
  segments: SegmentSpellings;
  findings: QualityFindings;
  /** Reps in file order: the history lists them in this order. */
  repOrder: readonly string[];
}

/**
 * Closed deals counted into the conversion history: one attempt per closed deal of a known rep,
 * a win when the mapping's won rule matches; the segment is the deal's own (when mapped) or its
 * account's; a deal with no segment counts in the rep's history without one. Open deals, deals of
 * unknown owners and repeated deal ids are reported and not counted.
 */
export function aggregateDeals(table: Table, mapping: NonNullable<ImportMapping["opportunities"]>, context: DealContext): { history: Outcome[]; deals: number } {
  const { owners, accountOf, accountByName, segments, findings } = context;
  const at = (header: string | undefined) => (header === undefined ? -1 : table.header.indexOf(header));
  const col = mapping.columns;
  const idAt = at(col.id);
  const ownerAt = at(col.owner);
  const accountAt = at(col.account);
  const segmentAt = at(col.segment);
  const amountAt = at(col.amount);
  const wonAt = at(mapping.won.column);
  const wonValues = new Set(mapping.won.values.map(looseKey));
  const closedAt = mapping.closed === undefined ? -1 : at(mapping.closed.column);
  const closedValues = new Set((mapping.closed?.values ?? []).map(looseKey));
  const cell = (cells: string[], i: number) => (i < 0 ? "" : (cells[i] ?? "").trim());

  const counts = new Map<string, Map<string, { wins: number; attempts: number }>>();
  const seen = new Map<string, number>();
  let deals = 0;
  const where = (row: number, column: string | undefined, value: string) => ({ file: "opportunities" as const, row, column: column ?? null, value });
  // Won and closed cells repeat a few values: their loose keys are computed once each.
  const keys = new Map<string, string>();
  const keyOf = (text: string) => {
    let k = keys.get(text);
    if (k === undefined) keys.set(text, (k = looseKey(text)));
    return k;
  };
  for (const { row, cells } of table.rows) {
    const id = cell(cells, idAt);
    if (id !== "") {
      const first = seen.get(id);
      if (first !== undefined) {
        findings.add("duplicate-id", "error", "deal not counted again", { ...where(row, col.id, id), message: `same deal id as row ${first}` });
        continue;
      }
      seen.set(id, row);
    }
    if (closedAt >= 0 && !closedValues.has(keyOf(cell(cells, closedAt)))) {
      findings.add("open-deal", "info", "not counted (only closed deals are)", { ...where(row, mapping.closed?.column, cell(cells, closedAt)), message: "the deal is not closed" });
      continue;
    }
    const owner = cell(cells, ownerAt);
    const match = owner === "" ? null : owners.find(owner);
    if (match === null) {
      findings.add(owner === "" ? "missing-value" : "unknown-owner", "warning", "deal not counted", { ...where(row, col.owner, owner), message: owner === "" ? "no owner" : "no rep in the reps file has this id, name or email" });
      continue;
    }
    if (match.by === "name") findings.add("owner-matched-by-name", "info", "counted for the rep", { ...where(row, col.owner, owner), message: `matched rep ${match.rep} by name or email` });
    const amount = cell(cells, amountAt);
    if (amount !== "" && parseNumber(amount) === null) findings.add("unparsable-value", "warning", "ignored (amounts are not used by the conversion model)", { ...where(row, col.amount, amount), message: "not a number" });
    let segment = segmentAt >= 0 ? cell(cells, segmentAt) : "";
    if (segment === "") {
      const account = cell(cells, accountAt);
      if (account !== "") {
        const customer = accountOf.get(account) ?? accountByName.get(normalisedName(account));
        if (customer === undefined) findings.add("unknown-account", "info", "counted in the rep's history without a segment", { ...where(row, col.account, account), message: "no account in the accounts file has this id or name" });
        else segment = customer.segment ?? "";
      }
    } else segment = segments.canonical(segment);
    const won = wonValues.has(keyOf(cell(cells, wonAt)));
    let bySegment = counts.get(match.rep);
    if (bySegment === undefined) counts.set(match.rep, (bySegment = new Map()));
    const entry = bySegment.get(segment) ?? { wins: 0, attempts: 0 };
    entry.attempts += 1;
    if (won) entry.wins += 1;
    bySegment.set(segment, entry);
    deals += 1;
  }

  const history: Outcome[] = [];
  for (const rep of context.repOrder) {
    const bySegment = counts.get(rep);
    if (bySegment === undefined) continue;
    for (const segment of [...bySegment.keys()].sort()) {
      const e = bySegment.get(segment);
      if (e === undefined) continue;
      history.push(segment === "" ? { rep, wins: e.wins, attempts: e.attempts } : { rep, segment, wins: e.wins, attempts: e.attempts });
    }
  }
  return { history, deals };
}
