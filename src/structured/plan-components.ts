import { subProblem, type AssignmentProblem } from "./assignment-problem.ts";

/**
 * Independent parts of an assignment problem: the connected components of the customer–rep
 * eligibility graph. They can be solved one by one and the answers merged only when no row couples
 * them: a binding move budget is one row over every customer, and bands around a share of the
 * assigned total tie every rep to that total. Per-rep rows with constant bounds (capacities,
 * minAccounts, bands when every customer must be assigned) stay inside a component.
 */
export function canDecompose(problem: AssignmentProblem): boolean {
  return problem.minStays <= 0 && problem.valueShare === null && problem.countShare === null;
}

export interface Component {
  /** Local customer indices of the parent problem, ascending. */
  customers: Int32Array;
  /** Local rep indices of the parent problem, ascending. */
  reps: Int32Array;
  pairs: number;
}

/**
 * Components by union–find over the pairs, ordered by their smallest customer index (reps with no
 * eligible customer form components of their own, after the others, by rep index). Customers with
 * no pair are components without reps.
 */
export function findComponents(problem: AssignmentProblem): Component[] {
  const C = problem.customerCount;
  const R = problem.repCount;
  // Nodes: customers 0..C−1, reps C..C+R−1.
  const parent = new Int32Array(C + R);
  for (let i = 0; i < C + R; i++) parent[i] = i;
  const find = (x: number): number => {
    let root = x;
    while ((parent[root] ?? root) !== root) root = parent[root] ?? root;
    while ((parent[x] ?? x) !== root) {
      const next = parent[x] ?? x;
      parent[x] = root;
      x = next;
    }
    return root;
  };
  for (let k = 0; k < problem.pairCount; k++) {
    const a = find(problem.pairCustomer[k] ?? 0);
    const b = find(C + (problem.pairRep[k] ?? 0));
    if (a !== b) {
      // The smaller index becomes the root, so roots are deterministic.
      if (a < b) parent[b] = a;
      else parent[a] = b;
    }
  }
  const index = new Int32Array(C + R).fill(-1);
  const customers: number[][] = [];
  const reps: number[][] = [];
  const pairs: number[] = [];
  const componentOf = (node: number): number => {
    const root = find(node);
    let id = index[root] ?? -1;
    if (id < 0) {
      id = customers.length;
      index[root] = id;
      customers.push([]);
      reps.push([]);
      pairs.push(0);
    }
    return id;
  };
  for (let c = 0; c < C; c++) {
    const id = componentOf(c);
    customers[id]?.push(c);
    pairs[id] = (pairs[id] ?? 0) + (problem.customerStart[c + 1] ?? 0) - (problem.customerStart[c] ?? 0);
  }
  for (let r = 0; r < R; r++) reps[componentOf(C + r)]?.push(r);
  return customers.map((list, id) => ({ customers: Int32Array.from(list), reps: Int32Array.from(reps[id] ?? []), pairs: pairs[id] ?? 0 }));
}

/** The component as a problem of its own (see `subProblem`). */
export function componentProblem(problem: AssignmentProblem, component: Component): AssignmentProblem {
  return subProblem(problem, component.customers, component.reps);
}
