import type { Plan } from "../models/index.ts";
import { verifyAssignment, type AssignmentPair } from "../src/verify/verify-assignment.ts";

/** Exhaustive optimum over every assignment (and non-assignment when allowed), judged by the verifier. */
export function bruteForce(plan: Plan): number | null {
  const options: (string | null)[] = [...plan.reps.map((r) => r.id), ...(plan.policy?.allowUnassigned === true ? [null] : [])];
  const n = plan.customers.length;
  const choice = new Array<number>(n).fill(0);
  let best: number | null = null;
  for (;;) {
    const pairs: AssignmentPair[] = [];
    choice.forEach((o, c) => {
      const rep = options[o];
      const customer = plan.customers[c];
      if (rep !== null && rep !== undefined && customer !== undefined) pairs.push({ customer: customer.id, rep });
    });
    const report = verifyAssignment(plan, pairs);
    if (report.passed && (best === null || report.objective > best)) best = report.objective;
    let i = 0;
    while (i < n && choice[i] === options.length - 1) choice[i++] = 0;
    if (i === n) return best;
    choice[i] = (choice[i] ?? 0) + 1;
  }
}
