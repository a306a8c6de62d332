import { looseKey } from "./cell-values.ts";

/** How an owner cell names a rep: by id, or by name or email (HubSpot exports owners by name). */
export type OwnerMatch = { rep: string; by: "id" | "name" } | null;

/** Finds the rep an owner cell names: its exact id first, then its id, name or email without case and extra spaces. */
export class OwnerLookup {
  private readonly ids = new Set<string>();
  private readonly loose = new Map<string, string>();

  add(id: string, name: string, email: string): void {
    this.ids.add(id);
    for (const key of [id, name, email]) {
      const k = looseKey(key);
      if (k !== "" && !this.loose.has(k)) this.loose.set(k, id);
    }
  }

  find(owner: string): OwnerMatch {
    if (this.ids.has(owner)) return { rep: owner, by: "id" };
    const rep = this.loose.get(looseKey(owner));
    return rep === undefined ? null : { rep, by: "name" };
  }
}
