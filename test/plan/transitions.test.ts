import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/plan/actions.js';
import { desiredRouter } from '../../src/plan/desired.js';
import type { RouterMemory } from '../../src/plan/observed.js';
import type { Role } from '../../src/plan/role.js';
import { withRequests } from '../../src/plan/router.js';
import { HEAL_GARPS_MS, planRole } from '../../src/plan/transitions.js';
import type { JournalEntry } from '../../src/transitions/journal.js';
import { agent, NOTIFY, router } from '../fixtures.js';

// The role planner is pure: a sequence of (role, time) observations in, actions out.
// Memory flows from one call to the next exactly as the agent keeps it.

const d = desiredRouter(agent(), router(), NOTIFY); // fast profile: debounce 200 ms

function run(steps: readonly [Role, number][], start: RouterMemory = {}) {
  let m = start;
  const all: { at: number; action: Action }[] = [];
  let wake: number | undefined;
  for (const [role, now] of steps) {
    const p = planRole(d, role, m, now, false);
    for (const action of p.actions) all.push({ at: now, action });
    m = p.memory;
    wake = p.wakeInMs;
  }
  const journal = all.flatMap((x) => (x.action.kind === 'journal' ? [x.action.entry] : []));
  const of = (kind: Action['kind']) => all.filter((x) => x.action.kind === kind).map((x) => x.at);
  return { m, wake, journal, of, events: (e: JournalEntry['event']) => journal.filter((j) => j.event === e) };
}

describe('planRole', () => {
  it('journals the first observation as a transition from UNKNOWN and writes the state file', () => {
    const p = planRole(d, 'BACKUP', {}, 1000, false);
    expect(p.actions).toEqual([
      {
        kind: 'journal',
        path: d.paths.journal,
        entry: {
          time: new Date(1000).toISOString(),
          router: 'r1',
          event: 'transition',
          from: 'UNKNOWN',
          to: 'BACKUP',
        },
      },
      { kind: 'writeFile', path: d.paths.state, content: 'BACKUP\n' },
    ]);
    expect(p.memory).toMatchObject({ role: 'BACKUP', roleSince: 1000 });
  });

  it('journals the same role observed twice only once', () => {
    const r = run([
      ['BACKUP', 0],
      ['BACKUP', 100],
      ['BACKUP', 5000],
    ]);
    expect(r.events('transition')).toHaveLength(1);
  });

  it('replays once the debounce has passed, not before, and asks to be woken for it', () => {
    const early = run([
      ['BACKUP', 0],
      ['MASTER', 1000],
    ]);
    expect(early.of('replay')).toEqual([]);
    expect(early.wake).toBe(200);
    const late = run([
      ['BACKUP', 0],
      ['MASTER', 1000],
      ['MASTER', 1199],
      ['MASTER', 1200],
    ]);
    expect(late.of('replay')).toEqual([1200]);
    expect(late.events('transition').at(-1)).toMatchObject({ from: 'BACKUP', to: 'MASTER' });
  });

  it('replays once for a flap MASTER -> BACKUP -> MASTER inside the debounce window', () => {
    const r = run([
      ['BACKUP', 0],
      ['MASTER', 1000],
      ['BACKUP', 1050],
      ['MASTER', 1100],
      ['MASTER', 1300],
      ['MASTER', 2000],
    ]);
    expect(r.of('replay')).toEqual([1300]);
  });

  it('never replays when MASTER is left inside the debounce window', () => {
    const r = run([
      ['MASTER', 0],
      ['BACKUP', 100],
      ['BACKUP', 5000],
    ]);
    expect(r.of('replay')).toEqual([]);
    expect(r.m.replayDueAt).toBeUndefined();
    expect(r.wake).toBeUndefined();
  });

  it('sends follow-up GARP bursts at +0.5 s, +2 s and +10 s from the MASTER observation', () => {
    const r = run([
      ['MASTER', 0],
      ['MASTER', 200], // the replay
      ['MASTER', 499],
      ['MASTER', 500],
      ['MASTER', 1999],
      ['MASTER', 2000],
      ['MASTER', 9999],
      ['MASTER', 10_000],
    ]);
    expect(r.of('garpBurst')).toEqual([500, 2000, 10_000]);
    const burst = planRole(d, 'MASTER', { role: 'MASTER', garps: { due: [0], sent: 0 } }, 0, false);
    expect(burst.actions[0]).toEqual({
      kind: 'garpBurst',
      ns: d.ns,
      addrs: d.garpAddrs,
      devs: d.garpDevs,
    });
    expect(r.events('garp')).toEqual([
      expect.objectContaining({ garpsSent: 3 * d.garpAddrs.length, cancelled: false }),
    ]);
    expect(r.m.garps).toBeUndefined();
  });

  it('sends a burst that is overdue at once (a slow replay), and only one for several due ones', () => {
    const r = run([
      ['MASTER', 0],
      ['MASTER', 2500],
    ]);
    expect(r.of('replay')).toEqual([2500]);
    expect(r.of('garpBurst')).toEqual([2500]);
    expect(r.m.garps?.due).toEqual([10_000]);
    expect(r.wake).toBe(7500);
  });

  it('cancels pending GARP bursts and journals the cancellation when MASTER is left', () => {
    const r = run([
      ['MASTER', 0],
      ['MASTER', 200],
      ['MASTER', 600],
      ['BACKUP', 700],
      ['BACKUP', 20_000],
    ]);
    expect(r.of('garpBurst')).toEqual([600]);
    expect(r.events('garp')).toEqual([
      expect.objectContaining({ garpsSent: d.garpAddrs.length, cancelled: true }),
    ]);
    expect(r.m.garps).toBeUndefined();
  });

  it('adopts a role seeded from the journal without a transition or a replay', () => {
    const r = run([['MASTER', 5000]], { role: 'MASTER' });
    expect(r.journal).toEqual([]);
    expect(r.of('replay')).toEqual([]);
  });

  it('clears the flows of an old NAT mapping on a MASTER whose NAT changed, but not on a BACKUP', () => {
    const m: RouterMemory = { role: 'MASTER' };
    expect(planRole(d, 'MASTER', m, 0, true).actions).toEqual([
      { kind: 'clearFlows', ns: d.ns, flows: d.flows },
    ]);
    expect(planRole(d, 'BACKUP', { role: 'BACKUP' }, 0, true).actions).toEqual([]);
  });

  it('re-announces after a healed split on a MASTER only, at once, +0.5 s and +2 s', () => {
    const master = withRequests({ role: 'MASTER' }, { reannounceAt: 1000 });
    expect(master.garps?.due).toEqual(HEAL_GARPS_MS.map((o) => 1000 + o));
    expect(withRequests({ role: 'BACKUP' }, { reannounceAt: 1000 }).garps).toBeUndefined();
    const r = run(
      [
        ['MASTER', 1000],
        ['MASTER', 1500],
        ['MASTER', 3000],
      ],
      master,
    );
    expect(r.of('garpBurst')).toEqual([1000, 1500, 3000]);
  });
});
