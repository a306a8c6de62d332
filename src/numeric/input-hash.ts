import { createHash } from "node:crypto";

/**
 * sha256 (hex) of the canonical JSON of `value`: object keys sorted recursively (by UTF-16 code
 * units), arrays kept in order, otherwise JSON.stringify's rules (undefined/function members
 * dropped from objects and written as null in arrays, non-finite numbers as null, toJSON honoured).
 */
export function inputHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value), "utf8").digest("hex");
}

/** The canonical JSON text hashed by `inputHash`. */
export function canonicalJson(value: unknown): string {
  return write(value, new Set()) ?? "null";
}

function write(input: unknown, ancestors: Set<object>): string | undefined {
  const value = input !== null && typeof input === "object" && hasToJson(input) ? input.toJSON() : input;
  if (value === null) return "null";
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "bigint") throw new TypeError("inputHash: cannot hash a bigint");
  if (typeof value !== "object") return undefined; // undefined, function, symbol
  const obj: object = value;
  if (ancestors.has(obj)) throw new TypeError("inputHash: cannot hash a cyclic structure");
  ancestors.add(obj);
  let out: string;
  if (Array.isArray(obj)) {
    out = `[${obj.map((item: unknown) => write(item, ancestors) ?? "null").join(",")}]`;
  } else {
    const record = obj as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const text = write(record[key], ancestors);
      if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
    }
    out = `{${members.join(",")}}`;
  }
  ancestors.delete(obj);
  return out;
}

function hasToJson(value: object): value is { toJSON: () => unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === "function";
}
