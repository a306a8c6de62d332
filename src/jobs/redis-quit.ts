import type { Redis } from "ioredis";

/**
 * Closes an ioredis connection without hanging on a Redis that is away: QUIT when connected (for at
 * most `waitMs`), then drop the socket; a connection still trying to connect is dropped at once.
 */
export async function quitRedis(redis: Redis, waitMs = 2_000): Promise<void> {
  if (redis.status === "ready") {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([redis.quit().catch(() => undefined), new Promise<void>((done) => (timer = setTimeout(done, waitMs)))]);
    clearTimeout(timer);
  }
  redis.disconnect();
}

/** Resolves when `work` settles or after `ms`, whichever comes first (for closing things that may wait on Redis). */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.then(() => undefined, () => undefined), new Promise<void>((done) => (timer = setTimeout(done, ms)))]);
  clearTimeout(timer);
}
