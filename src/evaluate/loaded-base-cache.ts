import { createHash } from "node:crypto";
import type { EvaluatedPair, Plan } from "../../models/index.ts";
import type { LoadedBase } from "./changes-over-base.ts";

/**
 * The key of a plan and a base assignment: the SHA-256 of their JSON, so the same plan and base give
 * the same key in every process (a key says what is loaded, not where).
 */
export function planKeyOf(plan: Plan, base: readonly EvaluatedPair[]): string {
  return createHash("sha256").update(JSON.stringify(plan)).update("\n").update(JSON.stringify(base)).digest("hex");
}

/**
 * The last `capacity` plans loaded for evaluation, by key, least recently used evicted first, so
 * the memory they hold is bounded (0: none kept). Each process has its own: a key it does not hold
 * (evicted, or loaded by another instance) is a miss, and the caller sends the plan again.
 */
export class LoadedBaseCache {
  private readonly entries = new Map<string, LoadedBase>();

  constructor(readonly capacity: number) {}

  get(key: string): LoadedBase | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: LoadedBase): void {
    this.entries.delete(key);
    if (this.capacity <= 0) return;
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
