import type { MoveCheck } from "./move-check.ts";

/**
 * One rep's sides of an exchange between two reps (none, one or two of its customers going to the
 * other rep, with their summed effects), by decreasing gain: typed arrays of a fixed capacity,
 * reused from one pair of reps to the next (band-exchange-search.ts, budget-trade-search.ts).
 */
export class ExchangeSides {
  size = 0;
  readonly gain: Float64Array;
  /** Pairs taken (destination pairs), -1 when unused. */
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly count: Int32Array;
  /** Workload leaving the giving rep, workload arriving at the taking rep, value moved, change in stays. */
  readonly workOut: Float64Array;
  readonly workIn: Float64Array;
  readonly value: Float64Array;
  readonly stays: Float64Array;
  /** The sides by decreasing gain, ties in the order they were added. */
  readonly order: Int32Array;

  /** Room for `capacity` sides. */
  constructor(capacity: number) {
    this.gain = new Float64Array(capacity);
    this.first = new Int32Array(capacity);
    this.second = new Int32Array(capacity);
    this.count = new Int32Array(capacity);
    this.workOut = new Float64Array(capacity);
    this.workIn = new Float64Array(capacity);
    this.value = new Float64Array(capacity);
    this.stays = new Float64Array(capacity);
    this.order = new Int32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  add(gain: number, first: number, second: number, count: number, workOut: number, workIn: number, value: number, stays: number): void {
    const i = this.size++;
    this.gain[i] = gain;
    this.first[i] = first;
    this.second[i] = second;
    this.count[i] = count;
    this.workOut[i] = workOut;
    this.workIn[i] = workIn;
    this.value[i] = value;
    this.stays[i] = stays;
  }

  /** Side i and side j together (two single sides). */
  addBoth(i: number, j: number): void {
    this.add(
      (this.gain[i] ?? 0) + (this.gain[j] ?? 0),
      this.first[i] ?? -1,
      this.first[j] ?? -1,
      2,
      (this.workOut[i] ?? 0) + (this.workOut[j] ?? 0),
      (this.workIn[i] ?? 0) + (this.workIn[j] ?? 0),
      (this.value[i] ?? 0) + (this.value[j] ?? 0),
      (this.stays[i] ?? 0) + (this.stays[j] ?? 0),
    );
  }

  /** Orders the sides by decreasing gain; a stable insertion sort (the lists are short). */
  sort(): void {
    for (let i = 0; i < this.size; i++) {
      const g = this.gain[i] ?? 0;
      let j = i;
      while (j > 0 && (this.gain[this.order[j - 1] ?? 0] ?? 0) < g) {
        this.order[j] = this.order[j - 1] ?? 0;
        j--;
      }
      this.order[j] = i;
    }
  }
}

/**
 * Goes through the exchanges between two reps' sides (side x of A's, side y of B's, at least one
 * customer moving) by decreasing gain of A's side, then of B's, while their summed gain is above
 * `bar()` (read again after each visit: the caller raises it as it finds better exchanges).
 * `visit` says whether it judged the exchange; returns how many it judged (for the work spent).
 */
export function scanExchanges(fromA: ExchangeSides, fromB: ExchangeSides, bar: () => number, visit: (x: number, y: number, gain: number) => boolean): number {
  const topB = fromB.gain[fromB.order[0] ?? 0] ?? 0;
  let judged = 0;
  for (let xi = 0; xi < fromA.size; xi++) {
    const x = fromA.order[xi] ?? 0;
    const gainA = fromA.gain[x] ?? 0;
    if (gainA + topB <= bar()) break;
    const countA = fromA.count[x] ?? 0;
    for (let yi = 0; yi < fromB.size; yi++) {
      const y = fromB.order[yi] ?? 0;
      const gain = gainA + (fromB.gain[y] ?? 0);
      if (gain <= bar()) break;
      if (countA + (fromB.count[y] ?? 0) === 0) continue;
      if (visit(x, y, gain)) judged++;
    }
  }
  return judged;
}

/** True when side x of rep a's and side y of rep b's, exchanged, keep both reps' rows (the move budget aside). */
export function exchangeRowsHold(check: MoveCheck, a: number, b: number, fromA: ExchangeSides, x: number, fromB: ExchangeSides, y: number): boolean {
  const countA = fromA.count[x] ?? 0;
  const countB = fromB.count[y] ?? 0;
  const dValue = (fromB.value[y] ?? 0) - (fromA.value[x] ?? 0);
  return (
    check.repOk(a, countB - countA, (fromB.workIn[y] ?? 0) - (fromA.workOut[x] ?? 0), dValue) &&
    check.repOk(b, countA - countB, (fromA.workIn[x] ?? 0) - (fromB.workOut[y] ?? 0), -dValue)
  );
}
