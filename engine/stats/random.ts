/**
 * A seeded pseudo-random source in [0, 1): mulberry32 (Tommy Ettinger's 32-bit generator, public
 * domain). Statistics only, never security: a fixed seed makes a bootstrap's intervals, and so a
 * `loadts compare` verdict, the same every time it is run on the same records.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
