import type { AssignmentProblem, PairChoice } from "./assignment-problem.ts";
import { AssignmentState } from "./assignment-state.ts";
import { RepMembers } from "./rep-members.ts";
import { indexAt } from "./checked-read.ts";


/**
 * What the local searches (penalty-search.ts, chain-search.ts) share: the assignment with its loads
 * (AssignmentState) and each rep's members (RepMembers), the per-pair scores moves are judged by
 * (`guide`: the true scores unless told otherwise), and one way to move a customer that keeps all
 * of it consistent.
 */
export abstract class MoveSearch {
  readonly problem: AssignmentProblem;
  readonly state: AssignmentState;
  protected readonly members: RepMembers;
  /** Scores the moves are judged by: the pair scores, or (for repair) Lagrangian reduced scores. */
  protected guide: Float64Array;

  protected constructor(problem: AssignmentProblem, start: PairChoice) {
    this.problem = problem;
    this.state = new AssignmentState(problem, start);
    this.guide = problem.pairScore;
    this.members = new RepMembers(problem);
    for (let c = 0; c < problem.customerCount; c++) this.members.add(c, this.state.repOfPair(indexAt(this.state.choice, c)));
  }

  /** Judges moves by these per-pair scores instead of the true ones (null: back to the true scores). */
  setGuide(scores: Float64Array | null): void {
    this.guide = scores ?? this.problem.pairScore;
  }

  /** Puts customer c on pair k (-1 = unassigned) and updates the member lists; returns its old pair. */
  protected relocate(c: number, k: number): number {
    const s = this.state;
    const old = indexAt(s.choice, c);
    const r0 = s.repOfPair(old);
    const r1 = s.repOfPair(k);
    s.move(c, k);
    this.members.remove(c, r0);
    this.members.add(c, r1);
    return old;
  }

  /** Mean |score| over the assigned customers' pairs, or null when nobody is assigned: the searches' scale. */
  protected meanAssignedScore(scores: Float64Array): number | null {
    const choice = this.state.choice;
    let total = 0;
    let count = 0;
    for (let c = 0; c < this.problem.customerCount; c++) {
      const k = indexAt(choice, c);
      if (k >= 0) {
        total += Math.abs(scores[k] ?? 0);
        count++;
      }
    }
    return count > 0 ? total / count : null;
  }
}
