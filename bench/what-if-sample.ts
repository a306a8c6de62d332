/**
 * What-if figures on the sample book (`npm run --silent what-if:sample`): the optimizer against the
 * classic methods, a scenario batch with diffs, and the value-vs-moves frontier. Solves run on a
 * solve pool (one thread per core, ALLOT_POOL_SIZE to change) through the same workflows as
 * /v1/scenarios and /v1/reassign (src/what-if/scenario-batch.ts, reassignment-run.ts).
 * Prints Markdown tables.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Plan, Scenario, Solution } from "../models/index.ts";
import { runReassignment } from "../src/what-if/reassignment-run.ts";
import { prepareScenarioBatch, runScenarioBatch } from "../src/what-if/scenario-batch.ts";
import { createSolvePool } from "../src/runtime/solve-pool.ts";
import { fixed, money, percent } from "./table-format.ts";
import { formatNumber } from "../src/numeric/number-format.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const plan = Plan.parse(JSON.parse(readFileSync(path.join(root, "data", "sample-book.json"), "utf8")));
const size = Number(process.env.ALLOT_POOL_SIZE ?? String(availableParallelism()));
const pool = createSolvePool({ size, maxQueue: 64 });
const timeLimitMs = plan.policy?.timeLimitMs ?? 30_000;

try {
  const start = performance.now();
  const compared = await pool.solve(plan, { timeLimitMs, job: { kind: "compare", methods: ["round-robin", "least-loaded", "value-tiers", "first-match"] } });
  const solution = Solution.parse(JSON.parse(compared.solutionJson));
  console.log(`## Optimizer vs classic methods (data/sample-book.json: ${plan.customers.length} customers, ${plan.reps.length} reps)\n`);
  console.log(`Optimizer: ${solution.status}, objective ${money(solution.objective)} (gap ${solution.gap === null ? "—" : formatNumber(solution.gap, { style: "exponential", decimals: 1 })}).\n`);
  console.log("| method | expected value | constraint breaks (verifier) | optimizer uplift | uplift % |");
  console.log("|---|---:|---|---:|---:|");
  for (const b of solution.comparison?.baselines ?? []) {
    const breaks = Object.entries(b.breaks.byKind).map(([k, n]) => `${k} ${n}`).join(", ") || "none";
    console.log(`| ${b.method} | ${money(b.expectedValue)} | ${b.breaks.total}${b.breaks.complete ? "" : "+"}: ${breaks} | ${money(b.uplift)} | ${percent(b.upliftPercent)} |`);
  }

  const scenarios = [
    { name: "r07 leaves", changes: [{ op: "removeRep", rep: "r07" }] },
    { name: "iberia values +20%", changes: [{ op: "scaleValues", factor: 1.2, territory: "iberia" }] },
    { name: "value band ±20%", changes: [{ op: "setPolicy", policy: { fairness: { valueBand: 0.2 } } }] },
  ].map((s) => Scenario.parse(s));
  const prepared = prepareScenarioBatch(plan, scenarios);
  if (!prepared.ok) throw new Error(JSON.stringify(prepared.errors));
  const batch = await runScenarioBatch(prepared.batch, {
    solve: (p, signal) => pool.solve(p, { timeLimitMs, signal, job: { kind: "digest", solution: false } }),
    concurrency: size,
  });
  console.log("\n## Scenarios against the base\n");
  console.log("| scenario | status | objective | Δ objective | optimal Δ within | customers moved | biggest rep load changes (accounts) | value Gini Δ |");
  console.log("|---|---|---:|---:|---|---:|---|---:|");
  for (const s of batch.scenarios) {
    const { diff } = s;
    const reps = (diff?.reps ?? [])
      .filter((r) => r.accounts.delta !== 0)
      .sort((a, b) => Math.abs(b.accounts.delta) - Math.abs(a.accounts.delta) || (a.rep < b.rep ? -1 : 1))
      .slice(0, 3)
      .map((r) => `${r.rep} ${r.accounts.delta > 0 ? "+" : ""}${r.accounts.delta}`)
      .join(", ");
    console.log(
      `| ${s.name} | ${s.status} | ${money(s.objective)} | ${money(diff?.objective.delta)} | ${diff?.optimalDelta ? `[${money(diff.optimalDelta.low)}, ${money(diff.optimalDelta.high)}]` : "—"} | ${diff?.customers.moved ?? "—"} | ${reps || "—"} | ${diff === null ? "—" : fixed(diff.fairness.valueGini.delta, 4)} |`,
    );
  }

  const reassignment = await runReassignment(plan, {
    frontier: true,
    solve: (p, summaryOnly, signal) => pool.solve(p, { timeLimitMs, signal, job: { kind: "reassign", summaryOnly } }),
    concurrency: size,
  });
  const points = reassignment.frontier ?? [];
  console.log("\n## Value vs moves (frontier; movePenalty as in the sample policy)\n");
  console.log("| maxMoves | status | objective | chosen moves | gain vs previous | gain per extra move |");
  console.log("|---:|---|---:|---:|---:|---:|");
  for (const p of points) {
    console.log(`| ${p.maxMoves ?? "unconstrained"} | ${p.status}${p.carriedFrom === null ? "" : ` (plan of ${p.carriedFrom})`} | ${money(p.objective)} | ${p.chosenMoves ?? "—"} | ${money(p.gain)} | ${money(p.gainPerMove)} |`);
  }
  console.error(`\n${fixed((performance.now() - start) / 1000, 1)} s on ${size} worker threads`);
} finally {
  await pool.close();
}
