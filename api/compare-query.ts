/**
 * `?compare=round-robin,least-loaded,value-tiers,first-match` (or `all`) on /v1/solve: which
 * classic methods to apply to the plan next to the optimizer. Repeated parameters and repeated
 * methods are merged, in the order first given.
 */
import { BaselineMethod, type FieldError } from "../models/index.ts";

export const COMPARE_PARAMETER = "compare";

export type CompareQuery = { ok: true; methods: BaselineMethod[] | null } | { ok: false; errors: FieldError[] };

export function readCompareQuery(originalUrl: string): CompareQuery {
  return readCompareValues(new URL(originalUrl, "http://localhost").searchParams.getAll(COMPARE_PARAMETER));
}

/** The values of every `compare` parameter given (none: no comparison). */
export function readCompareValues(values: readonly string[]): CompareQuery {
  if (values.length === 0) return { ok: true, methods: null };
  const methods: BaselineMethod[] = [];
  const errors: FieldError[] = [];
  const known = BaselineMethod.options;
  for (const name of values.flatMap((v) => v.split(",")).map((v) => v.trim())) {
    const method = known.find((m) => m === name);
    if (name === "all") methods.push(...known.filter((m) => !methods.includes(m)));
    else if (method !== undefined) {
      if (!methods.includes(method)) methods.push(method);
    } else {
      const shown = name === "" ? "an empty name" : `unknown method ${JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name)}`;
      errors.push({ path: COMPARE_PARAMETER, message: `${shown}: expected a comma-separated list of ${known.join(", ")} (or all)` });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, methods };
}
