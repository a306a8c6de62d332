import type { z } from "zod";

export interface FieldError {
  /** Path of the offending field, e.g. `customers[12].currentRep` (empty string = the whole document). */
  path: string;
  message: string;
}

/** Renders a zod path as `customers[12].currentRep`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Every issue of a failed parse, in document order, as `{ path, message }`. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}
