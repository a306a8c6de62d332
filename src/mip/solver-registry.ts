import { createHighsBackend } from "./highs-backend.ts";
import { createJslpBackend } from "./jslp-backend.ts";
import type { SolverBackend } from "./mip-model.ts";

/** One backend instance per name for the whole process (the HiGHS runtime is shared anyway). */
const backends = new Map<SolverBackend["name"], SolverBackend>();

export function getBackend(name: SolverBackend["name"]): SolverBackend {
  const existing = backends.get(name);
  if (existing !== undefined) return existing;
  const created = name === "highs" ? createHighsBackend() : createJslpBackend();
  backends.set(name, created);
  return created;
}
