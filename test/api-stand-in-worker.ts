/**
 * A stand-in for src/runtime/solve-worker.ts in the API tests: behaves exactly like the real worker, except
 * that a plan whose first customer is `SPIN_CUSTOMER` makes the thread spin forever and ignore every
 * time limit, like a solver that never returns. Only the pool's watchdog can stop it.
 */
import { announceStart, report as realReport, solve as realSolve, type ReportTask, type SolveTask } from "../src/runtime/solve-worker.ts";

export const SPIN_CUSTOMER = "spin-forever";

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
