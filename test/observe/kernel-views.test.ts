import { describe, expect, it } from 'vitest';
import { worthSweeping } from '../../src/observe/kernel-sweep.js';
import { type KernelReading, KernelViews } from '../../src/observe/kernel-views.js';

const reading = (nat: string): KernelReading => ({ links: [], natKernel: nat });

function views(auditMs = 1000) {
  let t = 0;
  const v = new KernelViews(auditMs, () => t);
  v.setLive(true);
  return { v, advance: (ms: number) => (t += ms) };
}

describe('KernelViews', () => {
  it('trusts a reading until the audit period has passed', () => {
    const { v, advance } = views(1000);
    v.put(v.begin('ns1', 7), reading('a'));
    expect(v.get('ns1', 7)?.natKernel).toBe('a');
    advance(999);
    expect(v.get('ns1', 7)?.natKernel).toBe('a');
    advance(1);
    expect(v.get('ns1', 7)).toBeUndefined();
    expect(v.hits).toBe(2);
  });

  it('forgets a reading when the namespace behind the name is a new one', () => {
    const { v } = views();
    v.put(v.begin('ns1', 7), reading('a'));
    expect(v.get('ns1', 8)).toBeUndefined();
    expect(v.get('ns1', 7)).toBeUndefined();
  });

  it('drops a reading that an event overtook while it was being read', () => {
    const { v } = views();
    const t = v.begin('ns1', 7);
    v.invalidate('ns1');
    v.put(t, reading('stale'));
    expect(v.get('ns1', 7)).toBeUndefined();
    v.put(v.begin('ns1', 7), reading('fresh'));
    expect(v.get('ns1', 7)?.natKernel).toBe('fresh');
  });

  it('an event in one namespace leaves the others trusted', () => {
    const { v } = views();
    v.put(v.begin('ns1', 1), reading('a'));
    v.put(v.begin('ns2', 2), reading('b'));
    v.invalidate('ns1');
    expect(v.get('ns1', 1)).toBeUndefined();
    expect(v.get('ns2', 2)?.natKernel).toBe('b');
  });

  it('after lost events nothing is trusted, including reads that were under way', () => {
    const { v } = views();
    v.put(v.begin('ns1', 1), reading('a'));
    const t = v.begin('ns2', 2);
    v.invalidateAll();
    v.put(t, reading('b'));
    expect(v.get('ns1', 1)).toBeUndefined();
    expect(v.get('ns2', 2)).toBeUndefined();
    expect(v.size).toBe(0);
    expect(v.reads).toBe(2);
  });

  it('trusts nothing while the address watch is not listening, and nothing read before it stopped', () => {
    const { v } = views();
    v.put(v.begin('ns1', 1), reading('a'));
    v.setLive(false);
    expect(v.get('ns1', 1)).toBeUndefined();
    v.put(v.begin('ns1', 1), reading('b'));
    v.setLive(true);
    expect(v.get('ns1', 1)).toBeUndefined();
  });

  it('says whether a put was kept', () => {
    const { v } = views();
    const t = v.begin('ns1', 7);
    expect(v.put(t, reading('a'))).toBe(true);
    const stale = v.begin('ns1', 7);
    v.invalidate('ns1');
    expect(v.put(stale, reading('b'))).toBe(false);
  });

  it('a look waits for the sweep in flight only for a namespace it covers and nothing invalidated', async () => {
    const { v } = views();
    expect(v.swept('ns1')).toBeUndefined();
    let done: () => void = () => {};
    const tokens = new Map([
      ['ns1', v.begin('ns1', 7)],
      ['ns2', v.begin('ns2', 8)],
    ]);
    v.track(new Promise<void>((r) => (done = r)), tokens);
    const waiting = v.swept('ns1');
    expect(waiting).toBeDefined();
    expect(v.swept('ns3')).toBeUndefined();
    // An event in ns2 while the sweep runs: its reading will not be kept, so no wait.
    v.invalidate('ns2');
    expect(v.swept('ns2')).toBeUndefined();
    done();
    await waiting;
    expect(v.swept('ns1')).toBeUndefined();
  });

  it('stops waiting on a failed sweep, and tracks the newer of two', async () => {
    const { v } = views();
    const tokens = new Map([['ns1', v.begin('ns1', 7)]]);
    v.track(Promise.reject(new Error('ip failed')), tokens);
    await v.swept('ns1');
    expect(v.swept('ns1')).toBeUndefined();
    let first: () => void = () => {};
    v.track(new Promise<void>((r) => (first = r)), tokens);
    v.track(new Promise<void>(() => {}), tokens);
    const second = v.swept('ns1');
    first();
    await new Promise((r) => setTimeout(r, 0));
    expect(v.swept('ns1')).toBe(second);
  });

  it('no look waits on a sweep begun before the watch restarted', () => {
    const { v } = views();
    v.track(new Promise<void>(() => {}), new Map([['ns1', v.begin('ns1', 7)]]));
    v.setLive(false);
    v.setLive(true);
    expect(v.swept('ns1')).toBeUndefined();
  });
});

describe('worthSweeping', () => {
  it('sweeps when the routers are at least a third of the namespaces, and not for a few', () => {
    expect(worthSweeping(500, 501)).toBe(true);
    expect(worthSweeping(100, 300)).toBe(true);
    expect(worthSweeping(100, 301)).toBe(false);
    expect(worthSweeping(7, 7)).toBe(false);
    expect(worthSweeping(8, 8)).toBe(true);
  });
});
