import type { Advice, CapacityValue } from "../../models/index.ts";
import { formatNumber } from "../numeric/number-format.ts";

/**
 * The advice as a few lines for a person (the command line prints them on stderr): the reps and
 * territories where capacity pays most, the cheapest relaxation and its alternatives, the band
 * frontier. The JSON carries every figure; this is the reading of it.
 */
export function adviceSummary(advice: Advice): string {
  const lines: string[] = [];
  const money = (x: number | null) => (x === null ? "?" : formatNumber(x, { decimals: 0, grouping: true }));
  const figure = (v: CapacityValue) =>
    v.method === "unchanged" ? "0 (no such limit)" : v.value === null ? `none${v.note === undefined ? "" : ` (${v.note})`}` : `${money(v.value)} [${money(v.low)} … ${money(v.high)}] ${v.method}${v.exact ? ", exact" : ""}`;
  const capacity = advice.capacity;
  if (capacity !== undefined) {
    lines.push(`advice: what capacity is worth (objective ${money(capacity.objective)}; ${capacity.resolved} figures re-solved, the rest from dual prices)`);
    const ranked = capacity.reps
      .flatMap((r) => [
        { what: `${r.rep} +1 account slot`, v: r.seat },
        { what: `${r.rep} +1 workload unit`, v: r.workload },
      ])
      .filter((x) => x.v.method !== "unchanged")
      .sort((a, b) => (b.v.value ?? -Infinity) - (a.v.value ?? -Infinity));
    for (const { what, v } of ranked.slice(0, 5)) lines.push(`  ${what}: ${figure(v)}`);
    for (const t of capacity.territories) lines.push(`  one more rep in ${t.territory} (like ${t.like ?? "none"}): ${figure(t.hire)}`);
  }
  const relaxation = advice.relaxation;
  if (relaxation !== undefined) {
    lines.push(`advice: ${relaxation.summary}`);
  }
  if (advice.bandFrontier !== undefined) {
    lines.push("advice: value against band width");
    for (const p of advice.bandFrontier) {
      const band = p.valueBand === null ? "no band" : `±${formatNumber(p.valueBand * 100, { style: "short" })}%`;
      lines.push(`  ${band}: ${p.status} ${money(p.objective)}${p.costPerPoint === null ? "" : ` (${money(p.costPerPoint)} per point)`}`);
    }
  }
  if (advice.stoppedBy === "time-limit") lines.push("advice: its time ran out; some figures are missing or less accurate");
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}
