/** (customer, rep) pairs written briefly, and read back as a map. */

/** `pairs(["c1", "r1"], ["c2", "r2"])`: an assignment as the verifier and the assembly take it. */
export const pairs = (...list: [string, string][]): { customer: string; rep: string }[] => list.map(([customer, rep]) => ({ customer, rep }));

/** Customer id → rep id, to compare an assignment whatever its order. */
export const repByCustomer = (assignment: readonly { customer: string; rep: string }[]): Record<string, string> =>
  Object.fromEntries(assignment.map((a) => [a.customer, a.rep]));
