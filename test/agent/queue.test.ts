import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../src/agent/queue.js';
import { respawnDelayMs } from '../../src/plan/router.js';

describe('WorkQueue', () => {
  it('never queues a waiting key twice', async () => {
    const seen: string[] = [];
    const q = new WorkQueue(
      async (k) => {
        seen.push(k);
        return {};
      },
      { concurrency: 1 },
    );
    q.add('a');
    q.add('b');
    q.add('b');
    q.add('b');
    await q.idle();
    expect(seen).toEqual(['a', 'b']);
  });

  it('never works on one key twice at once, and re-runs a key added while it ran', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const q = new WorkQueue(
      async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs++;
        await sleep(30);
        active--;
        return {};
      },
      { concurrency: 4 },
    );
    q.add('r1');
    await sleep(5);
    q.add('r1');
    q.add('r1');
    await sleep(100);
    await q.idle();
    expect(maxActive).toBe(1);
    expect(runs).toBe(2);
  });

  it('bounds concurrency across keys', async () => {
    let active = 0;
    let maxActive = 0;
    const q = new WorkQueue(
      async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(10);
        active--;
        return {};
      },
      { concurrency: 3 },
    );
    for (let i = 0; i < 20; i++) q.add(`r${i}`);
    await q.idle();
    expect(maxActive).toBe(3);
  });

  it('retries a failing key with growing backoff and reports each error', async () => {
    const times: number[] = [];
    const errors: (number | undefined)[] = [];
    const q = new WorkQueue(
      async () => {
        times.push(Date.now());
        if (times.length < 4) throw new Error('boom');
        return {};
      },
      { concurrency: 1, baseBackoffMs: 20, onError: (_k, _e, retry) => errors.push(retry) },
    );
    q.add('r1');
    while (times.length < 4) await sleep(10);
    expect(errors).toEqual([20, 40, 80]);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(gaps[2]).toBeGreaterThan(gaps[0] ?? 0);
    q.stop();
  });

  it('honours requeueAfterMs', async () => {
    const times: number[] = [];
    const q = new WorkQueue(
      async () => {
        times.push(Date.now());
        return times.length === 1 ? { requeueAfterMs: 60 } : {};
      },
      { concurrency: 1 },
    );
    q.add('r1');
    while (times.length < 2) await sleep(5);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(55);
  });
});

describe('WorkQueue timers and terminal errors', () => {
  it('keeps the earliest of several delayed adds of one key', async () => {
    const times: number[] = [];
    const q = new WorkQueue(
      async () => {
        times.push(Date.now());
        return {};
      },
      { concurrency: 1 },
    );
    const t0 = Date.now();
    q.add('r1', 5000);
    q.add('r1', 30);
    q.add('r1', 4000);
    while (times.length < 1) await sleep(5);
    expect((times[0] ?? 0) - t0).toBeLessThan(2000);
    q.stop();
  });

  it('does not retry a key whose error is terminal, until it is added again', async () => {
    let runs = 0;
    const retries: (number | undefined)[] = [];
    const q = new WorkQueue(
      async () => {
        runs++;
        throw new Error('refused');
      },
      { concurrency: 1, baseBackoffMs: 5, isTerminal: () => true, onError: (_k, _e, r) => retries.push(r) },
    );
    q.add('r1');
    await q.idle();
    await sleep(50);
    expect(runs).toBe(1);
    expect(retries).toEqual([undefined]);
    q.add('r1');
    await q.idle();
    expect(runs).toBe(2);
    q.stop();
  });
});

describe('WorkQueue.addUrgent', () => {
  it('runs an urgent key before routine keys that were queued earlier', async () => {
    const seen: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const q = new WorkQueue(
      async (k) => {
        if (k === 'busy') await gate;
        seen.push(k);
        return {};
      },
      { concurrency: 1 },
    );
    q.add('busy');
    for (let i = 0; i < 5; i++) q.add(`r${i}`);
    q.addUrgent('r3');
    q.addUrgent('hook');
    release();
    await q.idle();
    expect(seen).toEqual(['busy', 'hook', 'r3', 'r0', 'r1', 'r2', 'r4']);
  });
});

describe('respawnDelayMs', () => {
  it('lets the first restart in a minute go at once, then doubles from 0.5 s up to 30 s', () => {
    expect(respawnDelayMs([], 100_000)).toBe(0);
    expect(respawnDelayMs([99_000], 100_000)).toBe(0);
    expect(respawnDelayMs([98_000, 100_000], 100_000)).toBe(500);
    expect(respawnDelayMs([97_000, 98_000, 100_000], 100_000)).toBe(1000);
    expect(
      respawnDelayMs(
        Array.from({ length: 10 }, (_, i) => 91_000 + i * 1000),
        100_000,
      ),
    ).toBe(30_000);
    expect(respawnDelayMs([10_000, 20_000], 100_000)).toBe(0);
  });
});
