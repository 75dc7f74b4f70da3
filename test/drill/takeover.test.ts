import { describe, expect, it } from 'vitest';
import { heldBy, masterSince } from '../../src/drill/takeover.js';
import type { LabNode } from '../../src/lab/plan.js';
import { formatEntry } from '../../src/transitions/journal.js';

const line = (time: number, to: string, event: 'hook' | 'transition' = 'hook') =>
  formatEntry({ time: new Date(time).toISOString(), event, router: 'r1', to });

describe('takeover condition', () => {
  it('needs a MASTER line at or after the fault', () => {
    const fault = Date.parse('2026-12-03T12:00:00.000Z');
    expect(masterSince(line(fault - 1, 'MASTER'), fault)).toBe(false);
    expect(masterSince(line(fault + 5, 'BACKUP'), fault)).toBe(false);
    expect(masterSince(line(fault - 1, 'MASTER') + line(fault + 300, 'MASTER'), fault)).toBe(true);
    expect(masterSince(line(fault, 'MASTER', 'transition'), fault)).toBe(true);
    expect(masterSince('{"torn', fault)).toBe(false);
  });

  it('moves only the routers the victim held', () => {
    const victim = { name: 'a' } as LabNode;
    const before = [
      { id: 'r1', masters: ['a' as const] },
      { id: 'r2', masters: ['b' as const] },
      { id: 'r3', masters: ['a' as const] },
    ];
    expect(heldBy(before, victim)).toEqual(['r1', 'r3']);
  });
});
