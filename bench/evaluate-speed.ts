/**
 * Evaluation speed (`npm run --silent bench:evaluate`): what a planner's drag costs on a 20k × 200
 * book ("all" constraints: hard territories, workloads, a ±20% value band, a move budget). The
 * book's feasible witness is loaded into the incremental evaluator (src/evaluate/), then one
 * customer at a time moves to a random rep of its territory (or to any rep, one move in five, so
 * rules break too) and the answer a page needs is read back: the totals (objective, counts, broken
 * constraints by kind) and every rep's load against its capacity and band. Reported: the latency
 * of that step (median, p99, max) and, for contrast, evaluating the whole assignment from scratch
 * (what POST /v1/evaluate does per request after the plan is parsed) and the verifier's full check.
 *
 * Prints the table and writes it into bench/README.md (its own section). Settings: BENCH_MOVES
 * (default 5,000), BENCH_CUSTOMERS / BENCH_REPS (default 20,000 / 200).
 */
import { cpus } from "node:os";
import { generateBookWithWitness } from "../data/book-generator.ts";
import { Plan } from "../models/index.ts";
import { AssignmentEvaluator } from "../src/evaluate/assignment-evaluator.ts";
import { evaluationOf, loadAssignment } from "../src/evaluate/evaluate-assignment.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { bookOptions, bookName } from "./bench-books.ts";
import { writeSection } from "./readme-section.ts";
import { alignedTable, fixed } from "./table-format.ts";

const moves = Number(process.env.BENCH_MOVES ?? 5000);
const customers = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const reps = Number(process.env.BENCH_REPS ?? 200);

const { plan: raw, witness } = generateBookWithWitness(bookOptions({ name: "evaluate", customers, reps, kind: "all" }));
const plan = Plan.parse(raw);
const assignment = plan.customers.map((c, i) => ({ customer: c.id, rep: witness[i] ?? null }));

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}
function summary(samples: number[]): { p50: number; p99: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: s[s.length - 1] ?? NaN };
}

// Whole evaluation from scratch, and the verifier, a few times each.
const scratch: number[] = [];
const verifier: number[] = [];
let loaded: ReturnType<typeof loadAssignment> | undefined;
for (let i = 0; i < 5; i++) {
  let t = performance.now();
  loaded = loadAssignment(plan, assignment);
  if (!loaded.ok) throw new Error("the witness does not load");
  evaluationOf(loaded);
  scratch.push(performance.now() - t);
  t = performance.now();
  verifyAssignment(plan, assignment.flatMap((a) => (a.rep === null ? [] : [{ customer: a.customer, rep: a.rep }])));
  verifier.push(performance.now() - t);
}
if (loaded === undefined || !loaded.ok) throw new Error("unreachable");
const evaluator: AssignmentEvaluator = loaded.evaluator;
const startBroken = evaluator.totals().brokenByKind;

// Reps by territory, for realistic drags.
const byTerritory = new Map<string, number[]>();
plan.reps.forEach((r, i) => {
  for (const t of r.territories ?? []) byTerritory.set(t, [...(byTerritory.get(t) ?? []), i]);
});
let seed = 12345;
const rnd = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 4294967296;
};
const step: number[] = [];
let sink = 0;
for (let i = 0; i < moves + 200; i++) {
  const c = Math.floor(rnd() * plan.customers.length);
  const local = byTerritory.get(plan.customers[c]?.territory ?? "") ?? [];
  const r = local.length > 0 && rnd() < 0.8 ? (local[Math.floor(rnd() * local.length)] ?? 0) : Math.floor(rnd() * plan.reps.length);
  const t = performance.now();
  evaluator.assign(c, r);
  const totals = evaluator.totals();
  const pictures = evaluator.repPictures();
  const ms = performance.now() - t;
  sink += totals.objective + (pictures[0]?.value ?? 0);
  if (i >= 200) step.push(ms); // the first 200 warm the JIT
}
if (!Number.isFinite(sink)) throw new Error("non-finite objective");

const s = summary(step);
const fromScratch = summary(scratch);
const verify = summary(verifier);
const rows = [
  [`one customer moved, totals and ${reps} rep loads read (${moves} moves)`, fixed(s.p50, 3), fixed(s.p99, 3), fixed(s.max, 3)],
  ["whole assignment evaluated from scratch (5 runs)", fixed(fromScratch.p50, 1), fixed(quantile([...scratch].sort((a, b) => a - b), 0.99), 1), fixed(fromScratch.max, 1)],
  ["verifyAssignment on the whole assignment (5 runs)", fixed(verify.p50, 1), fixed(quantile([...verifier].sort((a, b) => a - b), 0.99), 1), fixed(verify.max, 1)],
];
const table = alignedTable(["step", "p50 ms", "p99 ms", "max ms"], rows);
const cpu = cpus()[0]?.model ?? "unknown CPU";
const text = [
  `### Evaluating a planner's change (${bookName(customers, reps)}, bench/evaluate-speed.ts)`,
  "",
  `Target: one changed customer ≤ 20 ms p99. ${cpu}, Node ${process.version}, one thread. The start (the book's hidden witness) breaks ${JSON.stringify(startBroken)}.`,
  "",
  table,
].join("\n");
console.log(text);
writeSection(new URL("./README.md", import.meta.url).pathname, "evaluate-speed", text);
