import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepKernel } from '../../src/observe/kernel-sweep.js';
import { KernelViews } from '../../src/observe/kernel-views.js';
import { parseIpAddr } from '../../src/observe/links.js';
import { NAT_TABLE } from '../../src/render/nft.js';
import { inodeOf } from '../../src/system/files.js';
import { ExecaRunner } from '../../src/system/runner.js';

// The sweep against real namespaces: its reading of each one is exactly what the per-router
// read (`ip -j -n NS addr show`, `ip netns exec NS nft list table`) gives, and a namespace
// invalidated while the sweep runs keeps no reading.
const runner = new ExecaRunner();
const prefix = `l3t${randomBytes(3).toString('hex')}-`;
const names = ['r1', 'r2', 'r3'].map((r) => `${prefix}${r}`);
const [withNat, plain, invalidated] = names as [string, string, string];

beforeAll(async () => {
  for (const ns of names) {
    await runner.run('ip', ['netns', 'add', ns]);
    await runner.run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    await runner.run('ip', ['-n', ns, 'link', 'add', 'qg-x', 'type', 'veth', 'peer', 'name', 'qg-y']);
    await runner.run('ip', ['-n', ns, 'addr', 'add', '203.0.113.7/24', 'dev', 'qg-x']);
  }
  const table = `table ip ${NAT_TABLE} {\n chain pre { type nat hook prerouting priority dstnat; ip daddr 203.0.113.9 dnat to 10.0.0.5\n }\n}\n`;
  await runner.run('ip', ['netns', 'exec', withNat, 'nft', '-f', '-'], { input: table });
});

afterAll(async () => {
  for (const ns of names) await runner.run('ip', ['netns', 'del', ns], { check: false });
});

describe('sweepKernel', () => {
  it('reads every router namespace as the per-router read does, in two processes', async () => {
    const views = new KernelViews(60_000, () => Date.now());
    views.setLive(true);
    let runs = 0;
    const counting = {
      run: (f: string, a: readonly string[], o?: Parameters<ExecaRunner['run']>[2]) => {
        runs++;
        return runner.run(f, a, o);
      },
    };
    const r = await sweepKernel(counting, views, prefix);
    expect(runs).toBe(2);
    expect(r.kept).toBe(3);
    for (const ns of names) {
      const got = views.get(ns, inodeOf(`/run/netns/${ns}`));
      const addr = await runner.run('ip', ['-j', '-n', ns, 'addr', 'show']);
      expect(got?.links).toEqual(parseIpAddr(addr.stdout));
      expect(got?.links.find((l) => l.ifname === 'qg-x')?.addrs).toEqual(['203.0.113.7/24']);
      const nat = await runner.run('ip', ['netns', 'exec', ns, 'nft', 'list', 'table', 'ip', NAT_TABLE], {
        check: false,
      });
      expect(got?.natKernel).toBe(nat.exitCode === 0 ? nat.stdout : undefined);
    }
    expect(views.get(withNat, inodeOf(`/run/netns/${withNat}`))?.natKernel).toContain('dnat to 10.0.0.5');
    expect(views.get(plain, inodeOf(`/run/netns/${plain}`))?.natKernel).toBeUndefined();
  });

  it('keeps no reading of a namespace invalidated while it ran, nor of other prefixes', async () => {
    const views = new KernelViews(60_000, () => Date.now());
    views.setLive(true);
    const p = sweepKernel(runner, views, prefix);
    views.invalidate(invalidated);
    const r = await p;
    expect(r.kept).toBe(2);
    expect(views.get(invalidated, inodeOf(`/run/netns/${invalidated}`))).toBeUndefined();
    expect(views.get(plain, inodeOf(`/run/netns/${plain}`))).toBeDefined();
    const other = await sweepKernel(runner, views, `${prefix}zz`);
    expect(other.kept).toBe(0);
  });

  it('keeps nothing while the address watch is not live', async () => {
    const views = new KernelViews(60_000, () => Date.now());
    const r = await sweepKernel(runner, views, prefix);
    expect(r.kept).toBe(0);
    expect(views.size).toBe(0);
  });
});
