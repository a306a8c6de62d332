import type { Customer, PairScore, Plan, Policy, Rep } from "../../models/index.ts";

/**
 * A Generalized Assignment Problem instance in OR-Library form: assign every job to one agent,
 * within each agent's capacity, at least total cost.
 */
export interface GapInstance {
  agents: number;
  jobs: number;
  /** cost[i][j]: cost of job j on agent i. */
  cost: number[][];
  /** resource[i][j]: capacity job j uses on agent i. */
  resource: number[][];
  /** capacity[i]: capacity of agent i. */
  capacity: number[];
}

/**
 * Parses an OR-Library GAP instance: whitespace-separated integers `m n`, the m × n cost matrix,
 * the m × n resource matrix, then the m capacities (line breaks carry no meaning).
 * Throws an Error naming the problem on malformed input.
 */
export function parseGapInstance(text: string): GapInstance {
  const tokens = text.split(/\s+/).filter((t) => t !== "");
  const numbers = tokens.map((token, k) => {
    if (!/^[+-]?\d+$/.test(token)) throw new Error(`GAP instance: number ${k + 1} is "${token}", not an integer`);
    const x = Number(token);
    if (!Number.isSafeInteger(x)) throw new Error(`GAP instance: number ${k + 1} (${token}) is out of range`);
    return x;
  });
  const [m, n] = numbers;
  if (m === undefined || n === undefined) throw new Error("GAP instance: expected the header `agents jobs`, found fewer than two numbers");
  if (m < 1 || n < 1) throw new Error(`GAP instance: agents and jobs must be positive, got ${m} agents and ${n} jobs`);
  const expected = 2 + 2 * m * n + m;
  if (numbers.length !== expected) {
    throw new Error(`GAP instance: ${m} agents × ${n} jobs needs ${expected} numbers (2 + 2·m·n + m), found ${numbers.length}`);
  }
  const matrix = (offset: number, name: string, nonNegative: boolean): number[][] =>
    Array.from({ length: m }, (_, i) =>
      Array.from({ length: n }, (_, j) => {
        const x = numbers[offset + i * n + j] ?? 0;
        if (nonNegative && x < 0) throw new Error(`GAP instance: ${name}[${i}][${j}] is negative (${x})`);
        return x;
      }),
    );
  const cost = matrix(2, "cost", false);
  const resource = matrix(2 + m * n, "resource", true);
  const capacity = Array.from({ length: m }, (_, i) => {
    const x = numbers[2 + 2 * m * n + i] ?? 0;
    if (x < 0) throw new Error(`GAP instance: capacity[${i}] is negative (${x})`);
    return x;
  });
  return { agents: m, jobs: n, cost, resource, capacity };
}

export interface GapToPlanOptions {
  /**
   * Solve the instance as a maximisation problem (`score = +cost`, OR-Library's `max_optimum`)
   * instead of the usual minimisation (`score = −cost`). Default false.
   */
  maximize?: boolean;
}

/**
 * The instance as a Plan: job j → customer `j<j>` (value 0), agent i → rep `a<i>` with
 * `maxWorkload = capacity[i]`, and every (job, agent) → a pair with `score = −cost`
 * (`+cost` with `maximize`) and `workload = resource`. The policy defaults to
 * `{ specialtyBonus: 0 }`, merged with (and overridden by) `policy`. The plan's objective is then
 * minus the total cost (the total cost when maximising).
 */
export function gapToPlan(instance: GapInstance, policy?: Policy, options: GapToPlanOptions = {}): Plan {
  const sign = options.maximize === true ? 1 : -1;
  const customers: Customer[] = Array.from({ length: instance.jobs }, (_, j) => ({ id: `j${j}`, value: 0 }));
  const reps: Rep[] = instance.capacity.map((capacity, i) => ({ id: `a${i}`, maxWorkload: capacity }));
  const pairs: PairScore[] = [];
  for (let j = 0; j < instance.jobs; j++) {
    for (let i = 0; i < instance.agents; i++) {
      const cost = instance.cost[i]?.[j];
      const workload = instance.resource[i]?.[j];
      if (cost === undefined || workload === undefined) throw new Error(`GAP instance: missing cost or resource for agent ${i}, job ${j}`);
      // `+ 0` turns −0 into 0 so a zero cost serialises as 0.
      pairs.push({ customer: `j${j}`, rep: `a${i}`, score: sign * cost + 0, workload });
    }
  }
  return { customers, reps, pairs, policy: { specialtyBonus: 0, ...policy } };
}

/** One row of OR-Library's optima table. */
export interface GapOptimum {
  set: string;
  agents: number;
  jobs: number;
  /** Optimum as a minimisation problem. */
  minOptimum: number;
  /** Optimum as a maximisation problem, when known (sets gap1–gap12 only). */
  maxOptimum: number | null;
}

/**
 * Parses the optima table (CSV with the header `set,instance,agents,jobs,min_optimum,max_optimum`,
 * in any column order) into a map: instance name → optimum. Throws on malformed rows.
 */
export function readOptima(csvText: string): Map<string, GapOptimum> {
  const lines = csvText.split(/\r?\n/);
  const header = (lines[0] ?? "").split(",").map((h) => h.trim());
  const column = (name: string): number => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`optima: the header has no "${name}" column`);
    return index;
  };
  const columns = {
    set: column("set"),
    instance: column("instance"),
    agents: column("agents"),
    jobs: column("jobs"),
    min: column("min_optimum"),
    max: column("max_optimum"),
  };
  const out = new Map<string, GapOptimum>();
  lines.slice(1).forEach((line, k) => {
    if (line.trim() === "") return;
    const lineNumber = k + 2;
    const cells = line.split(",").map((c) => c.trim());
    if (cells.length !== header.length) throw new Error(`optima line ${lineNumber}: expected ${header.length} fields, found ${cells.length}`);
    const cell = (index: number): string => cells[index] ?? "";
    const number = (index: number, name: string): number => {
      const text = cell(index);
      const x = Number(text);
      if (text === "" || !Number.isFinite(x)) throw new Error(`optima line ${lineNumber}: ${name} "${text}" is not a number`);
      return x;
    };
    const instance = cell(columns.instance);
    if (instance === "") throw new Error(`optima line ${lineNumber}: empty instance name`);
    if (out.has(instance)) throw new Error(`optima line ${lineNumber}: duplicate instance "${instance}"`);
    out.set(instance, {
      set: cell(columns.set),
      agents: number(columns.agents, "agents"),
      jobs: number(columns.jobs, "jobs"),
      minOptimum: number(columns.min, "min_optimum"),
      maxOptimum: cell(columns.max) === "" ? null : number(columns.max, "max_optimum"),
    });
  });
  return out;
}
