/**
 * `?uncertainty=true` on /v1/solve (with `&samples=` and `&seed=`): the Solution also carries the
 * percentiles of each rep's won value from posterior sampling (src/learning/won-value-uncertainty.ts).
 */
import type { FieldError } from "../models/index.ts";
import { DEFAULT_UNCERTAINTY_SAMPLES, DEFAULT_UNCERTAINTY_SEED, MAX_UNCERTAINTY_SAMPLES, type UncertaintyOptions } from "../src/learning/won-value-uncertainty.ts";

export const UNCERTAINTY_PARAMETER = "uncertainty";
export const SAMPLES_PARAMETER = "samples";
export const SEED_PARAMETER = "seed";
export const MIN_UNCERTAINTY_SAMPLES = 100;
/** Seeds are integers from 0 to 2^31 − 1. */
export const MAX_SEED = 2 ** 31 - 1;

export type UncertaintyQuery = { ok: true; options: UncertaintyOptions | null } | { ok: false; errors: FieldError[] };

function integer(raw: string | null, min: number, max: number): number | null | undefined {
  if (raw === null || raw === "") return undefined;
  if (!/^\d{1,10}$/.test(raw)) return null;
  const value = Number(raw);
  return value >= min && value <= max ? value : null;
}

export function readUncertaintyQuery(originalUrl: string): UncertaintyQuery {
  return readUncertaintyParams(new URL(originalUrl, "http://localhost").searchParams);
}

/** The same from parameters already separated (a job's `query`). */
export function readUncertaintyParams(query: URLSearchParams): UncertaintyQuery {
  const errors: FieldError[] = [];
  const flag = query.get(UNCERTAINTY_PARAMETER);
  let wanted = false;
  if (flag !== null) {
    if (flag === "true" || flag === "1") wanted = true;
    else if (flag !== "false" && flag !== "0") errors.push({ path: UNCERTAINTY_PARAMETER, message: "must be true or false" });
  }
  const samples = integer(query.get(SAMPLES_PARAMETER), MIN_UNCERTAINTY_SAMPLES, MAX_UNCERTAINTY_SAMPLES);
  if (samples === null) errors.push({ path: SAMPLES_PARAMETER, message: `must be an integer from ${MIN_UNCERTAINTY_SAMPLES} to ${MAX_UNCERTAINTY_SAMPLES}` });
  const seed = integer(query.get(SEED_PARAMETER), 0, MAX_SEED);
  if (seed === null) errors.push({ path: SEED_PARAMETER, message: `must be an integer from 0 to ${MAX_SEED}` });
  if (!wanted && errors.length === 0 && (samples !== undefined || seed !== undefined)) {
    errors.push({ path: samples !== undefined ? SAMPLES_PARAMETER : SEED_PARAMETER, message: "only with uncertainty=true" });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, options: wanted ? { samples: samples ?? DEFAULT_UNCERTAINTY_SAMPLES, seed: seed ?? DEFAULT_UNCERTAINTY_SEED } : null };
}
