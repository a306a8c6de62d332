import highsEntry from "highs";
import type { Highs } from "highs";

/**
 * The HiGHS WebAssembly runtime (npm `highs`), loaded once per process (per worker thread) on the
 * first call and shared by every caller: the MIP backend (highs-backend.ts) and the structured
 * path's sparse solves (highs-sparse-solve.ts). A failed load is retried on the next call.
 */
type LoadHighs = typeof highsEntry.default;

/**
 * The package's declarations are CommonJS-shaped (the loader sits under `.default`), while Node's
 * ESM import of the package yields the loader itself. Accept both shapes.
 */
function highsLoader(): LoadHighs {
  const entry: unknown = highsEntry;
  if (typeof entry === "function") return entry as LoadHighs;
  return highsEntry.default;
}

let runtime: Promise<Highs> | null = null;

export function highsRuntime(): Promise<Highs> {
  const existing = runtime;
  if (existing !== null) return existing;
  const loading = highsLoader()().catch((error: unknown) => {
    runtime = null;
    throw error;
  });
  runtime = loading;
  return loading;
}
