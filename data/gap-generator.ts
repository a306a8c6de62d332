import type { GapInstance } from "../src/formats/gap-instance.ts";
import { SeededRandom } from "./seeded-random.ts";

/**
 * Generated Generalized Assignment Problem instances of the "hard" types D and E, following the
 * published recipes (Chu & Beasley 1997 for type D, after Martello & Toth; Laguna, Kelly,
 * González-Velarde & Glover 1995 for type E). For agent i and job j, with m agents:
 *
 *   type D: r_ij ~ U{1..100},  c_ij = 111 − r_ij + e_ij with e_ij ~ U{−10..10},
 *   type E: r_ij = round(1 − 10 ln u_ij) with u_ij ~ U(0, 1] (1 plus an exponential of mean 10),
 *           c_ij = round(1000 / r_ij − 10 e_ij) with e_ij ~ U[0, 1) (may fall slightly below 0
 *           for the rare very large r_ij),
 *   both:   b_i = ⌊0.8 Σ_j r_ij / m⌋ (capacities at 80% of an even share of the resource).
 *
 * Costs and resources are integers, as in the OR-Library files; costs are minimised. Cost and
 * resource are inversely correlated (a cheap assignment uses much of the agent), which is what
 * makes these types hard. Deterministic in `seed` (sfc32, seeded-random.ts): the same options give
 * the same instance on every platform.
 */
export type GapType = "D" | "E";

export interface GapGeneratorOptions {
  type: GapType;
  agents: number;
  jobs: number;
  seed: number;
}

export function generateGapInstance(options: GapGeneratorOptions): GapInstance {
  const { type, agents: m, jobs: n, seed } = options;
  if (!Number.isSafeInteger(m) || m < 1) throw new RangeError(`agents must be a positive integer, got ${m}`);
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`jobs must be a positive integer, got ${n}`);
  const rng = new SeededRandom(seed);
  const resource: number[][] = [];
  const cost: number[][] = [];
  for (let i = 0; i < m; i++) {
    const r: number[] = [];
    const c: number[] = [];
    for (let j = 0; j < n; j++) {
      if (type === "D") {
        const rij = rng.integer(1, 100);
        r.push(rij);
        c.push(111 - rij + rng.integer(-10, 10));
      } else {
        // u in (0, 1]: 1 − next() never returns 0.
        const u = 1 - rng.next();
        const rij = Math.max(1, Math.round(1 - 10 * Math.log(u)));
        r.push(rij);
        c.push(Math.round(1000 / rij - 10 * rng.next()));
      }
    }
    resource.push(r);
    cost.push(c);
  }
  const capacity = resource.map((row) => Math.floor((0.8 * row.reduce((s, x) => s + x, 0)) / m));
  return { agents: m, jobs: n, cost, resource, capacity };
}

/** The instance in OR-Library's text format (m n, costs, resources, capacities). */
export function formatGapInstance(instance: GapInstance): string {
  const lines = [`${instance.agents} ${instance.jobs}`];
  for (const row of instance.cost) lines.push(row.join(" "));
  for (const row of instance.resource) lines.push(row.join(" "));
  lines.push(instance.capacity.join(" "));
  return `${lines.join("\n")}\n`;
}
