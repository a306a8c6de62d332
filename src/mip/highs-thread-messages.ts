import type { MessagePort } from "node:worker_threads";
import type { SparseMip } from "./mip-model.ts";

/** What highs-on-thread.ts sends the helper thread (highs-thread.ts) for one solve. */
export interface ThreadRequest {
  mip: SparseMip;
  mipGap: number;
  maxNodes: number;
  /** Date.now() at which HiGHS must stop (threads do not share performance.now()'s origin). */
  deadlineEpochMs: number;
  /** Three Int32 slots: SIGNAL_STOP (set by the caller), SIGNAL_DONE (set by the helper when it has answered), SIGNAL_BEGUN (set by the helper as it starts the solve). */
  signals: SharedArrayBuffer;
  /** Where the helper posts HiGHS's progress (ProgressMessage). */
  progress: MessagePort;
}

export interface ProgressMessage {
  progress: [number | null, number | null];
}

export const SIGNAL_STOP = 0;
export const SIGNAL_DONE = 1;
export const SIGNAL_BEGUN = 2;
