import { describe, expect, it } from 'vitest';
import { diffSplit, splitRouters } from '../../src/transitions/split-brain.js';

describe('splitRouters', () => {
  it('reports only routers that are MASTER on both nodes', () => {
    expect(
      splitRouters(
        { r1: 'MASTER', r2: 'BACKUP', r3: 'MASTER' },
        { r1: 'MASTER', r2: 'MASTER', r3: 'BACKUP' },
      ),
    ).toEqual(['r1']);
  });

  it('does not report routers the peer does not know', () => {
    expect(splitRouters({ r1: 'MASTER', r2: 'MASTER' }, { r2: 'MASTER' })).toEqual(['r2']);
    expect(splitRouters({ r1: 'MASTER' }, {})).toEqual([]);
  });

  it('does not report routers the peer is MASTER for but this node does not have', () => {
    expect(splitRouters({ r1: 'ABSENT' }, { r1: 'MASTER', r2: 'MASTER' })).toEqual([]);
  });

  it('returns the split routers sorted', () => {
    const mine = { r9: 'MASTER', r2: 'MASTER', r5: 'MASTER' } as const;
    expect(splitRouters(mine, { r9: 'MASTER', r2: 'MASTER', r5: 'MASTER' })).toEqual(['r2', 'r5', 'r9']);
  });
});

describe('diffSplit', () => {
  it('reports routers that newly split as started and those no longer split as healed', () => {
    expect(diffSplit(new Set(['r1', 'r2']), ['r2', 'r3'])).toEqual({ started: ['r3'], healed: ['r1'] });
  });

  it('reports no change when the split set is the same', () => {
    expect(diffSplit(new Set(['r1']), ['r1'])).toEqual({ started: [], healed: [] });
  });

  it('reports everything as started from an empty set, and everything as healed to one', () => {
    expect(diffSplit(new Set(), ['r1', 'r2'])).toEqual({ started: ['r1', 'r2'], healed: [] });
    expect(diffSplit(new Set(['r2', 'r1']), [])).toEqual({ started: [], healed: ['r1', 'r2'] });
  });
});
