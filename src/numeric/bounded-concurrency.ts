/**
 * Runs `run` over `items` with at most `limit` calls in flight, starting them in order; resolves
 * with the results in item order. On the first rejection it starts nothing more and rejects with
 * that error (calls already in flight are left to the caller to cancel, e.g. through an AbortSignal).
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: { value: R }[] = [];
  const queue = items.entries();
  let failed = false;
  const lane = async (): Promise<void> => {
    for (let next = queue.next(); !failed && next.done !== true; next = queue.next()) {
      const [index, item] = next.value;
      try {
        results[index] = { value: await run(item, index) };
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const lanes = Math.max(1, Math.min(Math.floor(limit), items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  return results.map((r) => r.value);
}
