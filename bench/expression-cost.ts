/**
 * Cost of planner-defined expressions per million (customer, rep) pairs, against the built-in
 * expected value: `npm run bench:expressions`. Prints a table (medians of 5 runs).
 */
import { generateBook } from "../data/book-generator.ts";
import type { Plan, Policy } from "../models/index.ts";
import { buildConversionModel } from "../src/plan/conversion-model.ts";
import { excludingRule, buildEligibilityRules } from "../src/plan/eligibility.ts";
import { buildPairScoreIndex, scorePair, type ScoringContext } from "../src/plan/expected-value.ts";
import { compileWithMathjs } from "../src/expressions/expression-language.ts";
import { resolvePolicy } from "../src/plan/resolved-policy.ts";
import { count, fixed } from "./table-format.ts";

const PAIRS = 1_000_000;
const RUNS = 5;
const book = generateBook({ seed: 11, customers: 5_000, reps: 200, territories: 8, segments: 6 });

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Visits PAIRS pairs (customers × reps, wrapping), calling `visit` on each. */
function sweep(visit: (c: Plan["customers"][number], r: Plan["reps"][number]) => void): void {
  let n = 0;
  for (;;) {
    for (const c of book.customers) {
      for (const r of book.reps) {
        visit(c, r);
        if (++n >= PAIRS) return;
      }
    }
  }
}

function time(label: string, policy: Policy, work: "score" | "rules"): { label: string; ms: number } {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const plan: Plan = { ...book, policy: { ...book.policy, ...policy } };
    const resolved = resolvePolicy(plan.policy);
    const started = performance.now();
    if (work === "score") {
      const ctx: ScoringContext = { policy: resolved, conversion: buildConversionModel(plan.history), pairScores: buildPairScoreIndex(plan.pairs) };
      let sink = 0;
      sweep((c, r) => (sink += scorePair(ctx, c, r).expectedValue));
      if (Number.isNaN(sink)) throw new Error("unexpected NaN");
    } else {
      const rules = buildEligibilityRules(plan, resolved);
      let excluded = 0;
      sweep((c, r) => (excluded += excludingRule(rules, c, r) === null ? 0 : 1));
      if (excluded < 0) throw new Error("unreachable");
    }
    samples.push(performance.now() - started);
  }
  return { label, ms: median(samples) };
}

/** The same default score through mathjs's own evaluator: the cost before the closure compiler. */
function timeMathjsEvaluator(): { label: string; ms: number } {
  const samples: number[] = [];
  const evaluate = compileWithMathjs("value * conversion * fit - travelCost");
  const resolved = resolvePolicy(book.policy);
  const ctx: ScoringContext = { policy: resolved, conversion: buildConversionModel(book.history), pairScores: null };
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    let sink = 0;
    sweep((c, r) => {
      const base = scorePair(ctx, c, r).components;
      sink += evaluate({ value: base.value, conversion: base.conversion, fit: base.fit, distanceKm: base.distanceKm ?? 0, travelCost: base.travelCost, customer: c, rep: r }) as number;
    });
    if (Number.isNaN(sink)) throw new Error("unexpected NaN");
    samples.push(performance.now() - started);
  }
  return { label: "same default score through mathjs's own evaluator (before mitigation)", ms: median(samples) };
}

/** The both-sides rule through mathjs's own evaluator, per pair. */
function timeMathjsRule(): { label: string; ms: number } {
  const samples: number[] = [];
  const evaluate = compileWithMathjs("containsAll(rep.specialties, customer.requires)");
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    let holds = 0;
    sweep((c, r) => {
      const scope = { customer: { requires: c.requires ?? [] }, rep: { specialties: r.specialties ?? [] } };
      holds += evaluate(scope) === true ? 1 : 0;
    });
    if (holds < 0) throw new Error("unreachable");
    samples.push(performance.now() - started);
  }
  return { label: "same rule through mathjs's own evaluator (before mitigation)", ms: median(samples) };
}

const rows = [
  time("built-in expected value (no expression)", {}, "score"),
  time("score = default expression (value*conversion*fit - travelCost)", { score: "value * conversion * fit - travelCost" }, "score"),
  timeMathjsEvaluator(),
  time("score with a customer×rep condition", { score: "value * conversion * fit * (customer.value >= 100000 and rep.seniority >= 2 ? 1.2 : 1) - travelCost" }, "score"),
  time("rule: when customer-only, require rep-only (cached per side)", { rules: [{ name: "fin", when: 'customer.segment == "finance"', require: "rep.seniority >= 2" }] }, "rules"),
  time("rule: require reads both sides (per pair)", { rules: [{ name: "needs", require: "containsAll(rep.specialties, customer.requires)" }] }, "rules"),
  timeMathjsRule(),
];

console.log(`\nExpression cost per ${count(PAIRS)} pairs (median of ${RUNS} runs, ${book.customers.length} customers × ${book.reps.length} reps, wrapping)\n`);
console.log("| what is evaluated | ms per million pairs | µs per pair |");
console.log("|---|---:|---:|");
for (const row of rows) console.log(`| ${row.label} | ${fixed(row.ms, 0)} | ${fixed(row.ms / 1000, 3)} |`);
