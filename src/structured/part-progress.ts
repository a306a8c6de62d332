import type { SolvePhase } from "../../models/index.ts";

/**
 * Live reports of one part's search, for the caller's progress (the solve adds the other parts to
 * turn them into whole-plan figures). Called on the solving thread, at a phase change and when the
 * part's incumbent or bound may have improved, never inside a kernel's inner loop. Reports only
 * observe: the search takes the same path with and without them.
 */
export interface PartProgress {
  /** The part's search entered `phase`. */
  phase(phase: Extract<SolvePhase, "structured" | "lagrangian" | "local-search">): void;
  /**
   * The part's best plan so far (its objective, null before one) and its best proven bound (null
   * before one), in the part's own objective. Either may be no better than before: the receiver
   * keeps the best of each.
   */
  figures(objective: number | null, bound: number | null): void;
}

/** Reports to nobody. */
export const SILENT_PROGRESS: PartProgress = {
  phase: () => undefined,
  figures: () => undefined,
};
