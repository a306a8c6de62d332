import type { Customer, Outcome, Plan, Policy, Rep } from "../models/index.ts";
import { SeededRandom } from "./seeded-random.ts";

/** Knobs of a synthetic book of business. Every field has a default (see `DEFAULT_BOOK_OPTIONS`). */
export interface BookOptions {
  seed?: number;
  customers?: number;
  reps?: number;
  /** Number of territories (geographic clusters in Europe). At most `reps`: each needs a home rep. */
  territories?: number;
  /** Number of segments (industries), each with its own base conversion rate. */
  segments?: number;
  /** A list of specialty names, or how many to take from the built-in list. */
  specialties?: number | readonly string[];
  /** Emit past outcomes per rep × segment. */
  history?: boolean;
  /** Fraction of customers with a `currentRep` (true = 0.8, false = 0). */
  currentOwners?: boolean | number;
  /** Emit lat/lon for customers and reps. */
  locations?: boolean;
  /** Emit customer workloads and rep `maxWorkload` (else capacity is `maxAccounts` only). */
  workloads?: boolean;
  /**
   * Capacity / demand inside every territory: each rep's `maxAccounts` and `maxWorkload` are
   * ⌈slack × its load in a hidden feasible assignment⌉. Below 1 the book is usually infeasible.
   */
  capacitySlack?: number;
  /** Copied into the plan as is (a `seniority` rule of `seniorAccounts` is added to it). */
  policy?: Policy;
  /** σ of the log-normal customer values (median 50,000); default 1.2. */
  valueSigma?: number;
  /** Workloads drawn uniformly in [min, max] (one decimal) instead of growing with value; needs `workloads`. */
  workloadRange?: readonly [number, number];
  /** Fraction of customers that require one specialty (hard); default 0.04. */
  requiresFraction?: number;
  /** Fraction of current owners that are a random rep covering the territory (a stale owner) rather than the hidden one; default 0.25. */
  staleOwners?: number;
  /**
   * Fraction of reps that also cover one neighbouring territory (else: 0–2 of the three nearest,
   * 75% none, 20% one, 5% two).
   */
  neighbourCover?: number;
  /**
   * The top fraction of accounts by value that need a senior rep (seniority ≥ `seniorLevel`): the
   * plan's policy gets the matching `seniority` rule, and every territory at least one senior home rep.
   */
  seniorAccounts?: number;
  /** Seniority a senior account needs (0–3); default 2. */
  seniorLevel?: number;
  /**
   * Territories staffed in proportion to their value: each rep's `maxWorkload` (with `workloads`)
   * is proportional to its value in the hidden assignment, so every rep's fair share of value
   * (policy.fairness) is its hidden value and value bands are tight but feasible; the factor is the
   * least that gives every rep `capacitySlack` × its hidden workload.
   */
  staffByValue?: boolean;
}

export const DEFAULT_BOOK_OPTIONS = {
  seed: 1,
  customers: 300,
  reps: 12,
  territories: 4,
  segments: 5,
  specialties: 6,
  history: true,
  currentOwners: 0.8,
  locations: true,
  workloads: true,
  capacitySlack: 1.15,
} as const;

/**
 * The traits real books have that the defaults lack: heavy-tailed values, hard territories staffed
 * by value (tight but feasible value bands), the top 6% of accounts for senior reps, 15% stale
 * owners, 30% of reps covering a neighbouring territory, 3% of accounts requiring a specialty,
 * workloads 0.5–3.5. Every customer has a current rep. Add `customers`, `reps`, `territories`,
 * `seed` and a policy (the value band and a move budget of about the stale owners: see
 * bench/bench-books.ts).
 */
export const REALISTIC_BOOK_TRAITS = {
  valueSigma: 1.1,
  workloadRange: [0.5, 3.5],
  requiresFraction: 0.03,
  currentOwners: 1,
  staleOwners: 0.15,
  neighbourCover: 0.3,
  seniorAccounts: 0.06,
  seniorLevel: 2,
  staffByValue: true,
  capacitySlack: 1.1,
} as const satisfies BookOptions;

export interface GeneratedBook {
  plan: Plan;
  /**
   * A feasible assignment under hard territories, required specialties and the capacities (for
   * `capacitySlack` ≥ 1): `witness[i]` is the rep id of `plan.customers[i]`.
   */
  witness: string[];
}

interface TerritorySeed {
  name: string;
  lat: number;
  lon: number;
}

const TERRITORIES: readonly TerritorySeed[] = [
  { name: "benelux", lat: 50.85, lon: 4.35 },
  { name: "dach", lat: 50.11, lon: 8.68 },
  { name: "iberia", lat: 40.42, lon: -3.7 },
  { name: "nordics", lat: 59.33, lon: 18.07 },
  { name: "france", lat: 48.86, lon: 2.35 },
  { name: "uk-ireland", lat: 51.51, lon: -0.13 },
  { name: "italy", lat: 45.46, lon: 9.19 },
  { name: "poland", lat: 52.23, lon: 21.01 },
  { name: "central-europe", lat: 48.21, lon: 16.37 },
  { name: "baltics", lat: 56.95, lon: 24.11 },
  { name: "southeast-europe", lat: 44.79, lon: 20.45 },
  { name: "greece-cyprus", lat: 37.98, lon: 23.73 },
];

/** Segment names with their base conversion rates. */
const SEGMENTS: readonly { name: string; rate: number }[] = [
  { name: "retail", rate: 0.22 },
  { name: "manufacturing", rate: 0.15 },
  { name: "healthcare", rate: 0.1 },
  { name: "financial-services", rate: 0.12 },
  { name: "technology", rate: 0.28 },
  { name: "public-sector", rate: 0.07 },
  { name: "logistics", rate: 0.18 },
  { name: "energy", rate: 0.09 },
];

const SPECIALTIES: readonly string[] = ["analytics", "cloud", "security", "payments", "integration", "compliance", "iot", "ai"];

const VALUE_MEDIAN = 50_000;
const VALUE_SIGMA = 1.2;
const VALUE_CAP = 5_000_000;

function checkInteger(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${value}`);
}

/** Names with a numeric suffix once the built-in list runs out. */
function names(builtIn: readonly string[], count: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, i) => builtIn[i] ?? `${prefix}-${i + 1}`);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function scatter(rng: SeededRandom, lat: number, lon: number, sdLat: number, sdLon: number): { lat: number; lon: number } {
  const y = clamp(rng.normal(lat, sdLat), -89.9, 89.9);
  let x = rng.normal(lon, sdLon);
  if (x > 180) x -= 360;
  if (x < -180) x += 360;
  return { lat: round(y, 4), lon: round(clamp(x, -180, 180), 4) };
}

/** Splits `total` into integer parts proportional to `weights`, each ≥ `minimum` (largest remainder). */
function apportion(total: number, weights: readonly number[], minimum: number): number[] {
  const n = weights.length;
  const sum = weights.reduce((s, w) => s + w, 0);
  const extra = total - n * minimum;
  const exact = weights.map((w) => (extra * w) / sum);
  const parts = exact.map((x) => minimum + Math.floor(x));
  let left = total - parts.reduce((s, p) => s + p, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left--;
  }
  return parts;
}

function idFormatter(prefix: string, count: number): (i: number) => string {
  const width = String(count).length;
  return (i) => `${prefix}${String(i + 1).padStart(width, "0")}`;
}

/**
 * A realistic synthetic book, deterministic in `options.seed`, with a certificate of feasibility.
 *
 * How it is built: territories are clusters around European city centres; reps are apportioned to
 * territories by size (each gets at least one home rep); a hidden assignment gives every customer a
 * home rep of its territory (customers with `requires` go to a rep with that specialty), balancing
 * value and workload in proportion to each rep's capacity weight; each rep's capacities are then
 * ⌈capacitySlack × its hidden load⌉, so the hidden assignment is feasible under hard territories.
 */
export function generateBookWithWitness(options: BookOptions = {}): GeneratedBook {
  const d = DEFAULT_BOOK_OPTIONS;
  const o = {
    seed: options.seed ?? d.seed,
    customers: options.customers ?? d.customers,
    reps: options.reps ?? d.reps,
    territories: options.territories ?? d.territories,
    segments: options.segments ?? d.segments,
    specialties: options.specialties ?? d.specialties,
    history: options.history ?? d.history,
    currentOwners: options.currentOwners ?? d.currentOwners,
    locations: options.locations ?? d.locations,
    workloads: options.workloads ?? d.workloads,
    capacitySlack: options.capacitySlack ?? d.capacitySlack,
    policy: options.policy,
    valueSigma: options.valueSigma ?? VALUE_SIGMA,
    requiresFraction: options.requiresFraction ?? 0.04,
    staleOwners: options.staleOwners ?? 0.25,
    seniorLevel: options.seniorLevel ?? 2,
  };
  const workloadRange = options.workloadRange;
  if (workloadRange !== undefined && !(workloadRange[0] > 0 && workloadRange[1] >= workloadRange[0] && Number.isFinite(workloadRange[1]))) {
    throw new RangeError(`workloadRange must be [min, max] with 0 < min ≤ max, got [${workloadRange.join(", ")}]`);
  }
  for (const [name, value] of [
    ["requiresFraction", o.requiresFraction],
    ["staleOwners", o.staleOwners],
    ["neighbourCover", options.neighbourCover ?? 0],
    ["seniorAccounts", options.seniorAccounts ?? 0],
  ] as const) {
    if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be a fraction in [0, 1], got ${value}`);
  }
  if (!(Number.isFinite(o.valueSigma) && o.valueSigma >= 0)) throw new RangeError(`valueSigma must be a non-negative number, got ${o.valueSigma}`);
  checkInteger("seniorLevel", o.seniorLevel, 0);
  checkInteger("seed", o.seed, Number.MIN_SAFE_INTEGER);
  checkInteger("customers", o.customers, 1);
  checkInteger("reps", o.reps, 1);
  checkInteger("territories", o.territories, 1);
  checkInteger("segments", o.segments, 1);
  if (o.territories > o.reps) throw new RangeError(`territories (${o.territories}) must not exceed reps (${o.reps}): each territory needs a home rep`);
  if (!(Number.isFinite(o.capacitySlack) && o.capacitySlack > 0)) throw new RangeError(`capacitySlack must be a positive number, got ${o.capacitySlack}`);
  const ownerFraction = o.currentOwners === true ? 0.8 : o.currentOwners === false ? 0 : o.currentOwners;
  if (!(ownerFraction >= 0 && ownerFraction <= 1)) throw new RangeError(`currentOwners must be a boolean or a fraction in [0, 1], got ${ownerFraction}`);
  let specialtyNames: string[];
  if (typeof o.specialties === "number") {
    checkInteger("specialties", o.specialties, 1);
    specialtyNames = names(SPECIALTIES, o.specialties, "specialty");
  } else {
    specialtyNames = [...o.specialties];
    if (specialtyNames.length === 0 || new Set(specialtyNames).size !== specialtyNames.length || specialtyNames.some((s) => s === "")) {
      throw new RangeError("specialties must be a non-empty list of distinct, non-empty names");
    }
  }

  const rng = new SeededRandom(o.seed);
  const T = o.territories;
  const R = o.reps;
  const N = o.customers;

  // Territories: centres and relative sizes.
  const territories = Array.from({ length: T }, (_, t) => {
    const known = TERRITORIES[t];
    const centre = known ?? { name: `region-${t + 1}`, lat: round(rng.uniform(37, 60), 2), lon: round(rng.uniform(-8, 25), 2) };
    return { ...centre, weight: rng.uniform(0.6, 1.4) };
  });
  const territoryWeights = territories.map((t) => t.weight);
  const nearest: number[][] = territories.map((a, t) =>
    territories
      .map((b, u) => ({ u, d: (a.lat - b.lat) ** 2 + ((a.lon - b.lon) * Math.cos((a.lat * Math.PI) / 180)) ** 2 }))
      .filter(({ u }) => u !== t)
      .sort((x, y) => x.d - y.d || x.u - y.u)
      .slice(0, 3)
      .map(({ u }) => u),
  );

  // Segments: base conversion rates and frequencies.
  const segments = Array.from({ length: o.segments }, (_, s) => {
    const known = SEGMENTS[s];
    return known
      ? { name: known.name, rate: known.rate, weight: rng.uniform(0.5, 1.5) }
      : { name: `segment-${s + 1}`, rate: round(rng.uniform(0.06, 0.3), 3), weight: rng.uniform(0.5, 1.5) };
  });
  const segmentWeights = segments.map((s) => s.weight);

  // Reps: home territory by apportionment, then 0–2 extra territories, specialties, seniority.
  const repId = idFormatter("r", R);
  const repsPerTerritory = apportion(R, territoryWeights, 1);
  const home = new Int32Array(R);
  {
    let r = 0;
    repsPerTerritory.forEach((count, t) => {
      for (let k = 0; k < count; k++) home[r++] = t;
    });
  }
  const repTerritories: number[][] = [];
  const repSpecialties: string[][] = [];
  const repSeniority = new Int32Array(R);
  const repWeight = new Float64Array(R);
  for (let r = 0; r < R; r++) {
    const own = home[r] ?? 0;
    const extraCount = Math.min(T - 1, options.neighbourCover === undefined ? rng.weightedIndex([0.75, 0.2, 0.05]) : rng.chance(options.neighbourCover) ? 1 : 0);
    // Extra territories come from the three nearest ones: a rep covers neighbouring regions.
    const others = extraCount === 0 ? [] : rng.sample(nearest[own] ?? [], extraCount);
    repTerritories.push([own, ...others.sort((a, b) => a - b)]);
    const specialtyCount = Math.min(specialtyNames.length, 1 + rng.weightedIndex([0.5, 0.35, 0.15]));
    repSpecialties.push(rng.sample(specialtyNames, specialtyCount));
    repSeniority[r] = rng.weightedIndex([0.25, 0.35, 0.25, 0.15]);
    repWeight[r] = rng.uniform(0.8, 1.25) * (1 + 0.1 * (repSeniority[r] ?? 0));
  }
  const homeReps: number[][] = Array.from({ length: T }, () => []);
  const coveringReps: number[][] = Array.from({ length: T }, () => []);
  for (let r = 0; r < R; r++) {
    homeReps[home[r] ?? 0]?.push(r);
    for (const t of repTerritories[r] ?? []) coveringReps[t]?.push(r);
  }
  const seniorAccounts = options.seniorAccounts ?? 0;
  if (seniorAccounts > 0) {
    // Every territory has a senior home rep for its senior accounts (its most senior one is promoted).
    for (const reps of homeReps) {
      if (reps.some((r) => (repSeniority[r] ?? 0) >= o.seniorLevel)) continue;
      const top = reps.reduce((best, r) => ((repSeniority[r] ?? 0) > (repSeniority[best] ?? 0) ? r : best), reps[0] ?? 0);
      repWeight[top] = (repWeight[top] ?? 1) * ((1 + 0.1 * o.seniorLevel) / (1 + 0.1 * (repSeniority[top] ?? 0)));
      repSeniority[top] = o.seniorLevel;
    }
  }

  // Specialties that at least two home reps of a territory share: candidates for `requires`.
  const sharedSpecialties: string[][] = homeReps.map((reps) => {
    const count = new Map<string, number>();
    for (const r of reps) for (const s of repSpecialties[r] ?? []) count.set(s, (count.get(s) ?? 0) + 1);
    return specialtyNames.filter((s) => (count.get(s) ?? 0) >= 2);
  });

  // Customers.
  const customerId = idFormatter("c", N);
  const cTerritory = new Int32Array(N);
  const cSegment = new Int32Array(N);
  const cValue = new Float64Array(N);
  const cWorkload = new Float64Array(N);
  const cNeeds: (string[] | undefined)[] = new Array<string[] | undefined>(N);
  const cRequires: (string | undefined)[] = new Array<string | undefined>(N);
  const cLocation: ({ lat: number; lon: number } | undefined)[] = new Array<{ lat: number; lon: number } | undefined>(N);
  {
    // Territory sizes follow the weights exactly (as the reps do); the order is random.
    let i = 0;
    apportion(N, territoryWeights, 0).forEach((count, t) => {
      for (let k = 0; k < count; k++) cTerritory[i++] = t;
    });
    for (let k = N - 1; k > 0; k--) {
      const j = rng.integer(0, k);
      const tmp = cTerritory[k] ?? 0;
      cTerritory[k] = cTerritory[j] ?? 0;
      cTerritory[j] = tmp;
    }
  }
  for (let i = 0; i < N; i++) {
    const t = cTerritory[i] ?? 0;
    cSegment[i] = rng.weightedIndex(segmentWeights);
    const raw = Math.min(VALUE_CAP, rng.lognormal(VALUE_MEDIAN, o.valueSigma));
    const value = Math.max(500, Math.round(raw / 100) * 100);
    cValue[i] = value;
    if (!o.workloads) cWorkload[i] = 1;
    else if (workloadRange === undefined) cWorkload[i] = clamp(Math.round(1.5 + 0.8 * Math.log(value / VALUE_MEDIAN) + rng.normal(0, 0.6)), 1, 6);
    else cWorkload[i] = round(rng.uniform(workloadRange[0], workloadRange[1]), 1);
    if (rng.chance(0.6)) cNeeds[i] = rng.sample(specialtyNames, 1 + rng.weightedIndex([0.7, 0.3]));
    const shared = sharedSpecialties[t] ?? [];
    if (shared.length > 0 && rng.chance(o.requiresFraction)) cRequires[i] = rng.choice(shared);
    if (o.locations) {
      const centre = territories[t] ?? { lat: 0, lon: 0 };
      cLocation[i] = scatter(rng, centre.lat, centre.lon, 0.9, 1.3);
    }
  }

  // Hidden feasible assignment, territory by territory: required specialties first, then by value
  // descending, each to the eligible home rep whose load (value and workload, relative to its
  // share of the territory) stays lowest.
  // Senior accounts: the top `seniorAccounts` of customers by value (ties included).
  const seniorMinValue = seniorAccounts > 0 ? Float64Array.from(cValue).sort()[Math.max(0, Math.ceil(N * (1 - seniorAccounts)) - 1)] ?? Infinity : Infinity;
  const isSenior = (r: number) => (repSeniority[r] ?? 0) >= o.seniorLevel;
  const witness = new Int32Array(N);
  const loadValue = new Float64Array(R);
  const loadWork = new Float64Array(R);
  const loadCount = new Int32Array(R);
  const byTerritory: number[][] = Array.from({ length: T }, () => []);
  for (let i = 0; i < N; i++) byTerritory[cTerritory[i] ?? 0]?.push(i);
  for (let t = 0; t < T; t++) {
    const members = byTerritory[t] ?? [];
    const reps = homeReps[t] ?? [];
    let weightSum = 0;
    for (const r of reps) weightSum += repWeight[r] ?? 0;
    let valueSum = 0;
    let workSum = 0;
    for (const i of members) {
      valueSum += cValue[i] ?? 0;
      workSum += cWorkload[i] ?? 0;
    }
    // A senior account whose required specialty no senior home rep has drops the requirement.
    for (const i of members) {
      const need = cRequires[i];
      if (need !== undefined && (cValue[i] ?? 0) >= seniorMinValue && !reps.some((r) => isSenior(r) && (repSpecialties[r] ?? []).includes(need))) cRequires[i] = undefined;
    }
    const order = members.slice().sort((a, b) => {
      const ra = cRequires[a] === undefined ? 1 : 0;
      const rb = cRequires[b] === undefined ? 1 : 0;
      return ra - rb || (cValue[b] ?? 0) - (cValue[a] ?? 0) || a - b;
    });
    for (const i of order) {
      const need = cRequires[i];
      const v = cValue[i] ?? 0;
      const w = cWorkload[i] ?? 0;
      const senior = v >= seniorMinValue;
      let best = -1;
      let bestKey = Infinity;
      for (const r of reps) {
        if (need !== undefined && !(repSpecialties[r] ?? []).includes(need)) continue;
        if (senior && !isSenior(r)) continue;
        const share = (repWeight[r] ?? 1) / weightSum;
        const key = Math.max(((loadValue[r] ?? 0) + v) / (Math.max(valueSum, 1) * share), ((loadWork[r] ?? 0) + w) / (Math.max(workSum, 1) * share));
        if (key < bestKey) {
          bestKey = key;
          best = r;
        }
      }
      if (best < 0) throw new Error(`internal: no home rep of territory ${t} can take customer ${i}`);
      witness[i] = best;
      loadValue[best] = (loadValue[best] ?? 0) + v;
      loadWork[best] = (loadWork[best] ?? 0) + w;
      loadCount[best] = (loadCount[best] ?? 0) + 1;
    }
  }

  // Staffing by value: maxWorkload ∝ hidden value, scaled so every hidden workload fits with the slack.
  let workPerValue = 0;
  if (options.staffByValue === true) {
    for (let r = 0; r < R; r++) {
      if ((loadValue[r] ?? 0) > 0) workPerValue = Math.max(workPerValue, (o.capacitySlack * (loadWork[r] ?? 0)) / (loadValue[r] ?? 1));
    }
  }
  const maxWorkload = (r: number): number =>
    workPerValue > 0 ? Math.max(1, Math.ceil(workPerValue * (loadValue[r] ?? 0) - 1e-9)) : Math.max(1, Math.ceil(o.capacitySlack * (loadWork[r] ?? 0) - 1e-9));
  const reps: Rep[] = [];
  for (let r = 0; r < R; r++) {
    const rep: Rep = {
      id: repId(r),
      territories: (repTerritories[r] ?? []).map((t) => territories[t]?.name ?? `region-${t + 1}`),
      specialties: repSpecialties[r] ?? [],
      seniority: repSeniority[r] ?? 0,
      maxAccounts: Math.max(1, Math.ceil(o.capacitySlack * (loadCount[r] ?? 0) - 1e-9)),
    };
    if (o.workloads) rep.maxWorkload = maxWorkload(r);
    if (o.locations) {
      const centre = territories[home[r] ?? 0] ?? { lat: 0, lon: 0 };
      rep.location = scatter(rng, centre.lat, centre.lon, 0.4, 0.6);
    }
    reps.push(rep);
  }

  const customers: Customer[] = new Array<Customer>(N);
  const witnessIds: string[] = new Array<string>(N);
  for (let i = 0; i < N; i++) {
    const t = cTerritory[i] ?? 0;
    const customer: Customer = {
      id: customerId(i),
      value: cValue[i] ?? 0,
      territory: territories[t]?.name ?? `region-${t + 1}`,
      segment: segments[cSegment[i] ?? 0]?.name ?? "segment-1",
    };
    if (o.workloads) customer.workload = cWorkload[i] ?? 1;
    const needs = cNeeds[i];
    if (needs !== undefined) customer.needs = needs;
    const requires = cRequires[i];
    if (requires !== undefined) customer.requires = [requires];
    const location = cLocation[i];
    if (location !== undefined) customer.location = location;
    const hidden = witness[i] ?? 0;
    if (rng.chance(ownerFraction)) {
      const pool = coveringReps[t] ?? [];
      const owner = rng.chance(1 - o.staleOwners) || pool.length === 0 ? hidden : rng.choice(pool);
      customer.currentRep = repId(owner);
    }
    customers[i] = customer;
    witnessIds[i] = repId(hidden);
  }

  const plan: Plan = { customers, reps };
  if (o.history) plan.history = generateHistory(rng, R, repId, repSeniority, segments);
  if (o.policy !== undefined) plan.policy = o.policy;
  if (seniorAccounts > 0) plan.policy = { ...plan.policy, seniority: [...(plan.policy?.seniority ?? []), { minValue: seniorMinValue, minSeniority: o.seniorLevel }] };
  return { plan, witness: witnessIds };
}

/**
 * Past outcomes per rep × segment, drawn from a true rate (segment base rate × rep skill × noise).
 * Sample sizes are very uneven: juniors (seniority 0) have 0–3 attempts per segment, seniors a
 * log-normal number with a median that doubles per seniority level (some reach several hundred).
 * Segments a rep never worked are left out.
 */
function generateHistory(
  rng: SeededRandom,
  repCount: number,
  repId: (r: number) => string,
  seniority: Int32Array,
  segments: readonly { name: string; rate: number }[],
): Outcome[] {
  const out: Outcome[] = [];
  for (let r = 0; r < repCount; r++) {
    const level = seniority[r] ?? 0;
    const skill = rng.lognormal(1, 0.35);
    for (const segment of segments) {
      const attempts = level === 0 ? rng.integer(0, 3) : Math.min(2000, Math.round(rng.lognormal(15 * 2 ** level, 0.9)));
      if (attempts === 0) continue;
      const p = clamp(segment.rate * skill * rng.lognormal(1, 0.15), 0.01, 0.9);
      out.push({ rep: repId(r), segment: segment.name, wins: rng.binomial(attempts, p), attempts });
    }
  }
  return out;
}

/** A realistic synthetic book, deterministic in `options.seed` (see `generateBookWithWitness`). */
export function generateBook(options: BookOptions = {}): Plan {
  return generateBookWithWitness(options).plan;
}
