/**
 * Two customers, two one-seat reps, scores given through `pairs`: the optimum is c1→r1 + c2→r2 = 17
 * (not c1→r2 + c2→r1 = 4 + 8 = 12). Small enough to solve in milliseconds anywhere.
 */
export const tinyPlan = {
  customers: [
    { id: "c1", value: 100 },
    { id: "c2", value: 100 },
  ],
  reps: [
    { id: "r1", maxAccounts: 1 },
    { id: "r2", maxAccounts: 1 },
  ],
  pairs: [
    { customer: "c1", rep: "r1", score: 10 },
    { customer: "c1", rep: "r2", score: 4 },
    { customer: "c2", rep: "r1", score: 8 },
    { customer: "c2", rep: "r2", score: 7 },
  ],
};
