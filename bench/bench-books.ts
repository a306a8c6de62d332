import type { BookOptions } from "../data/book-generator.ts";

/**
 * The generated books of the benchmark. "all" books have hard territories, workloads (maxWorkload
 * per rep), a value band of ±20% around each rep's fair share and a move budget of 10% of the
 * customers (80% of customers have a current rep, a quarter of them a random one of their
 * territory, so the budget binds); "transport" books keep only count capacities (maxAccounts): a
 * transportation problem. Territories: about one per 20 reps (a sales org with regional teams),
 * at least 4.
 */
export interface BookSpec {
  name: string;
  customers: number;
  reps: number;
  kind: "all" | "transport";
}

export function territoriesFor(reps: number): number {
  return Math.max(4, Math.round(reps / 20));
}

export function bookOptions(spec: BookSpec): BookOptions {
  const base: BookOptions = { seed: 1, customers: spec.customers, reps: spec.reps, territories: territoriesFor(spec.reps) };
  if (spec.kind === "transport") return { ...base, workloads: false };
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
