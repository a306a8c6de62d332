/**
 * The worked example of docs/advice.md, on the sample book: `npx tsx bench/advice-sample.ts`
 * prints, as Markdown, what capacity is worth on the sample as given, the cheapest relaxation of the
 * sample with a ±30% value band (infeasible), the same band soft at three penalties, and the
 * value-vs-band frontier. About a minute and a half on one core. Solver figures are deterministic;
 * the timings are not.
 */
import { readFileSync } from "node:fs";
import { Plan, type CapacityValue } from "../models/index.ts";
import { adviseOnSolution } from "../src/advice/plan-advice.ts";
import { formatNumber } from "../src/numeric/number-format.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";

const sample = Plan.parse(JSON.parse(readFileSync(new URL("../data/sample-book.json", import.meta.url), "utf8")));
const money = (x: number | null) => (x === null ? "–" : formatNumber(x, { decimals: 0, grouping: true }));
const cell = (v: CapacityValue) => (v.method === "unchanged" ? "0 (no limit)" : `${money(v.value)} [${money(v.low)}, ${money(v.high)}] ${v.method}`);
const seconds = (ms: number) => `${formatNumber(ms / 1000, { decimals: 1 })} s`;
const withBand = (fairness: Record<string, unknown>): Plan => Plan.parse({ ...sample, policy: { ...sample.policy, fairness } });

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

const out: string[] = [];
const timeLimitMs = sample.policy?.timeLimitMs ?? 10_000;

// 1. What capacity is worth on the sample as given (±50% value band).
{
  const { solution } = await solvePlan(sample);
  const { value: advice, ms } = await timed(() => adviseOnSolution(sample, solution, { parts: ["capacity"], solve: {}, timeLimitMs }));
  const capacity = advice.capacity;
  out.push(`### What capacity is worth (sample as given: ${solution.status}, objective ${money(solution.objective)}, bound ${money(solution.bound)})`, "");
  out.push(`Advice time ${seconds(ms)}; LP bound ${money(capacity?.lpBound ?? null)}; ${capacity?.resolved ?? 0} figures re-solved; stoppedBy ${advice.stoppedBy}.`, "");
  out.push("| rep | maxAccounts | maxWorkload | +1 account slot: value [low, high] method | +1 workload unit |", "|---|---|---|---|---|");
  for (const r of capacity?.reps ?? []) out.push(`| ${r.rep} | ${r.maxAccounts ?? "–"} | ${r.maxWorkload ?? "–"} | ${cell(r.seat)} | ${cell(r.workload)} |`);
  out.push("", "| territory | hire like | one more rep: value [low, high] method |", "|---|---|---|");
  for (const t of capacity?.territories ?? []) out.push(`| ${t.territory} | ${t.like ?? "–"} | ${cell(t.hire)} |`);
  out.push("");
}

// 2. The cheapest relaxation of the sample with a ±30% band.
{
  const plan = withBand({ valueBand: 0.3 });
  const { solution } = await solvePlan(plan);
  const { value: advice, ms } = await timed(() => adviseOnSolution(plan, solution, { parts: ["relaxation"], solve: {}, timeLimitMs: 60_000 }));
  const relaxation = advice.relaxation;
  out.push(`### The sample with a ±30% value band: ${solution.status}`, "", `Diagnosis: ${solution.diagnosis?.causes.map((c) => c.message).join(" ") ?? "–"}`, "");
  out.push(`Advice time ${seconds(ms)}; stoppedBy ${advice.stoppedBy}.`, "", "| relaxation | cost | minimal | relaxed plan |", "|---|---|---|---|");
  for (const [name, r] of [["cheapest", relaxation?.cheapest ?? null], ...(relaxation?.alternatives ?? []).map((a) => [`${a.groups.join(", ")} alone`, a] as const)] as const) {
    if (r === null) continue;
    const plan = r.plan === null ? "–" : `${r.plan.status}, objective ${money(r.plan.objective)}`;
    const proof = r.bandProof === undefined ? "" : ` (band ${r.bandProof.band}: ${r.bandProof.infeasible === true ? "infeasible" : "not proven"})`;
    out.push(`| ${name}: ${r.changes.map((c) => c.message).join("; ")} | ${formatNumber(r.cost, { style: "short" })} | ${r.minimal ? "proven" : "not proven"}${proof} | ${plan} |`);
  }
  out.push("");
}

// 3. The same band as a goal: soft, at three penalties.
{
  out.push("### The ±30% band soft", "", "| penalty | status | objective | Σ expected value | fairness penalty | reps outside | most outside |", "|---|---|---|---|---|---|---|");
  for (const penalty of [0.01, 0.1, 1]) {
    const { solution } = await solvePlan(withBand({ valueBand: 0.3, mode: "soft", penalty }));
    const outside = solution.reps.map((r) => r.outsideBand ?? 0);
    out.push(
      `| ${penalty} | ${solution.status} | ${money(solution.objective)} | ${money(solution.metrics.expectedValue)} | ${money(solution.metrics.fairnessPenalty ?? null)} | ${outside.filter((x) => x > 0).length} | ${money(Math.max(...outside))} |`,
    );
  }
  out.push("");
}

// 4. Value against band width.
{
  const { solution } = await solvePlan(sample);
  const { value: advice, ms } = await timed(() => adviseOnSolution(sample, solution, { parts: ["frontier"], solve: {}, timeLimitMs: 120_000 }));
  out.push(`### Value against band width (advice time ${seconds(ms)})`, "", "| value band | status | objective | max value / fair share | per point of band |", "|---|---|---|---|---|");
  for (const p of advice.bandFrontier ?? []) {
    const band = p.valueBand === null ? "none" : `±${formatNumber(p.valueBand * 100, { style: "short" })}%`;
    const ratio = p.maxValueOverFairShare === null ? "–" : formatNumber(p.maxValueOverFairShare, { decimals: 3 });
    out.push(`| ${band} | ${p.status}${p.carriedFrom === null ? "" : ` (from ${p.carriedFrom})`} | ${money(p.objective)} | ${ratio} | ${money(p.costPerPoint)} |`);
  }
  out.push("");
}

process.stdout.write(out.join("\n") + "\n");
