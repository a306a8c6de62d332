import { REALISTIC_BOOK_TRAITS, type BookOptions } from "../data/book-generator.ts";

/**
 * The generated books of the benchmark. "all" books have hard territories, workloads (maxWorkload
 * per rep), a value band of ±20% around each rep's fair share and a move budget of 10% of the
 * customers (80% of customers have a current rep, a quarter of them a random one of their
 * territory, so the budget binds); "transport" books keep only count capacities (maxAccounts): a
 * transportation problem. Territories: about one per 20 reps (a sales org with regional teams),
 * at least 4. "realistic" books add the traits of real books (data/book-generator.ts,
 * REALISTIC_BOOK_TRAITS): territories staffed by value, heavy-tailed values, senior accounts, 15%
 * stale owners with a move budget of 15% of the customers, a ±20% value band.
 */
export interface BookSpec {
  name: string;
  customers: number;
  reps: number;
  kind: "all" | "transport" | "realistic";
  /** The generator's seed (default 1): other seeds give other books of the same kind. */
  seed?: number;
}

export function territoriesFor(reps: number): number {
  return Math.max(4, Math.round(reps / 20));
}

export function bookOptions(spec: BookSpec): BookOptions {
  const base: BookOptions = { seed: spec.seed ?? 1, customers: spec.customers, reps: spec.reps, territories: territoriesFor(spec.reps) };
  if (spec.kind === "transport") return { ...base, workloads: false };
  if (spec.kind === "realistic") {
    return { ...base, ...REALISTIC_BOOK_TRAITS, policy: { fairness: { valueBand: 0.2 }, stability: { maxMoves: Math.round(0.15 * spec.customers) } } };
  }
  return { ...base, policy: { fairness: { valueBand: 0.2 }, stability: { maxMoves: Math.round(0.1 * spec.customers) } } };
}

export const SIZES: readonly { customers: number; reps: number }[] = [
  { customers: 1_000, reps: 20 },
  { customers: 10_000, reps: 200 },
  { customers: 100_000, reps: 1_000 },
];

export function bookName(customers: number, reps: number): string {
  const k = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
  return `${k(customers)} × ${k(reps)}`;
}

/**
 * The realistic-book suite: sizes and their time limits (the three, and a mid-size book whose
 * one part, about 26,000 pairs, gives half its time to HiGHS on the whole part).
 */
export const REALISTIC_SIZES: readonly { customers: number; reps: number; limitMs: number }[] = [
  { customers: 2_000, reps: 40, limitMs: 10_000 },
  { customers: 10_000, reps: 200, limitMs: 10_000 },
  { customers: 20_000, reps: 400, limitMs: 20_000 },
  { customers: 100_000, reps: 1_000, limitMs: 60_000 },
];
