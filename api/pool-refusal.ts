import type { Request, RequestHandler, Response } from "express";
import { MemoryBudgetError, PlanRejectedError, PoolClosedError, PoolDeadlineError, PoolSaturatedError, TaskCancelledError, type SolvePool } from "../src/runtime/solve-pool.ts";
import { sendProblem } from "./problem-details.ts";

const SHUTDOWN_RETRY_S = 5;

/**
 * Refuses work up front when the pool is closed or its queue already full, before the body is even
 * read, so that a saturated server spends nothing on requests it cannot serve.
 */
export function saturationGate(pool: SolvePool): RequestHandler {
  return (req, res, next) => {
    const s = pool.stats();
    if (s.closed) {
      sendProblem(req, res, "shutting-down", "The server is shutting down and takes no new work.", { retryAfterSeconds: SHUTDOWN_RETRY_S });
    } else if (s.running >= s.size && s.queued >= s.maxQueue) {
      sendProblem(req, res, "queue-full", `All ${s.size} workers are busy and ${s.queued} requests are waiting.`, { retryAfterSeconds: pool.retryAfterSeconds() });
    } else next();
  };
}

/**
 * Answers the pool's typed refusals; returns false for any other error (the caller rethrows it).
 * A cancelled task means the client has gone: nothing is sent.
 */
export function answerPoolError(req: Request, res: Response, error: unknown): boolean {
  if (error instanceof PoolSaturatedError) {
    sendProblem(req, res, "queue-full", "All workers are busy and the queue is full.", { retryAfterSeconds: error.retryAfterSeconds });
    return true;
  }
  if (error instanceof PoolClosedError) {
    sendProblem(req, res, "shutting-down", "The server is shutting down; the work was not finished.", { retryAfterSeconds: SHUTDOWN_RETRY_S });
    return true;
  }
  if (error instanceof PlanRejectedError) {
    sendProblem(req, res, "invalid-plan", "A rule or score expression of the plan cannot be used for some pair.", { errors: error.errors });
    return true;
  }
  if (error instanceof MemoryBudgetError) {
    const mib = (bytes: number) => Math.ceil(bytes / 2 ** 20);
    sendProblem(req, res, "memory-budget", `The solve would need about ${mib(error.estimateBytes)} MiB, more than this server's memory budget of ${mib(error.budgetBytes)} MiB (ALLOT_MEMORY_BUDGET).`);
    return true;
  }
  if (error instanceof PoolDeadlineError) {
    sendProblem(req, res, "validation-deadline", `The plan's statistics were not computed within ${error.deadlineMs} ms.`);
    return true;
  }
  return error instanceof TaskCancelledError;
}

/** An AbortSignal that fires when the client goes away before its response is complete. */
export function clientGone(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
