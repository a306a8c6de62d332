/**
 * The few Redis keys Allot keeps beside a BullMQ queue (BullMQ's own keys live under `bull:<queue>:`;
 * these under `allot:<queue>:` so that BullMQ never sees or removes them):
 *
 * - `index` — sorted set of every job id by creation time (ms): the newest-first list of GET /v1/jobs.
 *   BullMQ keeps jobs in one list or set per state, none ordered across states.
 * - `cancel:<id>` — the cancel request of a job (its value: the request time in ms). A worker checks
 *   it before it starts the job and every CANCEL_POLL_MS while it runs.
 * - `result:<id>` — the answer's JSON text, beside the job rather than in BullMQ's return value, so
 *   that the events stream every API process reads, and the list, never carry a whole Solution.
 * - `cancelled` — sorted set of the ids of jobs that ended cancelled after a worker took them, by end
 *   time (BullMQ counts them as completed; counts() tells them apart).
 */
export interface BullmqJobKeys {
  index: string;
  cancelled: string;
  cancel(id: string): string;
  result(id: string): string;
}

export function bullmqJobKeys(queueName: string): BullmqJobKeys {
  const base = `allot:${queueName}`;
  return {
    index: `${base}:index`,
    cancelled: `${base}:cancelled`,
    cancel: (id) => `${base}:cancel:${id}`,
    result: (id) => `${base}:result:${id}`,
  };
}

/** How often a worker looks for a cancel request of each job it runs. */
export const CANCEL_POLL_MS = 250;

/**
 * The custom event (on the queue's BullMQ events stream) that says a queued job was cancelled, so
 * that every API process ends its subscriptions at once rather than when a worker skips the job.
 */
export const CANCELLED_EVENT = "allot-cancelled";
