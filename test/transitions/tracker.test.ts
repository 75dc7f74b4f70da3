import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JournalEntry } from '../../src/transitions/journal.js';
import { TransitionTracker } from '../../src/transitions/tracker.js';

// The tracker decides when a replay and the follow-up GARPs happen; time is faked.

function setup() {
  const journal: JournalEntry[] = [];
  const replays: string[] = [];
  const garpBurst = vi.fn(async (_id: string) => 3);
  const onTransition = vi.fn();
  const tracker = new TransitionTracker({
    now: () => Date.now(),
    journal: (_id, e) => {
      journal.push(e);
    },
    replayDue: (id) => {
      replays.push(id);
    },
    garpBurst,
    followUps: () => [0.5, 2, 10],
    debounceMs: () => 200,
    onTransition,
  });
  const events = (event: JournalEntry['event']) => journal.filter((e) => e.event === event);
  return { tracker, journal, replays, garpBurst, onTransition, events };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2025-01-01T00:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('TransitionTracker', () => {
  it('journals the first observation as a transition from UNKNOWN', () => {
    const { tracker, journal, onTransition } = setup();
    tracker.observe('r1', 'BACKUP', 'observed');
    expect(journal).toEqual([
      {
        time: '2025-01-01T00:00:00.000Z',
        event: 'transition',
        router: 'r1',
        from: 'UNKNOWN',
        to: 'BACKUP',
        source: 'observed',
      },
    ]);
    expect(onTransition).toHaveBeenCalledWith('r1', 'UNKNOWN', 'BACKUP');
    expect(tracker.role('r1')).toBe('BACKUP');
  });

  it('journals the same role observed twice only once', () => {
    const { tracker, journal, onTransition } = setup();
    tracker.observe('r1', 'BACKUP', 'observed');
    tracker.observe('r1', 'BACKUP', 'hook');
    expect(journal).toHaveLength(1);
    expect(onTransition).toHaveBeenCalledTimes(1);
  });

  it('journals BACKUP to MASTER and calls replayDue once after the debounce, not before', () => {
    const { tracker, replays, events } = setup();
    tracker.observe('r1', 'BACKUP', 'observed');
    tracker.observe('r1', 'MASTER', 'hook');
    expect(events('transition').at(-1)).toMatchObject({ from: 'BACKUP', to: 'MASTER', source: 'hook' });
    vi.advanceTimersByTime(199);
    expect(replays).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(replays).toEqual(['r1']);
    vi.advanceTimersByTime(10_000);
    expect(replays).toEqual(['r1']);
  });

  it('replays once for a flap MASTER -> BACKUP -> MASTER inside the debounce window', () => {
    const { tracker, replays, events } = setup();
    tracker.observe('r1', 'MASTER', 'observed');
    vi.advanceTimersByTime(50);
    tracker.observe('r1', 'BACKUP', 'hook');
    vi.advanceTimersByTime(50);
    tracker.observe('r1', 'MASTER', 'hook');
    vi.advanceTimersByTime(199);
    expect(replays).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(replays).toEqual(['r1']);
    expect(events('transition').map((e) => e.to)).toEqual(['MASTER', 'BACKUP', 'MASTER']);
  });

  it('never replays when MASTER is left inside the debounce window', () => {
    const { tracker, replays } = setup();
    tracker.observe('r1', 'MASTER', 'observed');
    vi.advanceTimersByTime(100);
    tracker.observe('r1', 'BACKUP', 'observed');
    vi.advanceTimersByTime(5_000);
    expect(replays).toEqual([]);
  });

  it('debounces each router on its own', () => {
    const { tracker, replays } = setup();
    tracker.observe('r1', 'MASTER', 'observed');
    tracker.observe('r2', 'MASTER', 'observed');
    tracker.observe('r2', 'BACKUP', 'observed');
    vi.advanceTimersByTime(200);
    expect(replays).toEqual(['r1']);
  });

  it('sends follow-up GARP bursts at +0.5 s, +2 s and +10 s from the MASTER observation', async () => {
    const { tracker, garpBurst, events } = setup();
    tracker.observe('r1', 'MASTER', 'observed');
    await vi.advanceTimersByTimeAsync(300); // e.g. the replay ran first
    tracker.startGarps('r1');
    expect(tracker.pendingGarps('r1')).toBe(true);
    await vi.advanceTimersByTimeAsync(199);
    expect(garpBurst).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1); // +0.5 s
    expect(garpBurst).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_499);
    expect(garpBurst).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1); // +2 s
    expect(garpBurst).toHaveBeenCalledTimes(2);
    expect(events('garp')).toEqual([]);
    await vi.advanceTimersByTimeAsync(7_999);
    expect(garpBurst).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1); // +10 s
    expect(garpBurst).toHaveBeenCalledTimes(3);
    expect(garpBurst).toHaveBeenCalledWith('r1');
    expect(events('garp')).toEqual([
      expect.objectContaining({ event: 'garp', router: 'r1', garpsSent: 9, cancelled: false }),
    ]);
    expect(tracker.pendingGarps('r1')).toBe(false);
  });

  it('cancels pending GARP bursts and journals the cancellation when MASTER is left', async () => {
    const { tracker, garpBurst, events } = setup();
    tracker.observe('r1', 'MASTER', 'observed');
    tracker.startGarps('r1');
    await vi.advanceTimersByTimeAsync(600);
    expect(garpBurst).toHaveBeenCalledTimes(1);
    tracker.observe('r1', 'BACKUP', 'observed');
    expect(tracker.pendingGarps('r1')).toBe(false);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(garpBurst).toHaveBeenCalledTimes(1);
    expect(events('garp')).toEqual([
      expect.objectContaining({ event: 'garp', router: 'r1', garpsSent: 3, cancelled: true }),
    ]);
  });

  it('seeds a role without journaling, so observing that role later journals nothing', () => {
    const { tracker, journal, replays } = setup();
    tracker.seed('r1', 'MASTER');
    expect(tracker.role('r1')).toBe('MASTER');
    tracker.observe('r1', 'MASTER', 'resync');
    vi.advanceTimersByTime(1_000);
    expect(journal).toEqual([]);
    expect(replays).toEqual([]);
  });

  it('does not let a seed overwrite an observed role', () => {
    const { tracker } = setup();
    tracker.observe('r1', 'BACKUP', 'observed');
    tracker.seed('r1', 'MASTER');
    expect(tracker.role('r1')).toBe('BACKUP');
  });

  it('forgets a router, so its next observation is again from UNKNOWN', () => {
    const { tracker, events } = setup();
    tracker.observe('r1', 'BACKUP', 'observed');
    tracker.forget('r1');
    expect(tracker.role('r1')).toBeUndefined();
    expect(tracker.roleSince('r1')).toBeUndefined();
    tracker.observe('r1', 'BACKUP', 'observed');
    expect(events('transition').map((e) => e.from)).toEqual(['UNKNOWN', 'UNKNOWN']);
  });

  it('forgetting a router cancels its pending replay', () => {
    const { tracker, replays } = setup();
    tracker.observe('r1', 'MASTER', 'observed');
    tracker.forget('r1');
    vi.advanceTimersByTime(1_000);
    expect(replays).toEqual([]);
  });
});
