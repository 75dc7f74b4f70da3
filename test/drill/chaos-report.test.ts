import { describe, expect, it } from 'vitest';
import { chaosReport, type FaultRecord, formatChaosReport } from '../../src/drill/chaos-report.js';
import type { ChaosKind } from '../../src/drill/chaos-schedule.js';

const rec = (n: number, kind: ChaosKind, downtimeMs: number, violations = 0): FaultRecord => ({
  fault: { n, kind, router: 0 },
  routerId: 'r1',
  victim: 'a',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 5000,
  downtimeMs,
  lost: 3,
  violations: Array.from({ length: violations }, (_, i) => ({ invariant: 'nat' as const, detail: `v${i}` })),
  notes: n === 1 ? ['a note'] : [],
});
const head = { seed: 9, profile: 'fast', routers: 1, durationMs: 60_000, ranMs: 61_000, startedAt: 'now' };

describe('chaosReport', () => {
  it('counts faults by kind in order of first run, with the worst downtime of each', () => {
    const r = chaosReport(head, [rec(1, 'flap', 100), rec(2, 'graceful', 50), rec(3, 'flap', 300)]);
    expect(r.byKind).toEqual([
      { kind: 'flap', count: 2, worstDowntimeMs: 300, violations: 0 },
      { kind: 'graceful', count: 1, worstDowntimeMs: 50, violations: 0 },
    ]);
    expect(r.ok).toBe(true);
    expect(r.seed).toBe(9);
  });

  it('lists each violation with its fault, and fails on any', () => {
    const r = chaosReport(head, [rec(1, 'flap', 100), rec(2, 'cpu-hog', 0, 2)]);
    expect(r.ok).toBe(false);
    expect(r.violations).toEqual([
      { invariant: 'nat', detail: 'v0', fault: 2, kind: 'cpu-hog' },
      { invariant: 'nat', detail: 'v1', fault: 2, kind: 'cpu-hog' },
    ]);
    const text = formatChaosReport(r);
    expect(text).toContain('VIOLATION  #2 cpu-hog: nat: v0');
    expect(text).toContain('note  #1 flap: a note');
    expect(text).toContain('result: FAIL (seed 9)');
  });

  it('fails an aborted run even without violations', () => {
    const r = chaosReport({ ...head, aborted: 'interrupted' }, [rec(1, 'flap', 100)]);
    expect(r.ok).toBe(false);
    expect(formatChaosReport(r)).toContain('ABORTED  interrupted');
  });
});
