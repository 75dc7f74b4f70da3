import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { median, percentile, ratio } from '../../src/bench/stats.js';

describe('bench statistics', () => {
  it('takes nearest-rank percentiles from the samples themselves', () => {
    const xs = [50, 10, 40, 20, 30];
    expect(percentile(xs, 0)).toBe(10);
    expect(percentile(xs, 20)).toBe(10);
    expect(percentile(xs, 50)).toBe(30);
    expect(percentile(xs, 90)).toBe(50);
    expect(percentile(xs, 100)).toBe(50);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('never reports a percentile that is not one of the samples, and never beyond the max', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1 }),
        fc.integer({ min: 0, max: 100 }),
        (xs, p) => {
          const v = percentile(xs, p);
          expect(xs).toContain(v);
          expect(v).toBeLessThanOrEqual(Math.max(...xs));
        },
      ),
    );
  });

  it('puts the baseline over ours, and calls a zero outage infinitely better', () => {
    expect(ratio(5388, 284)).toBeCloseTo(18.97, 2);
    expect(ratio(100, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});
