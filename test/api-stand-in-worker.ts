/**
 * A stand-in for src/runtime/solve-worker.ts in the API tests: behaves exactly like the real worker, except
 * that a plan whose first customer is `SPIN_CUSTOMER` makes the thread spin forever and ignore every
 * time limit, like a solver that never returns. Only the pool's watchdog can stop it.
 */
import { announceStart, report as realReport, solve as realSolve, type ReportTask, type SolveTask } from "../src/runtime/solve-worker.ts";

export const SPIN_CUSTOMER = "spin-forever";
/** A plan whose first customer is this is solved as usual, and the answer's `extra` says how many threads the pool offered. */
export const THREADS_CUSTOMER = "echo-threads";

function spinForever(): never {
  for (;;) {
    // Busy: never yields to the event loop, never reads a clock, never returns.
  }
}

export function solve(task: SolveTask) {
  if (task.plan.customers[0]?.id === SPIN_CUSTOMER) {
    announceStart(task);
    spinForever();
  }
  if (task.plan.customers[0]?.id === THREADS_CUSTOMER) return realSolve(task).then((result) => ({ ...result, extra: { threads: task.options.threads ?? 1 } }));
  return realSolve(task);
}

export function report(task: ReportTask) {
  if (task.plan.customers[0]?.id === SPIN_CUSTOMER) {
    announceStart(task);
    spinForever();
  }
  return realReport(task);
}

export default solve;
