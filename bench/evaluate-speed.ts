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
 * Then over HTTP, against the real service started on loopback (as `npm start` would): the book is
 * sent once with the witness as `base`, and each following request sends only its `planKey` and one
 * changed customer, as the page does after each drag. Reported: the round trip of those requests
 * (median, p99, max), and for contrast the first request (plan parsed and loaded) and a request
 * that sends the whole book again (parsed each time, the loaded plan reused).
 *
 * Prints the table and writes it into bench/README.md (its own section). Settings: BENCH_MOVES
 * (default 5,000), BENCH_HTTP_MOVES (default 1,000), BENCH_CUSTOMERS / BENCH_REPS (default
 * 20,000 / 200).
 */
import { cpus, loadavg } from "node:os";
import { generateBookWithWitness } from "../data/book-generator.ts";
import { Plan } from "../models/index.ts";
import { AssignmentEvaluator } from "../src/evaluate/assignment-evaluator.ts";
import { evaluationOf, loadAssignment } from "../src/evaluate/evaluate-assignment.ts";
import { verifyAssignment } from "../src/verify/verify-assignment.ts";
import { bookOptions, bookName } from "./bench-books.ts";
import { startServer } from "./loopback-server.ts";
import { writeSection } from "./readme-section.ts";
import { alignedTable, fixed } from "./table-format.ts";

const loadAtStart = loadavg()[0] ?? 0;
const moves = Number(process.env.BENCH_MOVES ?? 5000);
const httpMoves = Number(process.env.BENCH_HTTP_MOVES ?? 1000);
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

// Over HTTP: the book once, then its planKey and one change per request.
const server = await startServer({ ALLOT_BODY_LIMIT: "256mb", ALLOT_MAX_CUSTOMERS: String(customers), ALLOT_MAX_PAIRS: "100000000", ALLOT_POOL_SIZE: "1" });
const post = async (body: unknown): Promise<{ ms: number; serverMs: number; json: { planKey?: string; objective?: number } }> => {
  const text = JSON.stringify(body);
  const t = performance.now();
  const res = await fetch(`${server.base}/v1/evaluate`, { method: "POST", headers: { "content-type": "application/json" }, body: text });
  const json = (await res.json()) as { planKey?: string; objective?: number };
  const ms = performance.now() - t;
  if (res.status !== 200) throw new Error(`POST /v1/evaluate answered ${res.status}: ${JSON.stringify(json)}`);
  const total = /(?:^|,\s*)total;dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "");
  return { ms, serverMs: Number(total?.[1] ?? NaN), json };
};
const randomChange = () => {
  const c = Math.floor(rnd() * plan.customers.length);
  const r = Math.floor(rnd() * plan.reps.length);
  return [{ customer: plan.customers[c]?.id ?? "", rep: plan.reps[r]?.id ?? null }];
};
let httpFirst: number;
let httpStep: number[] = [];
let handlerStep: number[] = [];
const httpWhole: number[] = [];
try {
  const first = await post({ plan: raw, base: assignment, assignment: [] });
  httpFirst = first.ms;
  const planKey = first.json.planKey;
  if (planKey === undefined) throw new Error("no planKey");
  for (let i = 0; i < httpMoves + 100; i++) {
    const { ms, serverMs, json } = await post({ planKey, assignment: randomChange() });
    sink += json.objective ?? 0;
    if (i >= 100) httpStep.push(ms);
    if (i >= 100) handlerStep.push(serverMs); // the first 100 warm the JIT and the connection
  }
  for (let i = 0; i < 3; i++) httpWhole.push((await post({ plan: raw, base: assignment, assignment: randomChange() })).ms);
} finally {
  await server.stop();
}
httpStep = httpStep.sort((a, b) => a - b);
handlerStep = handlerStep.sort((a, b) => a - b);

const s = summary(step);
const fromScratch = summary(scratch);
const verify = summary(verifier);
const rows = [
  [`one customer moved, totals and ${reps} rep loads read (${moves} moves)`, fixed(s.p50, 3), fixed(s.p99, 3), fixed(s.max, 3)],
  [`HTTP: planKey and one changed customer, totals and ${reps} rep loads back (${httpMoves} requests)`, fixed(quantile(httpStep, 0.5), 2), fixed(quantile(httpStep, 0.99), 2), fixed(httpStep[httpStep.length - 1] ?? NaN, 2)],
  ["… of which in the handler (its Server-Timing `total`: key lookup, change, picture)", fixed(quantile(handlerStep, 0.5), 2), fixed(quantile(handlerStep, 0.99), 2), fixed(handlerStep[handlerStep.length - 1] ?? NaN, 2)],
  ["HTTP: first request, the book and its base sent, parsed and loaded", fixed(httpFirst, 0), fixed(httpFirst, 0), fixed(httpFirst, 0)],
  ["HTTP: the book sent again with one change (3 runs; loaded plan reused)", fixed(summary(httpWhole).p50, 0), fixed(summary(httpWhole).max, 0), fixed(summary(httpWhole).max, 0)],
  ["whole assignment evaluated from scratch (5 runs)", fixed(fromScratch.p50, 1), fixed(quantile([...scratch].sort((a, b) => a - b), 0.99), 1), fixed(fromScratch.max, 1)],
  ["verifyAssignment on the whole assignment (5 runs)", fixed(verify.p50, 1), fixed(quantile([...verifier].sort((a, b) => a - b), 0.99), 1), fixed(verify.max, 1)],
];
const table = alignedTable(["step", "p50 ms", "p99 ms", "max ms"], rows);
const cpu = cpus()[0]?.model ?? "unknown CPU";
const text = [
  `### Evaluating a planner's change (${bookName(customers, reps)}, bench/evaluate-speed.ts)`,
  "",
  `Target: one changed customer ≤ 20 ms p99. ${cpu}, Node ${process.version}, one thread. The start (the book's hidden witness) breaks ${JSON.stringify(startBroken)}. HTTP rows: the service on loopback, the client in the same machine, one request at a time. Load average at the start: ${loadAtStart.toFixed(2)} on ${cpus().length} cores.`,
  "",
  table,
].join("\n");
console.log(text);
writeSection(new URL("./README.md", import.meta.url).pathname, "evaluate-speed", text);
