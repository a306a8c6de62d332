/**
 * True for a JSON object (or any non-null, non-array object): what a parsed request body, a worker's
 * answer or a thrown value must be before its members are read. Kept beside the other helpers every
 * layer may use (see the layers of eslint.config.js).
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
