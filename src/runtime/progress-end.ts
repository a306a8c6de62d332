/**
 * The message a solve's thread sends on its progress port after its last report
 * (solve-worker.ts): the pool (solve-pool.ts) relays every report before the answer, which comes on
 * another channel and could otherwise overtake the final "done" report.
 */
export const PROGRESS_END = "progress-end";
