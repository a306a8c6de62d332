/**
 * POST /v1/evaluate for a solve the planner edits by hand: the first call sends the plan and the
 * solve's assignment as the base; the answer's planKey then stands for both, so each later call
 * sends only the key and the changes (the server keeps the plan loaded: a call costs the changes,
 * not the book). When the server no longer holds the key (409), the plan goes once more.
 */
import { ApiError, sendJson } from "./api-client.ts";
import type { EvaluatedPair, Evaluation, Plan, Solution } from "./contract.ts";

export class EvaluateSession {
  private planKey: string | null = null;

  constructor(
    private readonly plan: Plan,
    private readonly solution: Solution,
  ) {}

  /** The solve's assignment, unassigned customers as null (built only when the plan is sent). */
  private base(): EvaluatedPair[] {
    return [...this.solution.assignments.map((a) => ({ customer: a.customer, rep: a.rep })), ...this.solution.unassigned.map((u) => ({ customer: u.customer, rep: null }))];
  }

  async evaluate(changes: readonly EvaluatedPair[]): Promise<Evaluation> {
    if (this.planKey !== null) {
      try {
        return await sendJson<Evaluation>("POST", "/v1/evaluate", { planKey: this.planKey, assignment: changes });
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 409)) throw error;
        this.planKey = null;
      }
    }
    const answer = await sendJson<Evaluation>("POST", "/v1/evaluate", { plan: this.plan, base: this.base(), assignment: changes });
    this.planKey = answer.planKey;
    return answer;
  }
}
