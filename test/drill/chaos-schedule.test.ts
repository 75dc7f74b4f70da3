import { describe, expect, it } from 'vitest';
import { CHAOS_KINDS, chaosSchedule, describeFault, parseKinds } from '../../src/drill/chaos-schedule.js';

describe('chaosSchedule', () => {
  it('reproduces the sequence from its seed, and a shorter schedule is its prefix', () => {
    const a = chaosSchedule(1, 2, 50);
    expect(chaosSchedule(1, 2, 50)).toEqual(a);
    expect(chaosSchedule(1, 2, 10)).toEqual(a.slice(0, 10));
    expect(chaosSchedule(2, 2, 50)).not.toEqual(a);
  });

  it('numbers faults from 1, stays within the routers, and gives each kind its parameters', () => {
    const s = chaosSchedule(3, 3, 500);
    expect(s.map((f) => f.n)).toEqual(s.map((_, i) => i + 1));
    for (const f of s) {
      expect(f.router).toBeGreaterThanOrEqual(0);
      expect(f.router).toBeLessThan(3);
      expect(f.edit !== undefined).toBe(f.kind === 'file-edit');
      expect(f.killDelayMs !== undefined).toBe(f.kind === 'agent-mid-replay');
    }
    expect(new Set(s.map((f) => f.kind))).toEqual(new Set(CHAOS_KINDS));
  });

  it('draws only the kinds asked for', () => {
    const s = chaosSchedule(1, 1, 100, ['cpu-hog', 'graceful']);
    expect(new Set(s.map((f) => f.kind))).toEqual(new Set(['cpu-hog', 'graceful']));
  });

  it('parses --kinds', () => {
    expect(parseKinds(undefined)).toEqual([...CHAOS_KINDS]);
    expect(parseKinds('flap, graceful')).toEqual(['flap', 'graceful']);
    expect(parseKinds('flap,nonsense')).toBeUndefined();
  });

  it('describes a fault', () => {
    expect(describeFault({ n: 3, kind: 'file-edit', router: 0, edit: 'bad' }, 'r1')).toBe(
      "#3 file-edit on r1's MASTER (bad edit)",
    );
  });
});
