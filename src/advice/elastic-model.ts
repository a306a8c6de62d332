import type { Plan, RelaxationGroup } from "../../models/index.ts";
import { formulate, valueUnit } from "../mip/formulation.ts";
import type { MipModel, MipRow } from "../mip/mip-model.ts";
import { fairShareWeights } from "../plan/fair-share.ts";
import type { PairTable } from "../plan/pair-table.ts";
import type { ResolvedPolicy } from "../plan/resolved-policy.ts";
import { softValueBand } from "../plan/value-band-excess.ts";

/**
 * The elastic model of an infeasible plan: its MIP (mip/formulation.ts) with penalised slack on each
 * constraint group the planner may relax, and an objective that is only the relaxation's cost
 * (Σ weight × slack, minimised). Its optimum is the cheapest set of changes, in the planner's units,
 * that lets some assignment meet every other constraint:
 *
 * - valueBand / countBand: one slack s ≥ 0 for the whole band (the band becomes b + s for every
 *   rep: each band row splits into its upper side − s·share and its lower side + s·share); a point
 *   of band (0.01) costs the weight. Only with a fixed total (every customer assigned): with
 *   allowUnassigned the share is of a variable total and s × total is not linear, so the band is not
 *   relaxed there.
 * - maxAccounts / minAccounts: an integer slack per rep on its account row (above / below).
 * - maxWorkload: a slack per rep on its workload row (integer when every workload and limit is).
 * - maxMoves: an integer slack on the move budget.
 * - territory (hard territories only): the pairs that only the territory rule excludes become
 *   columns that cost the weight each; the table given must hold them (built with territories
 *   ignored) and `inTerritory` says which pairs are eligible in the plan as given.
 */

export interface ElasticModel {
  model: MipModel;
  /** The columns of each slack, with what they mean. */
  slacks: Slack[];
  /** Pair columns that cross a territory (cost the territory weight). */
  crossing: number[];
}

export type Slack =
  | { group: "valueBand" | "countBand"; column: number; unitsPerPoint: number }
  | { group: "maxAccounts" | "minAccounts" | "maxWorkload"; column: number; rep: number }
  | { group: "maxMoves"; column: number };

/** One point of band: what a band relaxation is counted in (the weights are per point). */
export const BAND_POINT = 0.01;

export function buildElasticModel(
  plan: Plan,
  table: PairTable,
  policy: ResolvedPolicy,
  weights: Partial<Record<RelaxationGroup, number | null>>,
  inTerritory: ((k: number) => boolean) | null,
): ElasticModel {
  const base = formulate(plan, table, policy);
  const n = table.count;
  const costs: number[] = [];
  const integer: number[] = [];
  const slacks: Slack[] = [];
  const column = (cost: number, isInteger: boolean) => {
    costs.push(-cost);
    integer.push(isInteger ? 1 : 0);
    return base.numCols + costs.length - 1;
  };
  const weight = (group: RelaxationGroup): number | null => {
    const w = weights[group];
    return w === undefined || w === null || !(w > 0) ? null : w;
  };
  const integralWork = plan.reps.every((r) => r.maxWorkload === undefined || Number.isInteger(r.maxWorkload)) && Array.from(table.workload).every((w) => Number.isInteger(w));

  const shares = fairShareWeights(plan.reps);
  const bandSlack = (group: "valueBand" | "countBand"): number | null => {
    const w = weight(group);
    const band = group === "valueBand" ? policy.valueBand : policy.countBand;
    if (w === null || band === null || policy.allowUnassigned || (group === "valueBand" && softValueBand(policy))) return null;
    // s is in band units (1 = 100 points): a point costs w.
    const col = column(w / BAND_POINT, false);
    slacks.push({ group, column: col, unitsPerPoint: BAND_POINT });
    return col;
  };
  const valueSlack = bandSlack("valueBand");
  const countSlack = bandSlack("countBand");
  const valueTotal = plan.customers.reduce((s, c) => s + c.value, 0) / valueUnit(plan.customers.map((c) => c.value));
  const countTotal = plan.customers.length;

  const repSlack = (group: "maxAccounts" | "minAccounts" | "maxWorkload", rep: number, isInteger: boolean): number | null => {
    const w = weight(group);
    if (w === null) return null;
    const col = column(w, isInteger);
    slacks.push({ group, column: col, rep });
    return col;
  };

  const rows: MipRow[] = [];
  for (const row of base.rows) {
    if (row.kind === "accounts") {
      const rep = plan.reps[row.ref];
      let out = row;
      if (rep?.maxAccounts !== undefined && row.upper !== Infinity) {
        const col = repSlack("maxAccounts", row.ref, true);
        if (col !== null) out = { ...out, indices: [...out.indices, col], values: [...out.values, -1] };
      }
      if (row.lower > 0) {
        const col = repSlack("minAccounts", row.ref, true);
        if (col !== null) out = { ...out, indices: [...out.indices, col], values: [...out.values, 1] };
      }
      rows.push(out);
    } else if (row.kind === "maxWorkload") {
      const col = repSlack("maxWorkload", row.ref, integralWork);
      rows.push(col === null ? row : { ...row, indices: [...row.indices, col], values: [...row.values, -1] });
    } else if ((row.kind === "valueBand" && valueSlack !== null) || (row.kind === "countBand" && countSlack !== null)) {
      const value = row.kind === "valueBand";
      const col = (value ? valueSlack : countSlack) ?? -1;
      const share = (shares[row.ref] ?? 0) * (value ? valueTotal : countTotal);
      rows.push({ ...row, kind: `${row.kind}Upper`, lower: -Infinity, indices: [...row.indices, col], values: [...row.values, -share] });
      rows.push({ ...row, kind: `${row.kind}Lower`, upper: Infinity, indices: [...row.indices, col], values: [...row.values, share] });
    } else if (row.kind === "maxMoves") {
      const w = weight("maxMoves");
      if (w === null) rows.push(row);
      else {
        const col = column(w, true);
        slacks.push({ group: "maxMoves", column: col });
        rows.push({ ...row, indices: [...row.indices, col], values: [...row.values, 1] });
      }
    } else rows.push(row);
  }

  const numCols = base.numCols + costs.length;
  const colCost = new Float64Array(numCols);
  const crossing: number[] = [];
  const territoryWeight = weight("territory");
  if (inTerritory !== null) {
    for (let k = 0; k < n; k++) {
      if (inTerritory(k)) continue;
      crossing.push(k);
      colCost[k] = territoryWeight === null ? 0 : -territoryWeight;
    }
  }
  costs.forEach((c, i) => (colCost[base.numCols + i] = c));
  const colLower = new Float64Array(numCols);
  colLower.set(base.colLower);
  const colUpper = new Float64Array(numCols).fill(Infinity);
  colUpper.set(base.colUpper);
  // Without a territory weight, crossing pairs stay closed.
  if (territoryWeight === null) for (const k of crossing) colUpper[k] = 0;
  const isInteger = new Uint8Array(numCols);
  isInteger.set(base.integer);
  integer.forEach((flag, i) => (isInteger[base.numCols + i] = flag));
  return { model: { numCols, colCost, colLower, colUpper, integer: isInteger, rows }, slacks, crossing };
}
