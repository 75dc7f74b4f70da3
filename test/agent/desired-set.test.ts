import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DesiredSet } from '../../src/agent/desired-set.js';
import { listDir } from '../../src/system/files.js';
import { specStore } from '../../src/system/spec-store.js';
import { agent } from '../fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(supported: string[] = ['*'], known: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'l3ha-unit-'));
  dirs.push(dir);
  const set = new DesiredSet(agent({ routersDir: dir, supportedRouters: supported }), () => known);
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  return { dir, set, write };
}

// A routers dir and a stateDir whose saved specs outlive each DesiredSet (an agent restart).
function withStore() {
  const dir = mkdtempSync(join(tmpdir(), 'l3ha-unit-'));
  const stateDir = mkdtempSync(join(tmpdir(), 'l3ha-unit-state-'));
  dirs.push(dir, stateDir);
  const a = agent({ routersDir: dir, stateDir });
  const known = () => listDir(join(stateDir, 'routers'));
  const start = () => new DesiredSet(a, known, specStore(a));
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  return { a, stateDir, start, write };
}
const spec = (id: string, vrid: number) =>
  `id: ${id}\nvrid: ${vrid}\ninternal: [{ name: n1, addresses: [10.${vrid}.0.1/24] }]\n`;

describe('DesiredSet', () => {
  it('reports new, changed and removed routers', () => {
    const { dir, set, write } = setup();
    write('r1.yaml', spec('r1', 1));
    write('r2.yaml', spec('r2', 2));
    expect(set.refresh().changed.sort()).toEqual(['r1', 'r2']);
    expect(set.refresh().changed).toEqual([]);
    write('r2.yaml', spec('r2', 2).replace('10.2.0.1', '10.2.0.9'));
    expect(set.refresh().changed).toEqual(['r2']);
    unlinkSync(join(dir, 'r1.yaml'));
    expect(set.refresh()).toMatchObject({ changed: [], removed: ['r1'] });
  });

  it('keeps the last good spec of a router whose file turns invalid', () => {
    const { set, write } = setup();
    write('r1.yaml', spec('r1', 1));
    set.refresh();
    write('r1.yaml', 'id: r1\nvrid: 0\n');
    const r = set.refresh();
    expect(r.removed).toEqual([]);
    expect(r.errors.map((e) => e.code)).toEqual(['L3HA_INVALID_VALUE']);
    expect(set.get('r1')?.spec.vrid).toBe(1);
  });

  it('lets a router kept at its last good spec win a vrid conflict with a new file', () => {
    const { set, write } = setup();
    write('r1.yaml', spec('r1', 1));
    set.refresh();
    write('r1.yaml', 'id: r1\nvrid: 0\n');
    write('r9.yaml', spec('r9', 1).replace('10.1.0.1', '10.9.0.1'));
    const r = set.refresh();
    expect(r.errors.map((e) => [e.code, e.file?.split('/').at(-1)])).toEqual([
      ['L3HA_INVALID_VALUE', 'r1.yaml'],
      ['L3HA_DUPLICATE_VRID', 'r9.yaml'],
    ]);
    expect(set.ids()).toEqual(['r1']);
  });

  it('lets a running router win a vrid conflict with a new file', () => {
    const { set, write } = setup();
    write('z1.yaml', spec('z1', 1));
    set.refresh();
    write('a1.yaml', spec('a1', 1).replace('10.1.0.1', '10.9.0.1'));
    const r = set.refresh();
    expect(r.errors.map((e) => e.code)).toEqual(['L3HA_DUPLICATE_VRID']);
    expect(set.ids()).toEqual(['z1']);
  });

  it('after a restart, lets a router this node has state for win a vrid conflict with a new file', () => {
    const { set, write } = setup(['*'], ['z1']);
    write('a1.yaml', spec('a1', 1).replace('10.1.0.1', '10.9.0.1'));
    write('z1.yaml', spec('z1', 1));
    const r = set.refresh();
    expect(r.errors.map((e) => [e.code, e.file?.endsWith('a1.yaml')])).toEqual([
      ['L3HA_DUPLICATE_VRID', true],
    ]);
    expect(set.ids()).toEqual(['z1']);
  });

  it('after a restart, runs a router whose file turned invalid while the agent was down at its saved spec', () => {
    const { start, write } = withStore();
    write('r1.yaml', spec('r1', 1));
    write('r2.yaml', spec('r2', 2));
    expect(start().refresh().changed.sort()).toEqual(['r1', 'r2']);
    write('r1.yaml', spec('r1', 1).replace('vrid:', 'vridd:'));
    const set = start();
    const r = set.refresh();
    expect(r.errors.map((e) => e.code)).toContain('L3HA_UNKNOWN_KEY');
    expect(r).toMatchObject({ changed: [], removed: [] });
    expect(set.get('r1')?.spec.vrid).toBe(1);
    expect(set.ids().sort()).toEqual(['r1', 'r2']);
  });

  it('after a restart, a saved router wins a vrid conflict with a new file, and its fixed file updates the save', () => {
    const { a, start, write } = withStore();
    write('z1.yaml', spec('z1', 1));
    start().refresh();
    write('a1.yaml', spec('a1', 1).replace('10.1.0.1', '10.9.0.1'));
    const set = start();
    expect(set.refresh().errors.map((e) => [e.code, e.file?.endsWith('a1.yaml')])).toEqual([
      ['L3HA_DUPLICATE_VRID', true],
    ]);
    expect(set.ids()).toEqual(['z1']);
    write('z1.yaml', spec('z1', 1).replace('10.1.0.1', '10.1.0.7'));
    set.refresh();
    expect(specStore(a).load(['z1'])[0]?.spec.internal[0]?.addresses).toEqual(['10.1.0.7/24']);
  });

  it('after a restart, drops a saved router whose file is gone, and ignores a save it cannot trust', () => {
    const { a, stateDir, start, write } = withStore();
    write('r1.yaml', spec('r1', 1));
    write('r2.yaml', spec('r2', 2));
    start().refresh();
    unlinkSync(join(a.routersDir, 'r1.yaml'));
    write('r2.yaml', 'id: r2\nvrid: [\n');
    writeFileSync(join(stateDir, 'routers', 'r2', 'spec.json'), '{"file":"r2.yaml","spec":{"id":"r9"}}');
    const set = start();
    expect(set.refresh()).toMatchObject({ changed: [], removed: ['r1'] });
    expect(set.ids()).toEqual([]);
    // r2 is unknown but its file is bad: the reconcile keeps what runs (invalid input).
    expect(set.invalid()).toBe(true);
  });

  it('says the input is invalid while any file is bad or conflicts, and valid again once fixed', () => {
    const { set, write } = setup();
    write('r1.yaml', spec('r1', 1));
    set.refresh();
    expect(set.invalid()).toBe(false);
    write('r2.yaml', 'id: r2\nvrid: [\n');
    set.refresh();
    expect(set.invalid()).toBe(true);
    write('r2.yaml', spec('r2', 2));
    set.refresh();
    expect(set.invalid()).toBe(false);
  });

  it('parses again only the files that changed since the last refresh', () => {
    const { set, write } = setup();
    write('r1.yaml', spec('r1', 1));
    write('r2.yaml', spec('r2', 2));
    set.refresh();
    const [r1, r2] = [set.get('r1'), set.get('r2')];
    expect(set.refresh().changed).toEqual([]);
    expect(set.get('r1')).toBe(r1);
    write('r2.yaml', spec('r2', 2).replace('10.2.0.1', '10.2.0.9'));
    expect(set.refresh().changed).toEqual(['r2']);
    expect(set.get('r1')).toBe(r1);
    expect(set.get('r2')).not.toBe(r2);
  });

  it('serves only the routers its supportedRouters globs match', () => {
    const { set, write } = setup(['r1*', 'edge-?']);
    write('a.yaml', spec('r1', 1));
    write('b.yaml', spec('r10', 2));
    write('c.yaml', spec('edge-a', 3));
    write('d.yaml', spec('other', 4));
    set.refresh();
    expect(set.ids().sort()).toEqual(['edge-a', 'r1', 'r10']);
  });

  it('keeps the last good spec when its file is replaced by a symlink, a fifo or a writable file', () => {
    const { dir, set, write } = setup();
    write('r1.yaml', spec('r1', 1));
    set.refresh();
    const f = join(dir, 'r1.yaml');
    const target = join(dir, 'elsewhere');
    writeFileSync(target, spec('r1', 1).replace('10.1.0.1', '10.1.0.9'));
    unlinkSync(f);
    symlinkSync(target, f);
    expect(set.refresh()).toMatchObject({ changed: [], removed: [] });
    expect(set.invalid()).toBe(true);
    unlinkSync(f);
    execFileSync('mkfifo', [f]);
    const r = set.refresh(); // returns: a fifo is not waited on
    expect(r.errors.map((e) => e.code)).toEqual(['L3HA_NOT_REGULAR_FILE']);
    unlinkSync(f);
    write('r1.yaml', spec('r1', 1));
    chmodSync(f, 0o666);
    expect(set.refresh().errors.map((e) => e.code)).toEqual(['L3HA_INSECURE_FILE']);
    expect(set.get('r1')?.spec.internal[0]?.addresses).toEqual(['10.1.0.1/24']);
  });

  it('refuses the whole directory when others can write it (the agent keeps its last good state)', () => {
    const { dir, set, write } = setup();
    write('r1.yaml', spec('r1', 1));
    set.refresh();
    chmodSync(dir, 0o777);
    expect(() => set.refresh()).toThrowError(
      expect.objectContaining({
        errors: [expect.objectContaining({ code: 'L3HA_INSECURE_FILE', file: dir })],
      }),
    );
    expect(set.ids()).toEqual(['r1']);
  });
});

describe('DesiredSet at its caps', () => {
  // 30 routers of 4,096 floating IPs each: parsing them all took 17.7 s per resync.
  const big = (k: number) =>
    JSON.stringify({
      id: `r${k}`,
      vrid: k + 1,
      gateway: { addresses: [`100.64.${k}.1/24`] },
      internal: [{ name: 'n1', addresses: [`10.${k}.0.1/16`] }],
      floatingIps: Array.from({ length: 4096 }, (_, i) => ({
        floating: `11.${k}.${i >> 8}.${i & 255}`,
        fixed: `10.${k}.${16 + (i >> 8)}.${i & 255}`,
      })),
    });

  it('a resync of 30 unchanged routers x 4,096 floating IPs parses no file again', () => {
    const { dir, set, write } = setup();
    for (let k = 0; k < 30; k++) write(`r${k}.json`, big(k));
    let t = performance.now();
    const first = set.refresh();
    const parseMs = performance.now() - t;
    expect(first.errors).toEqual([]);
    expect(first.changed).toHaveLength(30);
    const before = new Map(set.ids().map((id) => [id, set.get(id)]));
    t = performance.now();
    expect(set.refresh()).toEqual({ changed: [], removed: [], errors: [] });
    const resyncMs = performance.now() - t;
    // The very same entries: nothing was parsed again.
    for (const [id, e] of before) expect(set.get(id)).toBe(e);
    // Measured: 8.2 s to parse, 72 ms to resync (2.6 s while each router was checked again).
    expect(resyncMs).toBeLessThan(parseMs / 4);
    // Touching one file (same text, new mtime) parses that one only.
    const later = new Date(Date.now() + 5000);
    utimesSync(join(dir, 'r7.json'), later, later);
    expect(set.refresh().changed).toEqual([]);
    for (const [id, e] of before) {
      if (id === 'r7') expect(set.get(id)).not.toBe(e);
      else expect(set.get(id)).toBe(e);
    }
  });
});
