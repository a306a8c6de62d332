/**
 * A cooperative stop shared between the thread that asks (the job runner) and the worker thread that
 * solves: one Int32 in shared memory, so the solver can read it between steps (and inside HiGHS's
 * interrupt callback) while its thread is busy and no message could be delivered.
 */
export class StopFlag {
  /** Handed to the worker thread inside the task (shared, not copied). */
  readonly buffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  private readonly cell = new Int32Array(this.buffer);
  private readonly listeners: (() => void)[] = [];

  get requested(): boolean {
    return Atomics.load(this.cell, 0) === 1;
  }

  /** Asks every solve holding this flag to stop; listeners run once. */
  request(): void {
    if (this.requested) return;
    Atomics.store(this.cell, 0, 1);
    for (const listener of this.listeners.splice(0)) listener();
  }

  /** Runs `listener` when a stop is requested (at once if it already was); returns a function that removes it. */
  onRequest(listener: () => void): () => void {
    if (this.requested) {
      listener();
      return () => undefined;
    }
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }
}

/** The worker thread's view of a flag's buffer: true once a stop was requested. */
export function stopReader(buffer: SharedArrayBuffer): () => boolean {
  const cell = new Int32Array(buffer);
  return () => Atomics.load(cell, 0) === 1;
}
