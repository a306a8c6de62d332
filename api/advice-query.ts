/**
 * `?advice=true` (or `all`, or a comma-separated list of capacity, relaxation, frontier, overrides) on
 * /v1/solve: which parts of the advice (src/advice/) the worker adds to the Solution. `true` is
 * capacity and relaxation (each where it applies: capacity on a solved plan, relaxation on an
 * infeasible one); `all` adds the value-vs-band frontier; `false` asks for none.
 */
import { AdvicePart, type FieldError } from "../models/index.ts";

export const ADVICE_PARAMETER = "advice";

export type AdviceQuery = { ok: true; parts: AdvicePart[] } | { ok: false; errors: FieldError[] };

export function readAdviceQuery(originalUrl: string): AdviceQuery {
  return readAdviceValues(new URL(originalUrl, "http://localhost").searchParams.getAll(ADVICE_PARAMETER));
}

/** The values of every `advice` parameter given (none: no advice). */
export function readAdviceValues(values: readonly string[]): AdviceQuery {
  const parts: AdvicePart[] = [];
  const errors: FieldError[] = [];
  const known = AdvicePart.options;
  const add = (part: AdvicePart) => {
    if (!parts.includes(part)) parts.push(part);
  };
  for (const name of values.flatMap((v) => v.split(",")).map((v) => v.trim())) {
    const part = known.find((p) => p === name);
    if (name === "true") {
      add("capacity");
      add("relaxation");
    } else if (name === "all") known.forEach(add);
    else if (name === "false") continue;
    else if (part !== undefined) add(part);
    else {
      const shown = name === "" ? "an empty value" : `unknown value ${JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name)}`;
      errors.push({ path: ADVICE_PARAMETER, message: `${shown}: expected true, false, all, or a comma-separated list of ${known.join(", ")}` });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, parts };
}
