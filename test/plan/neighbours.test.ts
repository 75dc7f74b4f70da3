import { describe, expect, it } from 'vitest';
import { neighboursNeeded, neighbourWarning } from '../../src/plan/neighbours.js';

const router = (floating: number) => ({
  floatingIps: Array.from({ length: floating }, (_, i) => ({
    floating: `198.51.100.${i + 1}`,
    fixed: `10.0.0.${i + 5}`,
  })),
});

describe('neighbour table headroom', () => {
  it('counts the HA peer, the external next hop and one VM per floating IP for each router', () => {
    expect(neighboursNeeded([router(1), router(0), router(3)])).toBe(3 + 2 + 5);
  });

  it('warns past half the shared table, naming the sysctl, its value and what to raise it to', () => {
    const need = neighboursNeeded(Array.from({ length: 250 }, () => router(1)));
    expect(need).toBe(750);
    const w = neighbourWarning(need, 1024);
    expect(w).toMatch(/about 750 neighbour entries.*gc_thresh3 is 1024.*750\/1500\/3000/);
    expect(
      neighbourWarning(neighboursNeeded(Array.from({ length: 100 }, () => router(1))), 1024),
    ).toBeUndefined();
    expect(neighbourWarning(need, 16384)).toBeUndefined();
    expect(neighbourWarning(need, undefined)).toBeUndefined();
  });
});
