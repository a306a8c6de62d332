/**
 * A small deterministic generator (mulberry32): uniform in [0, 1) from a 32-bit seed. The local
 * searches draw their kicks and restarts from it, so the same seed gives the same search on every
 * platform. Not for anything secret; random-stream.ts is the engine's stream for sampling.
 */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
