import { allowance, BOUND_CONVERGENCE, relativeGap } from "../numeric/tolerance.ts";
import { FULL_MIP_COLUMNS, MIDSIZE_MIP_COLUMNS } from "./algorithm-choice.ts";
import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { AssignmentState } from "./assignment-state.ts";
import { BandExchangeSearch, hasValueBands } from "./band-exchange-search.ts";
import { BudgetTradeSearch } from "./budget-trade-search.ts";
import { ChainSearch } from "./chain-search.ts";
import { diveRepeatedly } from "./knapsack-fixing-mip.ts";
import { agreementRestriction, disagreeing, diveByAgreement } from "./agreement-fixing-mip.ts";
import { nextTurnDive, type TurnDive } from "./turn-dive-schedule.ts";
import { crossByMip } from "./crossover-mip.ts";
import { startDiveOnThread, type DiveOnThread, type ThreadDiveResult } from "./dive-on-thread.ts";
import type { RestrictionInput } from "./restricted-mip.ts";
import { ejectionChainsApply, searchByEjectionChains } from "./ejection-chain-search.ts";
import { knapsackBoundApplies, knapsackLagrangianBound, knapsackStepWork, type KnapsackBoundResult } from "./knapsack-lagrangian-bound.ts";
import { finish, settle, targetObjective, type ComponentResult } from "./component-result.ts";
import { repairGreedy } from "./greedy-repair.ts";
import { SubgradientSolver, pairPrices, reducedScores } from "./lagrangian-bound.ts";
import { improveByNeighbourhoods } from "./neighbourhood-search.ts";
import { PenaltySearch } from "./penalty-search.ts";
import { PathRelinking, RELINKING } from "./path-relinking.ts";
import { fixByKnapsackReducedCosts, reducedRestriction } from "./knapsack-reduced-cost-fixing.ts";
import { branchAndBoundApplies, lagrangianBranchAndBound } from "./lagrangian-branch-and-bound.ts";
import { warmHighsThread } from "../mip/highs-on-thread.ts";
import { searchBesideHighs } from "./portfolio-search.ts";
import { reducedMip, solveWholeMip, startWholeMipOnThread, wholeMip } from "./whole-part-mip.ts";
import { indexAt } from "./checked-read.ts";
import { SILENT_PROGRESS, type PartProgress } from "./part-progress.ts";
import { WORK_UNITS_PER_MS, WorkBudget, type WorkMeter } from "./work-budget.ts";

/**
 * Large parts: the Lagrangian dual by subgradient steps (the bound); a plan by rounding the averaged
 * relaxed choices, repairing them greedily by reduced-score cost (greedy-repair.ts; the penalty
 * search finishes what the greedy repair cannot), then improving it by shifts, swaps and ejection
 * chains in the feasible region (chain-search.ts), on large parts with value bands by exchanges of up to
 * two customers each way between two reps that keep both in band (band-exchange-search.ts) or,
 * where few customers disagree with the relaxation, first by Lagrangian fixing dives by agreement
 * (agreement-fixing-mip.ts; then wider dives and rounds of exchanges in turns, or the exchanges
 * alone if the first dive closes too little) and, on parts shaped like the generalized assignment
 * problem, a tighter bound from per-rep knapsacks (knapsack-lagrangian-bound.ts) and the ejection-chain
 * search through infeasible plans (ejection-chain-search.ts), then, far from the bound, Lagrangian
 * fixing dives (knapsack-fixing-mip.ts) or path relinking (path-relinking.ts); more subgradient steps aimed at the plan's
 * objective, with exact sub-MIPs over a few reps (neighbourhood-search.ts) around it; or, when the
 * part is small enough, HiGHS on the whole part (the better plan is kept). With a core to spare
 * (`threads` > 1) HiGHS on the whole part starts on a helper thread at once (portfolio-search.ts),
 * and on large parts with value bands each turn's fixing dive runs on the helper beside the
 * exchanges, their plans crossed by a MIP (`turnsBeside`). Mid-size parts with value bands give
 * the second half of their time to HiGHS on the whole part, from the search's plan (`HEAD_SHARE`).
 *
 * Phases end by their caps (iterations, sweeps), by convergence, when the gap reaches mipGap, or
 * when the work drawn from the part's budget reaches the phase's share of it: all of which give the
 * same answer on every run. The clock only cuts a phase short, which the budget records (so does a
 * stop request), and so does a fixing dive's MIP stopped by its own time limit (`clockShaped`). `progress` hears each phase change, each better Lagrangian bound and each better
 * plan; it only observes.
 */

/** Subgradient iterations: the cap of the first phase, and of all phases together. */
const FIRST_ITERATIONS = 300;
const TOTAL_ITERATIONS = 1_500;
/** The bound counts as converged when it improved by less than this (relative) over the last window. */
const CONVERGENCE_WINDOW = 50;
const PENALTY_SWEEPS = 60;
const CHAIN_SWEEPS = 400;
/**
 * Restarts of the ejection-chain search without a better plan before it hands over to HiGHS
 * (measured on Chu & Beasley C, D and E at 1 s and 10 s, docs/scale.md: HiGHS closes the C
 * instances when given the time, the search settles on the D instances).
 */
const EJECTION_PATIENCE = 2;
/**
 * The ejection-chain search runs only when the plan is this far (relative) from the bound: closer, HiGHS
 * closes the gap faster without it (measured on generated books without bands, 400–3,000
 * customers: +0.5–0.8 s for the same optimum), while the hard GAP instances start 0.5–1.5% away.
 */
const CHAINS_MIN_GAP = 0.002;
/** Work the repair path needs, in subgradient iterations of the same part (measured: 200–530). */
const REPAIR_PATH_ITERATIONS = 600;

/**
 * Shares of the part's budget (cumulative) at which the phases hand over. With HiGHS to follow,
 * the heuristics get three tenths (on GAP-shaped parts the knapsack bound runs until 15% is used,
 * the ejection-chain search until 30%, path relinking on the parts still far from the bound until
 * 45% when the fixing dives do not fit the time limit; the dives count their time limits' shares)
 * and HiGHS the rest (its node limit is the 70% the heuristics leave, fixed when the part
 * starts); otherwise the first neighbourhood search hands over to the bound at `lns`.
 */
const WITH_MIP = { bound: 0.1, repair: 0.2, heuristics: 0.3, bandStart: 0.3, bands: 0.3, lns: 0.3, knapsack: 0.15, chains: 0.3, relink: 0.45 };
const WITHOUT_MIP = { bound: 0.25, repair: 0.6, heuristics: 1, bandStart: 0.4, bands: 1, lns: 0.85, knapsack: 1, chains: 1, relink: 1 };
/**
 * Path relinking (path-relinking.ts) or the fixing dives follow the ejection chains only while the
 * plan is this far (relative) from the bound: the hard type D instances (0.4–1.6% after the
 * chains), not C or E (0.1–0.2%: HiGHS closes those with the time). At 0.5% d05100 (0.41% after
 * the chains) went to HiGHS and ended at 6,361 in 10 s (HiGHS alone: 6,357); with the dives, 6,356
 * (docs/scale.md, "HiGHS, then the neighbourhoods"); nothing else among C, D and E changed.
 */
const RELINK_MIN_GAP = 0.003;
/**
 * Time limits of the Lagrangian fixing dives' MIPs, as shares of the part's (their work counts the
 * same shares), and the least time limit of the first for which the dives run: measured on d10100,
 * d20100 and d20200 at 10 s and 1 s and on generated type D and E (docs/scale.md). The first dive
 * fixes by the multipliers of a knapsack bound aimed below its value, the second by those of the
 * first run (aimed at the plan after the repair), each later one by those of a knapsack bound aimed
 * at the plan so far, as long as the dive before it improved the plan (the same aim gives the same
 * multipliers, hence the same dive). Where they run, they take the place of path relinking on the
 * solve's thread (it found nothing they did not). Three dives of a quarter each rather than five
 * shorter ones: HiGHS finds a dive's better plans late in its root, after about as much time
 * whatever the limit, so on slower machines the later, shorter dives of five found little
 * (d20100 at 10 s: 6,214 against 6,219; at 4 s 6,222 against 6,257; equal or better elsewhere).
 */
const FIXING_SHARES = [0.25, 0.25, 0.25] as const;
/**
 * The first two dives get at least FIXING_FLOOR_MS where up to these shares of the limit allow
 * (the earlier two-dive setting): their MIPs need that time whatever the limit (measured on
 * d10100 / d20100 / d20200, one thread: at 4 s with 20% each 6,385 / 6,265 / 12,343 against 6,361 /
 * 6,222 / 12,307 with the floor; at 6 s with a floor of 1.2 s 12,307 on d20200, with 1.8 s 12,292).
 */
const FIXING_SHORT_SHARES = [0.3, 0.25] as const;
const FIXING_FLOOR_MS = 1_800;
const FIXING_MIN_MS = 1_000;
/**
 * The Lagrangian fixing dives by agreement on large parts with value bands
 * (agreement-fixing-mip.ts): the first dive's MIP time limit as a share of the part's (the work
 * counted is the same), the subgradient steps aimed at the plan before each dive, the pairs of each
 * free customer, and the most free customers. With two pairs the first dive's MIP finishes well
 * inside its limit (10k × 200: 304 customers free, 0.6–1.0 s; with three it ran to its 2 s limit
 * and left the wide dive less time). Measured on the realistic 10k × 200 and 20k × 400 books
 * (docs/scale.md).
 */
const AGREEMENT_SHARE = 0.2;
const AGREEMENT_STEPS = 100;
const AGREEMENT_CANDIDATES = 2;
const AGREEMENT_MAX_FREE = 1_000;
/**
 * Where the dives by agreement apply (at most AGREEMENT_MAX_FREE customers disagree when the
 * band-aware exchanges would start), the first dive goes before the exchanges, and the dives go on
 * (the aimed steps, the turns) only if it closed at least this share of the gap to the bound;
 * otherwise the exchanges take the rest of the work, as where the dives do not apply. Measured
 * (docs/scale.md) on the realistic 10k × 200 and 20k × 400 books, seeds 1–3, and the generated
 * 10k × 200 book with every constraint: where the first dive closes 12–22% of the gap, the dives
 * after it (then the wide dive) gain more with the exchanges' time than the exchanges do (10k ×
 * 200 seed 1: 0.102% against 0.158% with the exchanges first); where its MIP runs to its time
 * limit with next to nothing (the generated book, on a slow machine), the exchanges gain what the
 * dives would not.
 */
const FIRST_DIVE_CLOSES = 0.05;
/**
 * The wide dive after the first dive by agreement, where the exchanges went before the dives: the
 * agreeing customers whose best pair by reduced score wins by less than WIDE_MARGIN of its score
 * are freed too (about 660 of 10,000 customers, 1,300 of 20,000), each on its WIDE_CANDIDATES
 * best pairs and its own, and HiGHS's primal heuristics get WIDE_EFFORT of its work: its plans
 * come from its sub-MIPs after the root's cuts (at its default, 0.05, the same 4 s dive gained
 * 38,500 where 0.3 gained 75,000). Its time limit is WIDE_SHARE of the part's, so that it mostly
 * runs to the part's hard stop: the answer depends on the clock, and says so (`stoppedBy:
 * time-limit`). At most WIDE_MAX_FREE customers free. Where the dives went first, the turns below
 * take its place.
 */
const WIDE_MARGIN = 0.008;
const WIDE_EFFORT = 0.3;
const WIDE_SHARE = 0.6;
const WIDE_CANDIDATES = 3;
const WIDE_MAX_FREE = 2_500;
/**
 * Where the dives went first and the first paid: dives and rounds of exchanges in turns. A turn's
 * dive frees the customers the wide dive would (WIDE_MARGIN, at most WIDE_MAX_FREE) on the first
 * dive's AGREEMENT_CANDIDATES best pairs, at HiGHS's default heuristics and the first dive's time
 * limit: its MIP reaches plans within that limit where the wide dive's root alone outlasts it.
 * The first turn is that dive; each later one a round of band-aware exchanges, TURN_STEPS
 * subgradient steps aimed at its plan, and the dive from it (after each dive the next is as
 * turn-dive-schedule.ts says: more time after one its time limit stopped, one more candidate pair
 * per free customer after one that proved nothing better, no more past MAX_TURN_CANDIDATES).
 * Where the first dive ran to its time limit, the first turn starts with the exchanges too (a
 * wider MIP would find nothing in it). At most EXCHANGE_TURNS turns, until one gains nothing with
 * no dive left, or the hard stop; the turns draw on the clock, not on the work, and say so
 * (`clockShaped`). Measured on the realistic 10k × 200 and 20k × 400 books, seeds 1–3, and the
 * generated 10k × 200 book with every constraint (docs/scale.md).
 */
const EXCHANGE_TURNS = 10;
const TURN_STEPS = 50;
/** Time limit of the crossover MIP of the turns side by side (`turnsBeside`), as a share of the part's. */
const CROSSOVER_SHARE = 0.05;
/**
 * The band-aware exchanges (band-exchange-search.ts) run only on parts with value bands whose plan
 * is this far (relative) from the bound: closer, small plans would pay for nothing.
 */
const BANDS_MIN_GAP = 0.001;
/** Rounds of band-aware exchanges, each followed by the chain search from where they left. */
const BAND_ROUNDS = 40;
/** Sweeps of the move budget's trades after each round's exchanges (budget-trade-search.ts). */
const TRADE_SWEEPS = 3;
/** Sweeps of the chain search after each round of exchanges (measured: more pay less than the exchanges they displace). */
const BAND_CHAIN_SWEEPS = 5;
/**
 * The same after a turn's round of exchanges (`turns`, one thread): its later sweeps, at lower
 * thresholds, took 1–1.5 s of a 20k × 400 turn for about 0.004% of the objective, time the turn's
 * dive and the next turn use better (realistic books, seeds 1–3, one run each: 10k × 200 mean
 * 0.127% → 0.121% and 0.123% in two runs, 20k × 400 0.160% → 0.153% and 0.154%; docs/scale.md).
 */
const TURN_CHAIN_SWEEPS = 2;
/**
 * The last neighbourhood search of a part with value bands without HiGHS (`lns(1)`, with the work
 * the other phases left; elsewhere it still ends after a round without an improvement, where a
 * test holds a part's answer to its work on a busy machine): after a full round of three-rep neighbourhoods without an improvement it goes on with six,
 * then twelve reps, instead of ending with time left. Measured on realistic 2,000 × 40 books
 * (docs/scale.md): at 60 s the search ended after 4–10 s, short of HiGHS alone's 60 s plan on all
 * three (by 0.007–0.06%); growing to twelve reps used the time, and beat HiGHS alone at the same
 * limit on two of the three.
 */
const LNS_GROW_TO = 12;
/**
 * Parts small enough for HiGHS (GAP-shaped ones among them): HiGHS gets this share of what the
 * heuristics leave, in its nodes and in its time; the neighbourhood MIPs, growing to
 * GAP_LNS_GROW_TO reps, the rest, from HiGHS's plan. Measured on Chu & Beasley types C, D and E at
 * 10 s (docs/scale.md, "HiGHS, then the neighbourhoods"): HiGHS's tree stalls on its plan (e10200:
 * 23,333 from 4 s to 10 s) and three-rep neighbourhoods re-packed exactly improve it within a
 * second (to 23,307, the best known); with half, c10200 lost the 2,807 HiGHS finds 5.8 s in.
 */
const HIGHS_SHARE = 0.7;
/** HiGHS's share after the fixing dives, which leave it a second or so at 10 s (its root, little more). */
const HIGHS_SHARE_AFTER_DIVES = 0.3;
/** With a core to spare, HiGHS on the helper thread from the start stops at this share of the time. */
const HIGHS_BESIDE_UNTIL = 0.75;
const GAP_LNS_GROW_TO = 12;
/** The least time limit of a part (its share of the solve's) for HiGHS, then the neighbourhoods: HiGHS's tree stalls after seconds. */
const NEIGHBOURHOODS_MIN_MS = 5_000;
/**
 * GAP-shaped parts: before HiGHS, the exact fixing by the knapsack bound's reduced costs
 * (knapsack-reduced-cost-fixing.ts) at the best knapsack multipliers and the plan so far. When it
 * leaves at most this share of the pairs, HiGHS gets the MIP of those (every better plan is in it)
 * instead of the whole one (with two threads, HiGHS on the helper is stopped for it); when it
 * leaves a customer no pair, the plan is optimal. Measured on Chu & Beasley C, D and E
 * (docs/scale.md): it leaves 14–32% of the pairs of type C, 45% of e10200 and 88–100% of type D;
 * with the reduced MIP type C reaches its 10 s costs sooner (c20100 proven optimal in 1.6 s against
 * 2.6 s) and better costs at 1 s (c05100 1,931 against 1,933, c05200 3,457 against 3,459, c20100
 * 1,243 against 1,244); at 0.6, e10200's reduced MIP (45%) led to 23,314 at 10 s against
 * 23,307–23,309.
 */
const REDUCED_MAX_SHARE = 0.35;
/**
 * GAP-shaped parts (exact integer knapsacks): after exact fixing, the branch and bound over what
 * it leaves (lagrangian-branch-and-bound.ts) until this share of the part's work, before HiGHS.
 * Measured on Chu & Beasley C, D and E at 10 s, one thread (docs/scale.md): it proves the optimum of
 * every type C instance and of e10200 in 0.3–4.4 s (c20200 2,394 → 2,391, c10200 2,807 → 2,806,
 * e10200 23,309 → 23,307) and finds d05100's (6,361 → 6,353); at 0.7, d05100 stayed at 6,361.
 * On the larger type D instances it would take the time of HiGHS and the neighbourhoods (below).
 */
const BRANCH_UNTIL = 0.9;
/**
 * After the fixing dives (the type D instances at 10 s) only on parts of at most this many pairs:
 * measured from a cold start at 10 s, d05100 (500 pairs) 6,361 → 6,353 (its optimum) with the
 * branch and bound, but d10100 (1,000) 6,354 → 6,361: its levels do not end in the time, and the
 * neighbourhoods after HiGHS lose theirs.
 */
const BRANCH_AFTER_DIVES_MAX_PAIRS = 600;

/** A budget drawing `share` of what `budget` has left, in work and in time, asking the same stop. */
function shareOf(budget: WorkBudget, share: number): WorkBudget {
  const now = performance.now();
  return new WorkBudget(share * budget.left(), budget.deadline === Infinity ? Infinity : now + share * (budget.deadline - now), () => budget.pollStop());
}

/** Subgradient steps of the knapsack bound (measured: within a unit of its limit after 100–300 on types C, D and E). */
const KNAPSACK_ITERATIONS = 300;
/** Fewest knapsack steps the phase's work must pay for (at their most expensive) for it to run. */
const KNAPSACK_MIN_STEPS = 50;

/** Starting multipliers of the knapsack bound: each customer's best score under the LP's prices. */
function knapsackStart(problem: AssignmentProblem, lpScores: Float64Array): Float64Array {
  const start = new Float64Array(problem.customerCount).fill(-Infinity);
  for (let k = 0; k < problem.pairCount; k++) {
    const c = indexAt(problem.pairCustomer, k);
    start[c] = Math.max(start[c] ?? -Infinity, lpScores[k] ?? 0);
  }
  return start;
}

/**
 * The knapsacks' choice made a full assignment: a customer no knapsack took keeps its pair in
 * `fallback` (the plan so far), so the search starts near both.
 */
function completeChoice(problem: AssignmentProblem, taken: Int32Array, fallback: PairChoice): PairChoice {
  const out = fallback.slice();
  for (let c = 0; c < problem.customerCount; c++) {
    const k = taken[c] ?? -1;
    if (k >= 0) out[c] = k;
  }
  return out;
}

/**
 * Mid-size parts with value bands (more pairs than FULL_MIP_COLUMNS, at most MIDSIZE_MIP_COLUMNS):
 * the search below with HEAD_SHARE of the part's work and of its time to the hard stop, then HiGHS
 * on the whole part with the rest, from the search's plan as a MIP start (its RINS and other
 * neighbourhoods start from it; the better of the two is kept) and with its bound tightening the
 * part's: its root cuts prove what the Lagrangian (the LP's) bound cannot, 0.04–0.06% of the
 * objective on the realistic 2,000 × 40 books. Measured there (docs/scale.md), seeds 1–3: at 60 s
 * the reported gap 0.027 / 0.025 / 0.078% against 0.069 / 0.098 / 0.130% for the search alone,
 * plans within 0.013% of the better of the two; at 10 s 0.046 / 0.076 / 0.176% against 0.074 /
 * 0.123 / 0.219%. With half the time HiGHS's root on 100,000 pairs (4,000 × 80) did not end at 20 s.
 */
const HEAD_SHARE = 0.5;
/** Time kept back from the hard stop for HiGHS's overrun of its own limit there (measured: 0.07–0.4 s at 26,000 pairs). */
const TAIL_MARGIN_MS = 400;

export async function solveByLagrangianSearch(problem: AssignmentProblem, mipGap: number, budget: WorkBudget, progress?: PartProgress, threads = 1): Promise<ComponentResult> {
  if (problem.pairCount <= FULL_MIP_COLUMNS || problem.pairCount > MIDSIZE_MIP_COLUMNS || !hasValueBands(problem)) return searchPart(problem, mipGap, budget, progress, threads);
  const now = performance.now();
  // The head may use the whole time to find its first plan (on a busy machine the clock, not the
  // work, ends its share), and hands over at its share of the time once it has one.
  const head = new WorkBudget(Math.floor(HEAD_SHARE * budget.total), budget.deadline, () => budget.pollStop());
  const handOverAt = budget.deadline === Infinity ? Infinity : now + HEAD_SHARE * (budget.deadline - now);
  const found = await searchPart(problem, mipGap, head, progress, threads, handOverAt);
  budget.spend(head.used);
  // The head's hard stop is a point on the clock: where it cut the search, the answer depends on the clock.
  if (head.clockCut || head.clockShaped) budget.clockShaped = true;
  const { choice, objective, bound, algorithms, highsVersion, nodes } = found;
  if (head.cancelled || found.status === "optimal") return settle({ choice, objective, bound, algorithms, highsVersion, nodes }, mipGap, budget);
  // HiGHS's root on these parts has no work limit and can take a minute (28,600 pairs): without a
  // hard stop, its time limit is the work left, in milliseconds of time limit; with one, it stops
  // TAIL_MARGIN_MS before it (it overruns its own limit in its root).
  const tail = new WorkBudget(budget.left(), budget.deadline === Infinity ? performance.now() + budget.left() / WORK_UNITS_PER_MS : budget.deadline - TAIL_MARGIN_MS, () => budget.pollStop());
  // Without a plan from the search, HiGHS from scratch (it may still find one), and the search's bound kept.
  const kept = choice === null || objective === null ? null : { choice, objective, bound };
  const answer = await solveWholeMip(problem, mipGap, tail, kept, algorithms, progress, { whole: wholeMip(problem, tail, tail.left(), kept === null ? undefined : { from: kept.choice }) });
  budget.spend(tail.used);
  if (tail.clockCut || tail.clockShaped) budget.clockShaped = true;
  if (answer.status === "infeasible") return finish({ status: "infeasible", choice: null, objective: null, bound: null, algorithms: answer.algorithms, highsVersion: answer.highsVersion, nodes: answer.nodes }, budget);
  const tighter = answer.bound === null ? bound : bound === null ? answer.bound : Math.min(answer.bound, bound);
  return settle({ choice: answer.choice, objective: answer.objective, bound: tighter, algorithms: answer.algorithms, highsVersion: answer.highsVersion, nodes: answer.nodes }, mipGap, budget);
}

/**
 * The search of a part (the header's phases) within `budget`; with `handOverAt`, the hard stop is
 * brought forward to it once the search has a plan.
 */
async function searchPart(problem: AssignmentProblem, mipGap: number, budget: WorkBudget, progress?: PartProgress, threads = 1, handOverAt = Infinity): Promise<ComponentResult> {
  const mipAfter = problem.pairCount <= FULL_MIP_COLUMNS;
  const shares = mipAfter ? WITH_MIP : WITHOUT_MIP;
  // HiGHS's nodes may use the work the heuristics leave: fixed here, so that HiGHS started now on
  // a helper thread (the portfolio, with a core to spare) runs exactly as it would after them.
  const highsWork = (1 - shares.heuristics) * budget.total;
  const algorithms = ["lagrangian", "local-search"];
  const solver = new SubgradientSolver(problem);
  const report = progress ?? SILENT_PROGRESS;
  // The plan so far (set once the heuristics have one) and the best bound, as reported.
  let incumbent: { choice: PairChoice; objective: number } | null = null;
  // The knapsack bound of GAP-shaped parts, once computed (knapsack-lagrangian-bound.ts).
  let knapsackBound = Infinity;
  // The multipliers of the best knapsack bound (the exact fixing before HiGHS uses them).
  let knapsackU: Float64Array | null = null;
  const bound = (): number | null => {
    const b = Math.min(solver.bestBound, knapsackBound);
    return Number.isFinite(b) ? b : null;
  };
  const figures = (): void => report.figures(incumbent?.objective ?? null, bound());
  // The turns side by side (below) need HiGHS's helper thread: loaded while the bound runs.
  if (!mipAfter && threads > 1 && hasValueBands(problem)) warmHighsThread();
  const gapShaped = mipAfter && ejectionChainsApply(problem);
  // HiGHS, then the neighbourhood MIPs (below): only on GAP-shaped parts (on a realistic 1,000 × 20
  // book HiGHS with all the time ended 0.09% better) and time limits of NEIGHBOURHOODS_MIN_MS and
  // more (at 1 s HiGHS with all of it reaches the optimum of Cattrysse's gap12 instances where 70%
  // did not, on three of five). On the helper thread HiGHS then stops at HIGHS_BESIDE_UNTIL of the
  // time, so that the neighbourhood MIPs after it get the rest, as on one thread.
  const thenNeighbourhoods = gapShaped && budget.total / WORK_UNITS_PER_MS >= NEIGHBOURHOODS_MIN_MS;
  const helper = mipAfter && threads > 1 ? (thenNeighbourhoods ? shareOf(budget, HIGHS_BESIDE_UNTIL) : budget) : null;
  const highsNodes = thenNeighbourhoods ? HIGHS_SHARE * highsWork : highsWork;
  const started = helper !== null ? startWholeMipOnThread(wholeMip(problem, helper, highsNodes), mipGap, helper, progress, () => ({ objective: incumbent?.objective ?? null, bound: bound() })) : null;
  // HiGHS must begin before the synchronous phases below hold this thread (highs-on-thread.ts `begun`).
  if (started !== null) await started.thread.begun();
  /** Work of one subgradient step: every pair priced, every customer counted, every rep row stepped. */
  const stepWork = problem.pairCount + 2 * problem.customerCount + 8 * problem.repCount;

  const iterate = (phase: WorkMeter, cap: number, target: number | null): void => {
    let windowStart = Infinity;
    for (let i = 0; i < cap; i++) {
      if (phase.exhausted()) return;
      if (i === 0) report.phase("lagrangian");
      if (solver.iterations === Math.floor(FIRST_ITERATIONS / 2)) solver.resetAverage();
      const before = solver.bestBound;
      solver.step(target);
      phase.spend(stepWork);
      if (solver.bestBound < before) figures();
      if (i % CONVERGENCE_WINDOW === 0) {
        if (windowStart !== Infinity && windowStart - solver.bestBound <= allowance(solver.bestBound, BOUND_CONVERGENCE)) return;
        windowStart = solver.bestBound;
      }
    }
  };
  iterate(budget.until(shares.bound), FIRST_ITERATIONS, null);

  const openGap = (): number => {
    const b = bound();
    return incumbent === null || b === null ? Infinity : relativeGap(b, incumbent.objective);
  };
  // Band-aware exchanges (band-exchange-search.ts): on parts with value bands too large for HiGHS,
  // while the plan is more than BANDS_MIN_GAP from the bound.
  let bandExchanges = !mipAfter && hasValueBands(problem);

  // A plan: rounded, repaired, improved.
  report.phase("local-search");
  const guide = reducedScores(problem, pairPrices(problem, solver.bestMultipliers));
  // The greedy repair gives the better start but is slow on large parts; when the work left for the
  // heuristics is too little for it (in subgradient steps of this part), the penalty search starts
  // from the rounded choices directly: a plan first.
  const hurry = budget.left(shares.heuristics) < REPAIR_PATH_ITERATIONS * stepWork;
  const rounded = solver.roundedAverage();
  solver.endAverage();
  const repaired = hurry ? { choice: rounded, feasible: false } : repairGreedy(problem, rounded, guide, { work: budget.until(shares.repair) });
  let feasible: PairChoice | null = repaired.feasible ? repaired.choice : null;
  if (feasible === null) {
    for (const from of [repaired.choice, solver.choice]) {
      const search = new PenaltySearch(problem, from);
      search.setGuide(guide);
      // Without a plan nothing else matters: the penalty search may use all the heuristics' work.
      search.run({ work: budget.until(shares.heuristics), maxSweeps: PENALTY_SWEEPS, shiftsOnly: true });
      if (search.best !== null) {
        feasible = search.best;
        break;
      }
    }
  }
  if (feasible !== null) {
    budget.stopBy(handOverAt);
    const chain = new ChainSearch(problem, feasible);
    // On large parts with value bands the chain search stalls: it hands over to the band-aware
    // exchanges at `bandStart` when they apply (below), and goes on otherwise.
    const sweeps = chain.run({ work: budget.until(bandExchanges ? shares.bandStart : shares.heuristics), maxSweeps: CHAIN_SWEEPS });
    if (chain.state.isFeasible()) {
      incumbent = { choice: chain.state.choice.slice(), objective: chain.state.objective };
      if (bandExchanges && openGap() <= Math.max(BANDS_MIN_GAP, mipGap)) {
        bandExchanges = false;
        chain.run({ work: budget.until(shares.heuristics), maxSweeps: CHAIN_SWEEPS - sweeps });
        if (chain.state.isFeasible()) incumbent = { choice: chain.state.choice.slice(), objective: chain.state.objective };
      }
    }
    figures();
  }
  const closed = (): boolean => {
    const b = bound();
    return incumbent !== null && b !== null && relativeGap(b, incumbent.objective) <= mipGap;
  };

  // Parts with value bands: exchanges of up to two customers each way between two reps that keep
  // both in band (where single shifts and swaps stall), each round finished by the chain search,
  // up to `rounds` rounds while the phase each round gets from `meter` lasts.
  const bandRounds = (meter: () => WorkMeter, rounds = BAND_ROUNDS, chainSweeps = BAND_CHAIN_SWEEPS): void => {
    if (incumbent === null) return;
    let plan: { choice: PairChoice; objective: number } = incumbent;
    for (let round = 0; round < rounds; round++) {
      const phase = meter();
      if (phase.exhausted()) break;
      const band: BandExchangeSearch = new BandExchangeSearch(problem, plan.choice);
      band.setRank(guide);
      let n = band.run({ work: phase });
      let choice = band.state.choice;
      if (problem.minStays > 0 && !phase.exhausted()) {
        const trade = new BudgetTradeSearch(problem, choice);
        trade.setRank(guide);
        const traded = trade.run({ work: phase, maxSweeps: TRADE_SWEEPS });
        if (traded > 0) {
          n += traded;
          choice = trade.state.choice;
          if (!algorithms.includes("budget-trade")) algorithms.push("budget-trade");
        }
      }
      if (n === 0) break;
      // When the work (or the clock) ran out inside the exchanges, the chain search would make no
      // move: their plan as it stands, without the chain search's setup (a second or so at 100k).
      let state: AssignmentState;
      if (phase.exhausted()) {
        state = new AssignmentState(problem, choice);
      } else {
        const chain: ChainSearch = new ChainSearch(problem, choice);
        chain.run({ work: phase, maxSweeps: chainSweeps });
        state = chain.state;
      }
      if (!state.isFeasible() || state.objective <= plan.objective) break;
      plan = { choice: state.choice.slice(), objective: state.objective };
      incumbent = plan;
      if (!algorithms.includes("band-exchange")) algorithms.push("band-exchange");
      figures();
    }
  };
  // Where few customers disagree with the relaxation (at most AGREEMENT_MAX_FREE), the dives by
  // agreement go first, and the exchanges only if the first closes too little of the gap (below).
  const divesFirst = incumbent !== null && bandExchanges && disagreeing(problem, incumbent.choice, guide).length <= AGREEMENT_MAX_FREE;
  if (bandExchanges && !divesFirst) bandRounds(() => budget.until(shares.bands));

  // Parts shaped like the generalized assignment problem: the knapsack bound (much tighter than the
  // LP's on the hard types), then the ejection-chain search from the knapsacks' choice, before
  // HiGHS (it finds the plans of the hard GAP types that HiGHS's tree does not reach in the time;
  // measured in docs/scale.md).
  // Candidate lists by LP reduced score: `guide` (no subgradient step has run since, on these parts).
  const lpScores = gapShaped ? guide : null;
  // Whether the fixing dives ran (they take most of the time: HiGHS after them gets less, below).
  let dove = false;
  if (lpScores !== null && incumbent !== null && openGap() > CHAINS_MIN_GAP) {
    // The knapsack bound only when the phase's work pays for enough steps to converge.
    let from: PairChoice | undefined;
    let knapsackTaken: KnapsackBoundResult | null = null;
    if (knapsackBoundApplies(problem) && KNAPSACK_MIN_STEPS * knapsackStepWork(problem) <= budget.left(shares.knapsack)) {
      report.phase("lagrangian");
      const knapsack = knapsackLagrangianBound(problem, { work: budget.until(shares.knapsack), maxIterations: KNAPSACK_ITERATIONS, target: incumbent.objective, start: knapsackStart(problem, lpScores) });
      if (knapsack.bound < knapsackBound) {
        knapsackBound = knapsack.bound;
        knapsackU = knapsack.multipliers;
        algorithms.push("knapsack-lagrangian");
        figures();
      }
      from = completeChoice(problem, knapsack.choice, incumbent.choice);
      knapsackTaken = knapsack;
    }
    // Closer than CHAINS_MIN_GAP, HiGHS closes the gap faster alone.
    if (openGap() > CHAINS_MIN_GAP) {
      report.phase("local-search");
      const b = bound();
      const ec = searchByEjectionChains(problem, incumbent.choice, {
        work: budget.until(shares.chains),
        guide: lpScores,
        patience: EJECTION_PATIENCE,
        ...(from === undefined ? {} : { from }),
        ...(b === null ? {} : { target: targetObjective(b, mipGap) }),
      });
      if (ec.improved) {
        incumbent = { choice: ec.choice, objective: ec.objective };
        algorithms.push("ejection-chains");
        figures();
      }
    }
    // Still far from the bound (the hard type D instances: HiGHS's tree does not close such gaps in
    // the time either): path relinking between elite plans or, when the time limit leaves them
    // room, the fixing dives, before HiGHS.
    const limitMs = budget.total / WORK_UNITS_PER_MS;
    const fixingMs = FIXING_SHARES.map((share, i) => Math.max(share * limitMs, Math.min((FIXING_SHORT_SHARES[i] ?? share) * limitMs, FIXING_FLOOR_MS)));
    const divesFit = (fixingMs[0] ?? 0) >= FIXING_MIN_MS;
    if (!divesFit && openGap() > RELINK_MIN_GAP && !budget.until(shares.relink).exhausted()) {
      const b = bound();
      const relinking = new PathRelinking(problem, [incumbent], { guide: lpScores, ...RELINKING, ...(b === null ? {} : { target: targetObjective(b, mipGap) }) });
      relinking.run(budget.until(shares.relink));
      if (relinking.best.objective > incumbent.objective) {
        incumbent = relinking.best;
        algorithms.push("path-relinking");
        figures();
      }
    }
    // Still far from the bound: Lagrangian fixing dives (knapsack-fixing-mip.ts), first at the
    // multipliers of a knapsack bound aimed below its value (as without a plan: they spread the
    // customers differently from those aimed at the plan), then at the first run's, then at those of
    // knapsack bounds aimed at the plan so far while the dives improve it.
    if (divesFit && knapsackTaken !== null && openGap() > RELINK_MIN_GAP) {
      const aimedLow = knapsackLagrangianBound(problem, { work: budget.until(1), maxIterations: KNAPSACK_ITERATIONS, target: null, start: knapsackStart(problem, lpScores) });
      if (aimedLow.bound < knapsackBound) {
        knapsackBound = aimedLow.bound;
        knapsackU = aimedLow.multipliers;
        figures();
      }
      dove = true;
      const dived = await diveRepeatedly(problem, {
        work: budget.until(1),
        maxMs: fixingMs,
        knapsacks: [aimedLow, knapsackTaken],
        aimedAt: (objective) => {
          const knapsack = knapsackLagrangianBound(problem, { work: budget.until(1), maxIterations: KNAPSACK_ITERATIONS, target: objective, start: knapsackStart(problem, lpScores) });
          if (knapsack.bound < knapsackBound) {
            knapsackBound = knapsack.bound;
            knapsackU = knapsack.multipliers;
            figures();
          }
          return knapsack;
        },
        onTimeLimit: () => (budget.clockShaped = true),
        incumbent,
        done: () => openGap() <= RELINK_MIN_GAP,
        onImproved: (plan) => {
          incumbent = plan;
          figures();
        },
      });
      if (dived.improved) algorithms.push("knapsack-fixing");
    }
  }

  // Work left: re-pack a few reps at a time by exact sub-MIPs (neighbourhood-search.ts), aim the
  // subgradient at the plan's objective for a tighter bound, then re-pack again with what is left;
  // each stops once the gap reaches mipGap.
  const lns = async (share: number, growTo?: number, meter?: WorkMeter): Promise<void> => {
    const phase = meter ?? budget.until(share);
    if (incumbent === null || closed() || phase.exhausted()) return;
    report.phase("local-search");
    const b = bound();
    const onImproved = (objective: number): void => report.figures(objective, bound());
    const better = await improveByNeighbourhoods(problem, incumbent.choice, { work: phase, ...(growTo === undefined ? {} : { growTo }), ...(b === null ? {} : { target: targetObjective(b, mipGap) }), ...(progress === undefined ? {} : { onImproved }) });
    if (better.solved > 0 && !algorithms.includes("neighbourhood-mip")) algorithms.push("neighbourhood-mip");
    if (better.objective > incumbent.objective) incumbent = { choice: better.choice, objective: better.objective };
  };
  // Large parts with value bands where few customers disagree with the relaxation (before the
  // exchanges, or after them): a Lagrangian fixing dive by agreement (agreement-fixing-mip.ts),
  // then more subgradient steps aimed at the plan and the wide dive at their multipliers; where the
  // dives went first and the first paid too little, the exchanges instead.
  const agreementApplies = (): boolean =>
    incumbent !== null &&
    hasValueBands(problem) &&
    openGap() > Math.max(BANDS_MIN_GAP, mipGap) &&
    disagreeing(problem, incumbent.choice, reducedScores(problem, pairPrices(problem, solver.bestMultipliers))).length <= AGREEMENT_MAX_FREE;
  const agreementDives = async (): Promise<void> => {
    if (incumbent === null) return;
    const limitMs = budget.total / WORK_UNITS_PER_MS;
    /**
     * A dive from the plan so far (`kind`: the first, a turn's or the wide one): whether it improved
     * the plan; null when there was no MIP to solve (nothing free, or more than its `maxFree`).
     */
    const dive = async (maxMs: number, kind: "first" | "turn" | "wide", onTimeLimit: () => void = () => (budget.clockShaped = true), turnCandidates = AGREEMENT_CANDIDATES): Promise<boolean | null> => {
      if (incumbent === null) return null;
      report.phase("local-search");
      const dived = await diveByAgreement(problem, {
        work: budget.until(1),
        maxMs,
        onTimeLimit,
        incumbent,
        reducedScores: reducedScores(problem, pairPrices(problem, solver.bestMultipliers)),
        ...(kind === "wide"
          ? { candidates: WIDE_CANDIDATES, maxFree: WIDE_MAX_FREE, margin: WIDE_MARGIN, heuristicEffort: WIDE_EFFORT }
          : kind === "turn"
            ? { candidates: turnCandidates, maxFree: WIDE_MAX_FREE, margin: WIDE_MARGIN }
            : { candidates: AGREEMENT_CANDIDATES, maxFree: AGREEMENT_MAX_FREE }),
      });
      if (dived === null) return null;
      if (!dived.improved) return false;
      incumbent = { choice: dived.choice, objective: dived.objective };
      if (!algorithms.includes("agreement-fixing")) algorithms.push("agreement-fixing");
      figures();
      return true;
    };
    /** The turns of dives and exchanges (EXCHANGE_TURNS); `exchangesFirst` when the first dive ran to its time limit. */
    const turns = async (exchangesFirst: boolean): Promise<void> => {
      budget.clockShaped = true;
      const baseMs = AGREEMENT_SHARE * limitMs;
      let next: TurnDive | null = { candidates: AGREEMENT_CANDIDATES, maxMs: baseMs };
      for (let turn = 0; turn < EXCHANGE_TURNS && incumbent !== null; turn++) {
        const before = incumbent.objective;
        const exchanges = turn > 0 || exchangesFirst;
        if (exchanges) {
          bandRounds(() => budget.untilHardStop(), 1, TURN_CHAIN_SWEEPS);
          if (budget.late()) return;
          if (next !== null) iterate(budget.untilHardStop(), TURN_STEPS, incumbent.objective);
        }
        if (next !== null) {
          let cut = false;
          const improved = await dive(
            next.maxMs,
            "turn",
            () => {
              cut = true;
              budget.clockShaped = true;
            },
            next.candidates,
          );
          next = improved === null ? null : nextTurnDive(next, { improved, cut }, baseMs);
        }
        if (exchanges && incumbent.objective <= before && next === null) return;
      }
    };
    const open = openGap();
    let firstCut = false;
    const first = await dive(AGREEMENT_SHARE * limitMs, "first", () => {
      firstCut = true;
      budget.clockShaped = true;
    });
    const paid = first === true && openGap() <= (1 - FIRST_DIVE_CLOSES) * open;
    // A first dive that closed too little of the gap: the exchanges (where they were put off) take the rest.
    if (!paid && divesFirst) {
      bandRounds(() => budget.until(shares.bands));
      return;
    }
    if (closed() || budget.until(1).exhausted()) return;
    iterate(budget.until(1), AGREEMENT_STEPS, incumbent.objective);
    if (divesFirst) await turns(firstCut);
    else await dive(WIDE_SHARE * limitMs, "wide");
  };
  /**
   * With a core to spare (`threads` > 1), where the dives go first: the turns side by side. Each
   * turn's dive runs on a helper thread (dive-on-thread.ts) while this thread runs the band-aware
   * exchanges from the same plan (for at least the dive's time limit, then until the dive answers
   * or they settle), then, if the dive is still running, TURN_STEPS subgradient steps aimed at
   * their plan; the dive's plan and the exchanges' are then crossed by a MIP (crossover-mip.ts),
   * which keeps both gains where they fit together. The first turn's dive frees what the first
   * dive would, later ones what a turn's would. After each dive the next is as turn-dive-schedule.ts
   * says (more time after one its time limit stopped, one more candidate pair per free customer
   * after one that proved nothing better; past that, the exchanges go on alone). The turns end
   * after EXCHANGE_TURNS, when one gains nothing and no dive is left,
   * or at the hard stop. The answer depends on the clock, and says so (`clockShaped`).
   */
  const turnsBeside = async (): Promise<void> => {
    budget.clockShaped = true;
    const limitMs = budget.total / WORK_UNITS_PER_MS;
    const baseMs = AGREEMENT_SHARE * limitMs;
    let next: TurnDive | null = { candidates: AGREEMENT_CANDIDATES, maxMs: baseMs };
    for (let turn = 0; turn < EXCHANGE_TURNS && incumbent !== null && !budget.late(); turn++) {
      const start: { choice: PairChoice; objective: number } = incumbent;
      const t0 = performance.now();
      const diveMs: number = next?.maxMs ?? baseMs;
      const input: RestrictionInput | null = next !== null
        ? agreementRestriction(problem, start.choice, {
            reducedScores: reducedScores(problem, pairPrices(problem, solver.bestMultipliers)),
            candidates: next.candidates,
            ...(turn === 0 ? { maxFree: AGREEMENT_MAX_FREE } : { maxFree: WIDE_MAX_FREE, margin: WIDE_MARGIN }),
          })
        : null;
      const dive: DiveOnThread | null = input === null ? null : await startDiveOnThread(problem, input, Math.min(diveMs, budget.msLeft()), start);
      report.phase("local-search");
      const answered = (): boolean => dive?.finished() ?? false;
      // The exchanges get at least the dive's time limit (a sweep of them builds its lists first:
      // stopped early it has nothing to show), and end once the dive has answered after that.
      const exchangesUntil = t0 + Math.min(diveMs, budget.msLeft());
      bandRounds(() => {
        const meter = budget.untilHardStop();
        return { ...meter, exhausted: () => meter.exhausted() || (answered() && performance.now() >= exchangesUntil) };
      });
      // The subgradient steps aimed at the exchanges' plan only while the dive is still running (this thread would wait).
      if (dive !== null && !answered()) iterate(budget.untilHardStop(), TURN_STEPS, incumbent.objective);
      const dived: ThreadDiveResult | null = dive === null ? null : await dive.answer(() => budget.pollStop());
      next = next === null || dived === null ? null : nextTurnDive(next, dived, baseMs);
      if (dived !== null && dived.improved) {
        if (!algorithms.includes("agreement-fixing")) algorithms.push("agreement-fixing");
        const [better, other] = dived.objective >= incumbent.objective ? [dived, incumbent] : [incumbent, dived];
        const crossed = incumbent.objective > start.objective ? await crossByMip(problem, other.choice, { work: budget.untilHardStop(), maxMs: CROSSOVER_SHARE * limitMs, onTimeLimit: () => undefined, incumbent: better }) : null;
        incumbent = crossed !== null && crossed.improved ? { choice: crossed.choice, objective: crossed.objective } : { choice: better.choice, objective: better.objective };
        figures();
      }
      if ((incumbent.objective <= start.objective && next === null) || budget.pollStop()) return;
    }
  };
  if (!mipAfter && divesFirst && threads > 1) {
    iterate(budget.until(1), AGREEMENT_STEPS, incumbent?.objective ?? null);
    await turnsBeside();
    await lns(1, hasValueBands(problem) ? LNS_GROW_TO : undefined);
  } else if (!mipAfter && (divesFirst || agreementApplies())) {
    // Parts with value bands and a plan still BANDS_MIN_GAP from the bound: subgradient steps aimed
    // at the plan, the dives by agreement at their multipliers (or the exchanges, FIRST_DIVE_CLOSES),
    // then the neighbourhood MIPs with whatever work is left.
    iterate(budget.until(1), AGREEMENT_STEPS, incumbent?.objective ?? null);
    await agreementDives();
    await lns(1, hasValueBands(problem) ? LNS_GROW_TO : undefined);
  } else if (!mipAfter) {
    await lns(shares.lns);
    if (!closed() && solver.iterations < TOTAL_ITERATIONS) iterate(budget.until(1), TOTAL_ITERATIONS - solver.iterations, incumbent?.objective ?? null);
    await lns(1, hasValueBands(problem) ? LNS_GROW_TO : undefined);
  }

  const b = bound();
  if (incumbent !== null && closed()) {
    if (started !== null) {
      started.thread.stop();
      started.thread.result.catch(() => undefined);
    }
    return settle({ choice: incumbent.choice, objective: incumbent.objective, bound: Math.max(b ?? -Infinity, incumbent.objective), algorithms, highsVersion: null, nodes: null }, mipGap, budget);
  }
  if (mipAfter) {
    let answer: ComponentResult;
    // GAP-shaped parts: the exact fixing (REDUCED_MAX_SHARE). Where it applies, HiGHS on the
    // helper thread (the portfolio) is stopped and its answer dropped: the reduced MIP takes its
    // place there, with the node limit it has on one thread, while this thread searches beside it as
    // below; so that, unless the clock cuts the search, two threads give what one gives.
    let fixing = knapsackU !== null && incumbent !== null ? fixByKnapsackReducedCosts(problem, knapsackU, incumbent.objective, budget) : null;
    // GAP-shaped parts: the branch and bound over what the fixing leaves (BRANCH_UNTIL).
    if (fixing !== null && !fixing.proven && knapsackU !== null && incumbent !== null && (!dove || problem.pairCount <= BRANCH_AFTER_DIVES_MAX_PAIRS) && branchAndBoundApplies(problem)) {
      // Multipliers for the tree: steps aimed below the bound (target null) from the best so far;
      // those aimed at the plan give trees several times larger (c10200: 1,961 nodes against 991).
      const rooted = knapsackLagrangianBound(problem, { work: budget.until(BRANCH_UNTIL), maxIterations: KNAPSACK_ITERATIONS, target: null, start: knapsackU });
      if (rooted.bound < knapsackBound) {
        knapsackBound = rooted.bound;
        figures();
      }
      const tree = lagrangianBranchAndBound(problem, {
        allowed: Uint8Array.from(fixing.out, (out) => 1 - out),
        forced: fixing.forced,
        incumbent,
        multipliers: rooted.multipliers,
        work: budget.until(BRANCH_UNTIL),
      });
      if (tree.improved || tree.proven) algorithms.push("branch-and-bound");
      if (tree.improved) {
        incumbent = { choice: tree.choice, objective: tree.objective };
        figures();
      }
      if (tree.proven) {
        if (started !== null) {
          started.thread.stop();
          started.thread.result.catch(() => undefined);
        }
        return settle({ choice: incumbent.choice, objective: incumbent.objective, bound: incumbent.objective, algorithms, highsVersion: null, nodes: null }, mipGap, budget);
      }
      if (tree.improved) fixing = fixByKnapsackReducedCosts(problem, knapsackU, incumbent.objective, budget);
    }
    // The plan HiGHS must beat (after the branch and bound, which may have improved it).
    const kept = incumbent === null ? null : { ...incumbent, bound: bound() };
    const reduced = fixing !== null && (fixing.proven || fixing.left <= REDUCED_MAX_SHARE * problem.pairCount) ? fixing : null;
    if (reduced !== null && started !== null) {
      started.thread.stop();
      started.thread.result.catch(() => undefined);
    }
    // GAP-shaped parts: HiGHS with HIGHS_SHARE of what is left (its nodes and its time), on its own
    // budget (its time limit ends its run, not the part's); other parts: HiGHS with all of it.
    const mip = (reduced === null ? helper : null) ?? (thenNeighbourhoods ? shareOf(budget, dove ? HIGHS_SHARE_AFTER_DIVES : HIGHS_SHARE) : budget);
    if (reduced !== null && reduced.proven && incumbent !== null) {
      algorithms.push("reduced-cost-fixing");
      return settle({ choice: incumbent.choice, objective: incumbent.objective, bound: incumbent.objective, algorithms, highsVersion: null, nodes: null }, mipGap, budget);
    }
    if (reduced !== null && incumbent !== null) {
      algorithms.push("reduced-cost-fixing");
      const whole = reducedMip(problem, reducedRestriction(problem, reduced, incumbent.choice), highsNodes);
      const again = started === null ? null : startWholeMipOnThread(whole, mipGap, mip, progress, () => ({ objective: incumbent?.objective ?? null, bound: bound() }));
      if (again !== null) await again.thread.begun();
      const side = again !== null && lpScores !== null && openGap() > CHAINS_MIN_GAP ? await searchBesideHighs(problem, incumbent, again.thread, mip, { guide: lpScores, ...(b === null ? {} : { target: targetObjective(b, mipGap) }) }) : null;
      answer = await solveWholeMip(problem, mipGap, mip, kept, algorithms, progress, { whole, started: again, onlyBetter: true, ...(side === null ? {} : { ifCut: side }) });
    } else if (started === null || helper === null) {
      answer = await solveWholeMip(problem, mipGap, mip, kept, algorithms, progress, { whole: wholeMip(problem, mip, highsNodes) });
    } else {
      // The portfolio: while HiGHS works on its thread, this one searches on (portfolio-search.ts);
      // that plan counts only if the clock (or a stop request) cuts the search.
      const side =
        incumbent !== null && lpScores !== null && openGap() > CHAINS_MIN_GAP
          ? await searchBesideHighs(problem, incumbent, started.thread, helper, { guide: lpScores, ...(b === null ? {} : { target: targetObjective(b, mipGap) }) })
          : null;
      answer = await solveWholeMip(problem, mipGap, helper, kept, algorithms, progress, { started, ...(side === null ? {} : { ifCut: side }) });
    }
    if (mip === budget) return answer;
    budget.spend(mip.used);
    if (mip.clockCut || mip.clockShaped) budget.clockShaped = true;
    const { choice, objective, algorithms: ran, highsVersion, nodes } = answer;
    if (answer.status !== "feasible" || choice === null || objective === null || budget.cancelled) return finish({ status: answer.status, choice, objective, bound: answer.bound, algorithms: ran, highsVersion, nodes }, budget);
    // The neighbourhood MIPs from HiGHS's plan with the rest: re-packing a few reps at a time finds
    // what HiGHS's tree, stalled, does not (measured in docs/scale.md on types D and E).
    incumbent = { choice, objective };
    // Once the clock shaped the answer (HiGHS stopped by its time limit, or the dives by theirs), the
    // search may run to the hard stop: the dives may have spent the work.
    await lns(1, GAP_LNS_GROW_TO, budget.deadline !== Infinity && (budget.clockShaped || budget.clockCut) ? budget.untilHardStop() : undefined);
    const after: PairChoice = incumbent.choice;
    const reached: number = incumbent.objective;
    if (reached > objective && !ran.includes("neighbourhood-mip")) ran.push("neighbourhood-mip");
    return settle({ choice: after, objective: reached, bound: answer.bound === null ? null : Math.max(answer.bound, reached), algorithms: ran, highsVersion, nodes }, mipGap, budget);
  }
  if (incumbent === null) return finish({ status: "timeout", choice: null, objective: null, bound: b, algorithms, highsVersion: null, nodes: null }, budget);
  return settle({ choice: incumbent.choice, objective: incumbent.objective, bound: b === null ? null : Math.max(b, incumbent.objective), algorithms, highsVersion: null, nodes: null }, mipGap, budget);
}
