/**
 * What `?advice=true` adds on the 10k × 200 benchmark book (bench/bench-books.ts: hard territories,
 * workloads, ±20% value band, a move budget): `npx tsx bench/advice-scale.ts [timeLimitMs]`
 * (default 10,000). Solves the book once as a plain solve and then computes the capacity advice on
 * its Solution, as the worker's advice job does, and prints the times of each part. Bench only:
 * the times depend on the machine.
 */
import { generateBook } from "../data/book-generator.ts";
import { Plan } from "../models/index.ts";
import { adviseOnSolution } from "../src/advice/plan-advice.ts";
import { formatNumber } from "../src/numeric/number-format.ts";
import { solvePlan } from "../src/solve/solve-plan.ts";
import { bookOptions } from "./bench-books.ts";

const timeLimitMs = Number(process.argv[2] ?? 10_000);
const plan = Plan.parse(generateBook(bookOptions({ name: "10k × 200", customers: 10_000, reps: 200, kind: "all" })));
const s = (ms: number) => `${formatNumber(ms / 1000, { decimals: 1 })} s`;

const solveStart = performance.now();
const { solution } = await solvePlan(plan, { timeLimitMs });
const solveMs = performance.now() - solveStart;

const adviceStart = performance.now();
const advice = await adviseOnSolution(plan, solution, { parts: ["capacity", "relaxation"], solve: { timeLimitMs }, timeLimitMs });
const adviceMs = performance.now() - adviceStart;
const capacity = advice.capacity;
const figures = (capacity?.reps.length ?? 0) * 2 + (capacity?.territories.length ?? 0);
const methods = new Map<string, number>();
for (const v of [...(capacity?.reps ?? []).flatMap((r) => [r.seat, r.workload]), ...(capacity?.territories ?? []).map((t) => t.hire)]) methods.set(v.method, (methods.get(v.method) ?? 0) + 1);

console.log(`| book | time limit | plain solve | status | advice | figures | by method | advice stoppedBy |`);
console.log(`|---|---|---|---|---|---|---|---|`);
console.log(
  `| 10k × 200 | ${s(timeLimitMs)} | ${s(solveMs)} | ${solution.status} (gap ${formatNumber((solution.gap ?? NaN) * 100, { decimals: 2 })}%) | +${s(adviceMs)} | ${figures} | ${[...methods].map(([m, n]) => `${m} ${n}`).join(", ")} | ${advice.stoppedBy} |`,
);
