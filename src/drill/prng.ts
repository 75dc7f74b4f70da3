// A tiny seeded PRNG (mulberry32), so one seed draws the same chaos schedule every time.
// Pure: the state is the closure's 32-bit counter, nothing else.

export type Rng = () => number;

// Numbers in [0, 1), uniformly, from a 32-bit seed.
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A whole number in [0, n).
export const below = (rng: Rng, n: number): number => Math.floor(rng() * n);

// One element of a non-empty list.
export function pick<T>(rng: Rng, xs: readonly T[]): T {
  const x = xs[below(rng, xs.length)];
  if (x === undefined) throw new Error('pick from an empty list');
  return x;
}
