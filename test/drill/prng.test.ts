import { describe, expect, it } from 'vitest';
import { below, mulberry32, pick } from '../../src/drill/prng.js';

describe('mulberry32', () => {
  it('draws the same numbers from the same seed, and others from another', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const c = mulberry32(2);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
  });

  it('stays in [0, 1) and covers the range', () => {
    const r = mulberry32(42);
    const xs = Array.from({ length: 10_000 }, () => r());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const buckets = new Array(10).fill(0);
    for (const x of xs) buckets[below(() => x, 10)]++;
    for (const b of buckets) expect(b).toBeGreaterThan(800);
  });

  it('picks from a list and refuses an empty one', () => {
    const r = mulberry32(7);
    expect(['x', 'y']).toContain(pick(r, ['x', 'y']));
    expect(() => pick(r, [])).toThrow();
  });
});
