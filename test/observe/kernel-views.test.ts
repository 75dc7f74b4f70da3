import { describe, expect, it } from 'vitest';
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
});
