import type { CapacityCut, Customer, Move, MoveReason, MoveSummary, Plan, ReassignResult, Solution } from "../../models/index.ts";
import { buildConversionModel } from "../plan/conversion-model.ts";
import { buildPairScoreIndex, scorePair, type ScoringContext } from "../plan/expected-value.ts";
import { classifyMove } from "../verify/move-classification.ts";
import { atMost } from "../numeric/tolerance.ts";
import { formatNumber } from "../numeric/number-format.ts";
import { buildPairRuleContext, pairBreach, pairWorkload, type PairRuleContext } from "../verify/pair-rules.ts";
import { solvePlan, type SolveOptions, type SolveOutcome } from "../solve/solve-plan.ts";
import { hasPlan } from "./solution-diff.ts";

/**
 * Event-driven reassignment (docs/what-if.md): the plan after the events, solved with a budget on
 * the moves that did not have to happen, and every move listed with its reason.
 *
 * A move is forced when the customer's current rep can no longer hold it: the rep left
 * (unavailable), the pair now breaks a rule, the customer is locked elsewhere — or the rep's limits
 * no longer hold its current book (a capacity cut). The engine's move budget
 * (policy.stability.maxMoves) already leaves out the first three; a capacity cut forces *some* of a
 * rep's customers out without saying which, so each such move looks voluntary to the solver. The
 * solver is therefore given maxMoves + Σ capacity cuts, and afterwards, from each cut rep, the
 * moved customers that gain least are labelled `capacity` (as many as the cut), the rest `chosen`.
 * Any feasible plan moves at least the cut from each such rep, so at most maxMoves moves are chosen.
 */

function groupByCurrentRep(plan: Plan): Map<string, Customer[]> {
  const out = new Map<string, Customer[]>();
  for (const c of plan.customers) {
    if (c.currentRep === undefined) continue;
    let list = out.get(c.currentRep);
    if (list === undefined) out.set(c.currentRep, (list = []));
    list.push(c);
  }
  return out;
}

/** Per available rep with limits: how many of the customers who could stay with it must move at least. */
export function capacityCuts(plan: Plan): CapacityCut[] {
  const ctx = buildPairRuleContext(plan);
  const byRep = groupByCurrentRep(plan);
  const lockedIn = new Map<string, Customer[]>();
  for (const c of plan.customers) {
    const lock = ctx.lockedRep.get(c.id);
    if (lock === undefined || lock === c.currentRep) continue;
    let list = lockedIn.get(lock);
    if (list === undefined) lockedIn.set(lock, (list = []));
    list.push(c);
  }
  const cuts: CapacityCut[] = [];
  for (const rep of plan.reps) {
    if (rep.available === false || (rep.maxAccounts === undefined && rep.maxWorkload === undefined)) continue;
    let fixedAccounts = 0;
    let fixedWorkload = 0;
    const movable: number[] = [];
    for (const c of lockedIn.get(rep.id) ?? []) {
      fixedAccounts += 1;
      fixedWorkload += pairWorkload(ctx, c, rep);
    }
    for (const c of byRep.get(rep.id) ?? []) {
      if (classifyMove(ctx, c, undefined) !== "voluntary") continue; // forced away anyway
      if (ctx.lockedRep.get(c.id) === rep.id) {
        fixedAccounts += 1;
        fixedWorkload += pairWorkload(ctx, c, rep);
      } else movable.push(pairWorkload(ctx, c, rep));
    }
    const staying = movable.length;
    let accounts = 0;
    if (rep.maxAccounts !== undefined) accounts = Math.max(0, fixedAccounts + staying - rep.maxAccounts);
    let workload = 0;
    if (rep.maxWorkload !== undefined) {
      let total = fixedWorkload + movable.reduce((s, w) => s + w, 0);
      const heaviest = [...movable].sort((a, b) => b - a);
      while (!atMost(total, rep.maxWorkload) && workload < heaviest.length) {
        total -= heaviest[workload] ?? 0;
        workload += 1;
      }
    }
    const mustMove = Math.min(staying, Math.max(accounts, workload));
    if (mustMove <= 0) continue;
    const detail =
      accounts >= workload
        ? `rep "${rep.id}" has maxAccounts ${rep.maxAccounts ?? "-"} but ${fixedAccounts + staying} customers that could stay: at least ${mustMove} must move`
        : `rep "${rep.id}" has maxWorkload ${rep.maxWorkload ?? "-"} below the workload of the customers that could stay: at least ${mustMove} must move`;
    cuts.push({ rep: rep.id, mustMove, detail });
  }
  return cuts;
}

/** The plan with policy.stability.maxMoves set (null removes it). */
export function withMoveBudget(plan: Plan, maxMoves: number | null): Plan {
  const stability = { ...plan.policy?.stability };
  if (maxMoves === null) delete stability.maxMoves;
  else stability.maxMoves = maxMoves;
  const policy = { ...plan.policy };
  if (Object.keys(stability).length === 0) delete policy.stability;
  else policy.stability = stability;
  return { ...plan, policy };
}

/** The plan with the request's move settings in policy.stability (absent ones keep the plan's). */
export function withStability(plan: Plan, settings: { maxMoves?: number | undefined; movePenalty?: number | undefined }): Plan {
  if (settings.maxMoves === undefined && settings.movePenalty === undefined) return plan;
  const stability = { ...plan.policy?.stability };
  if (settings.maxMoves !== undefined) stability.maxMoves = settings.maxMoves;
  if (settings.movePenalty !== undefined) stability.movePenalty = settings.movePenalty;
  return { ...plan, policy: { ...plan.policy, stability } };
}

/** The budget the solver gets: maxMoves plus the capacity cuts; null when there is no budget. */
export function solverMoveBudget(plan: Plan, cuts: readonly CapacityCut[]): number | null {
  const requested = plan.policy?.stability?.maxMoves;
  if (requested === undefined) return null;
  return requested + cuts.reduce((s, c) => s + c.mustMove, 0);
}

const round2 = (x: number) => formatNumber(x, { decimals: 2 });

function forcedReason(ctx: PairRuleContext, c: Customer, from: string): { reason: MoveReason; detail: string } {
  const lock = ctx.lockedRep.get(c.id);
  if (lock !== undefined && lock !== from) return { reason: "locked", detail: `locked to rep "${lock}" by policy.locks` };
  const rep = ctx.repById.get(from);
  if (rep === undefined || rep.available === false) return { reason: "rep-left", detail: `rep "${from}" left (unavailable)` };
  const breach = pairBreach(ctx, c, rep);
  return { reason: "ineligible", detail: breach === null ? `rep "${from}" can no longer hold the customer` : `no longer eligible: ${breach.message}` };
}

export interface MoveReport {
  moves: Move[];
  summary: MoveSummary;
}

/**
 * Every customer whose rep changed (plan order), with its reason and value change. `plan` is the
 * plan the solver was given (after the events, with the solver's budget); `maxMoves` the budget on
 * chosen moves asked for. A `policy.score` that fails on a customer's old pair throws
 * PlanExpressionError, reported like the same failure in a solve (422 with the path).
 */
export function reportMoves(plan: Plan, solution: Solution, cuts: readonly CapacityCut[], maxMoves: number | null): MoveReport {
  const ctx = buildPairRuleContext(plan);
  const scoring: ScoringContext = { policy: ctx.policy, conversion: buildConversionModel(plan.history), pairScores: buildPairScoreIndex(plan.pairs) };
  const byReason: MoveSummary["byReason"] = { "rep-left": 0, capacity: 0, ineligible: 0, locked: 0, chosen: 0 };
  const summary: MoveSummary = {
    maxMoves,
    solverMaxMoves: ctx.policy.maxMoves,
    forced: 0,
    chosen: 0,
    byReason,
    capacityCuts: [...cuts],
    chosenValue: 0,
  };
  if (!hasPlan(solution.status)) return { moves: [], summary };

  const assigned = new Map(solution.assignments.map((a) => [a.customer, a] as const));
  // The old pair's value; null when it has none: its rep is gone from the plan, or the plan scores
  // only the pairs it lists and does not list it. Anything else that fails (an expression that
  // fails on the old pair, a bug) surfaces: it is never turned into "no value change".
  const score = (c: Customer, repId: string): number | null => {
    const rep = ctx.repById.get(repId);
    if (rep === undefined) return null;
    if (scoring.pairScores !== null && scoring.pairScores.get(c.id)?.get(repId) === undefined) return null;
    return scorePair(scoring, c, rep).expectedValue;
  };

  const moves: Move[] = [];
  const voluntaryFrom = new Map<string, Move[]>();
  for (const c of plan.customers) {
    const from = c.currentRep;
    if (from === undefined) continue;
    const a = assigned.get(c.id);
    const to = a?.rep ?? null;
    if (to === from) continue;
    const before = score(c, from);
    const valueDelta = before === null ? null : (a?.expectedValue ?? 0) - before;
    const kind = classifyMove(ctx, c, to ?? undefined);
    if (kind === "forced") {
      const { reason, detail } = forcedReason(ctx, c, from);
      moves.push({ customer: c.id, from, to, reason, forced: true, detail, valueDelta });
      continue;
    }
    const move: Move = { customer: c.id, from, to, reason: "chosen", forced: false, detail: "", valueDelta };
    moves.push(move);
    let list = voluntaryFrom.get(from);
    if (list === undefined) voluntaryFrom.set(from, (list = []));
    list.push(move);
  }

  for (const cut of cuts) {
    const list = voluntaryFrom.get(cut.rep) ?? [];
    // Stable sort: ties keep plan order.
    const leastGain = [...list].sort((a, b) => (a.valueDelta ?? -Infinity) - (b.valueDelta ?? -Infinity));
    for (const move of leastGain.slice(0, cut.mustMove)) {
      move.reason = "capacity";
      move.forced = true;
      move.detail = cut.detail;
    }
  }
  for (const move of moves) {
    byReason[move.reason] += 1;
    if (move.forced) {
      summary.forced += 1;
      continue;
    }
    summary.chosen += 1;
    const delta = move.valueDelta ?? 0;
    summary.chosenValue += delta;
    move.detail =
      delta > 0
        ? `chosen: gains ${round2(delta)} in expected value (move penalty included)`
        : `chosen: loses ${round2(-delta)} on this customer to make room or meet a limit, for a better plan overall`;
  }
  return { moves, summary };
}

export interface ReassignOutcome {
  result: ReassignResult;
  timings: SolveOutcome["timings"];
}

/** Solves a plan whose events are already applied and whose policy carries the move budget asked for. */
export async function solveReassignment(plan: Plan, options: SolveOptions = {}): Promise<ReassignOutcome> {
  const cuts = capacityCuts(plan);
  const requested = plan.policy?.stability?.maxMoves ?? null;
  const budget = solverMoveBudget(plan, cuts);
  const solverPlan = budget === requested ? plan : withMoveBudget(plan, budget);
  const outcome = await solvePlan(solverPlan, options);
  const { moves, summary } = reportMoves(solverPlan, outcome.solution, cuts, requested);
  return { result: { ...outcome.solution, moves, moveSummary: summary }, timings: outcome.timings };
}
