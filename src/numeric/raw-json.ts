/**
 * Response bodies assembled from JSON texts already serialised in worker threads, so that the event
 * loop never parses or re-serialises a large Solution.
 */

/** `objectJson` (the text of a JSON object) with one more member whose value is the JSON text `valueJson`. */
export function appendJsonField(objectJson: string, key: string, valueJson: string): string {
  const text = objectJson.trimEnd();
  if (!text.startsWith("{") || !text.endsWith("}")) throw new Error("appendJsonField: not a JSON object");
  const inner = text.slice(1, -1).trim();
  return `{${inner}${inner === "" ? "" : ","}${JSON.stringify(key)}:${valueJson}}`;
}
