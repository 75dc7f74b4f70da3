import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/plan/actions.js';
import { desiredRouter } from '../../src/plan/desired.js';
import type { LinkState, ObservedRouter, RouterMemory } from '../../src/plan/observed.js';
import { planRouter, planTeardown } from '../../src/plan/router.js';
import { agent, NOTIFY, router } from '../fixtures.js';

// The planner is pure: these tests simulate the node by applying actions to a model of
// observed state, then re-plan.

const d = desiredRouter(agent(), router(), NOTIFY);
const empty: ObservedRouter = {
  nsExists: false,
  watched: false,
  links: [],
  keepalived: { pid: undefined, alive: false, vrrpPid: undefined, vrrpAlive: false },
  loadedHash: undefined,
  confOnDisk: undefined,
  natOnDisk: undefined,
  natKernel: undefined,
};

// A model of the node: what each action does to observed state and memory.
function simulate(o: ObservedRouter, mem: RouterMemory, actions: Action[]): [ObservedRouter, RouterMemory] {
  let links: LinkState[] = [...o.links];
  let s: ObservedRouter = o;
  let m = mem;
  const setLink = (name: string, f: (l: LinkState) => LinkState) => {
    links = links.map((l) => (l.ifname === name ? f(l) : l));
  };
  for (const a of actions) {
    if (a.kind === 'createNamespace') s = { ...s, nsExists: true, watched: true };
    if (a.kind === 'watchNamespace') s = { ...s, watched: true };
    if (a.kind === 'createPorts')
      for (const port of a.ports)
        links.push({ ifname: port.inside, up: true, mac: 'x', master: undefined, addrs: [] });
    if (a.kind === 'setUp') setLink(a.ifname, (l) => ({ ...l, up: true }));
    if (a.kind === 'addAddress') setLink(a.addr.dev, (l) => ({ ...l, addrs: [...l.addrs, a.addr.cidr] }));
    if (a.kind === 'removeAddresses') {
      for (const x of a.addrs) setLink(x.dev, (l) => ({ ...l, addrs: l.addrs.filter((c) => c !== x.cidr) }));
    }
    if (a.kind === 'writeKeepalivedConf') s = { ...s, confOnDisk: a.content };
    if (a.kind === 'writeFile' && a.path === d.paths.natNft) s = { ...s, natOnDisk: a.content };
    if (a.kind === 'applyNat') {
      s = { ...s, natKernel: 'LISTING' };
      m = { ...m, natApplied: { hash: a.hash, listing: 'LISTING' } };
    }
    if (a.kind === 'startKeepalived') {
      const keepalived = {
        pid: 100,
        alive: true,
        vrrpPid: 101,
        vrrpAlive: true,
        start: 7000,
        vrrpStart: 7001,
      };
      s = { ...s, keepalived, loadedHash: a.hash };
      m = { ...m, lastReloadAt: 0 };
    }
    if (a.kind === 'reloadKeepalived') s = { ...s, loadedHash: a.hash };
    if (a.kind === 'killPid') s = { ...s, keepalived: { ...s.keepalived, vrrpAlive: false } };
  }
  return [{ ...s, links }, m];
}

const kinds = (actions: Action[]) => actions.map((a) => a.kind);

// One reconcile against the model: plan, then apply the plan to the model.
function step(o: ObservedRouter, mem: RouterMemory, now: number): [ObservedRouter, RouterMemory] {
  const p = planRouter(d, o, mem, now);
  return simulate(o, p.memory, p.actions);
}

// A router built from nothing and observed once more (BACKUP, journaled): at rest.
function settled(): [ObservedRouter, RouterMemory] {
  const [o, m] = step(empty, {}, 0);
  return step(o, m, 1);
}

describe('planRouter', () => {
  it('builds a router from nothing in a safe order, and re-planning yields nothing', () => {
    const p = planRouter(d, empty, {}, 1000);
    expect(kinds(p.actions)).toEqual([
      'createNamespace',
      'createPorts',
      'addAddress',
      'writeKeepalivedConf',
      'writeFile',
      'applyNat',
      'startKeepalived',
    ]);
    const [o2, m2] = simulate(empty, p.memory, p.actions);
    // The next look sees the built router and journals its first role.
    const look = planRouter(d, o2, m2, 2000);
    expect(kinds(look.actions)).toEqual(['journal', 'writeFile']);
    const [o3, m3] = simulate(o2, look.memory, look.actions);
    expect(planRouter(d, o3, m3, 3000).actions).toEqual([]);
  });

  it('looks again 4 adverts after starting keepalived, so the first role is known without a hook', () => {
    expect(planRouter(d, empty, {}, 1000).requeueAfterMs).toBe(4 * d.advertMs);
  });

  it('gives an adopted namespace without an id one, so the address watch sees it, once', () => {
    const [o, m] = settled();
    const unwatched = { ...o, watched: false };
    expect(kinds(planRouter(d, unwatched, m, 5000).actions)).toEqual(['watchNamespace']);
    expect(planRouter(d, o, m, 5000).actions).toEqual([]);
  });

  it('installs NAT before keepalived starts, so a new MASTER never forwards without it', () => {
    const k = kinds(planRouter(d, empty, {}, 0).actions);
    expect(k.indexOf('applyNat')).toBeLessThan(k.indexOf('startKeepalived'));
  });

  it('re-applies a NAT table that drifted from what l3ha applied', () => {
    const [o, m] = settled();
    expect(kinds(planRouter(d, { ...o, natKernel: 'flushed by hand' }, m, 5000).actions)).toEqual([
      'applyNat',
    ]);
    expect(kinds(planRouter(d, { ...o, natKernel: undefined }, m, 5000).actions)).toEqual(['applyNat']);
  });

  it('removes addresses a killed keepalived left behind before respawning it', () => {
    const [o] = settled();
    const withVips: ObservedRouter = {
      ...o,
      links: o.links.map((l) =>
        l.ifname === 'gw'
          ? { ...l, addrs: ['203.0.113.1/24', '203.0.113.50/32'] }
          : l.ifname === 'ha'
            ? { ...l, addrs: [...l.addrs, d.vip.cidr] }
            : l,
      ),
      keepalived: { pid: 100, alive: false, vrrpPid: 101, vrrpAlive: false },
    };
    const p = planRouter(d, withVips, { natApplied: { hash: d.natHash, listing: 'LISTING' } }, 0);
    expect(kinds(p.actions)).toEqual(['removeAddresses', 'startKeepalived']);
    const rm = p.actions[0];
    expect(rm?.kind === 'removeAddresses' && rm.addrs.map((a) => a.cidr).sort()).toEqual(
      ['169.254.192.8/32', '203.0.113.1/24', '203.0.113.50/32'].sort(),
    );
  });

  it('kills an orphaned VRRP child before starting a new keepalived', () => {
    const [o, m] = settled();
    const orphan: ObservedRouter = {
      ...o,
      keepalived: { pid: 100, alive: false, vrrpPid: 101, vrrpAlive: true, vrrpStart: 7001 },
    };
    const p = planRouter(d, orphan, m, 0);
    expect(kinds(p.actions)).toEqual(['killPid', 'startKeepalived']);
    // The kill names the process by its start time too: apply re-checks it before the signal.
    expect(p.actions[0]).toMatchObject({ proc: { pid: 101, start: 7001 }, conf: d.paths.keepalivedConf });
  });

  it('reloads a changed config with SIGHUP, but not sooner than 1.5 x advert after the last one', () => {
    const [o, m] = settled();
    const changed = desiredRouter(agent(), router({ routes: [] }), NOTIFY);
    expect(changed.reloadSpacingMs).toBe(150);
    const soon = planRouter(changed, o, { ...m, lastReloadAt: 1000 }, 1100);
    expect(kinds(soon.actions)).toEqual(['writeKeepalivedConf']);
    expect(soon.requeueAfterMs).toBe(50);
    const later = planRouter(changed, o, { ...m, lastReloadAt: 1000 }, 1150);
    expect(kinds(later.actions)).toEqual(['writeKeepalivedConf', 'reloadKeepalived']);
  });

  it('does not touch keepalived when only an unrelated router changed', () => {
    const [o, m] = settled();
    expect(planRouter(d, o, m, 99_999).actions).toEqual([]);
  });

  it('in external mode reports what is missing and changes nothing', () => {
    const ext = desiredRouter(agent({ plumbing: { mode: 'external' } }), router(), NOTIFY);
    const p = planRouter(ext, { ...empty, nsExists: true, links: [] }, {}, 0);
    expect(p.actions).toEqual([]);
    expect(p.missing).toEqual([
      'interface ha in qrouter-r1',
      'interface gw in qrouter-r1',
      'interface qr-n1 in qrouter-r1',
    ]);
    expect(planRouter(ext, empty, {}, 0).missing).toEqual(['namespace qrouter-r1']);
  });

  it('removes router addresses from a BACKUP only after seeing them twice, 3 adverts apart', () => {
    const [o, m] = settled();
    const stray: ObservedRouter = {
      ...o,
      links: o.links.map((l) => (l.ifname === 'gw' ? { ...l, addrs: ['203.0.113.50/32'] } : l)),
    };
    const first = planRouter(d, stray, m, 10_000);
    expect(first.actions).toEqual([]);
    expect(first.memory.straySince).toBe(10_000);
    expect(first.requeueAfterMs).toBe(300);
    const early = planRouter(d, stray, { ...m, straySince: 10_000 }, 10_100);
    expect(early.actions).toEqual([]);
    const confirmed = planRouter(d, stray, { ...m, straySince: 10_000 }, 10_300);
    expect(kinds(confirmed.actions)).toEqual(['removeAddresses']);
    // A MASTER (VIP present) keeps its addresses.
    const master: ObservedRouter = {
      ...stray,
      links: stray.links.map((l) => (l.ifname === 'ha' ? { ...l, addrs: [...l.addrs, d.vip.cidr] } : l)),
    };
    expect(kinds(planRouter(d, master, { ...m, straySince: 10_000 }, 10_300).actions)).not.toContain(
      'removeAddresses',
    );
  });
});

describe('planRouter requests and memory', () => {
  const asMaster = (o: ObservedRouter): ObservedRouter => ({
    ...o,
    links: o.links.map((l) => (l.ifname === 'ha' ? { ...l, addrs: [...l.addrs, d.vip.cidr] } : l)),
  });

  it('hands a MASTER over with SIGTERM, not counted as a crash, and starts keepalived again next pass', () => {
    const [o, m] = settled();
    const p = planRouter(d, asMaster(o), { ...m, role: 'MASTER', handover: 7, starts: [1, 2] }, 5000);
    const procs = [
      { pid: 100, start: 7000 },
      { pid: 101, start: 7001 },
    ];
    expect(p.actions).toEqual([
      { kind: 'stopKeepalived', procs, conf: d.paths.keepalivedConf, reason: 'handover' },
    ]);
    expect(p.memory).toMatchObject({
      handover: undefined,
      handoverDone: { seq: 7, result: 'handed over' },
      starts: [],
    });
    expect(p.requeueAfterMs).toBe(1);
    const stopped: ObservedRouter = {
      ...o,
      keepalived: { pid: 100, alive: false, vrrpPid: 101, vrrpAlive: false },
    };
    expect(kinds(planRouter(d, stopped, p.memory, 5001).actions)).toEqual(['startKeepalived']);
  });

  it('answers a handover on a BACKUP with nothing to do, and changes nothing', () => {
    const [o, m] = settled();
    const p = planRouter(d, o, { ...m, handover: 3 }, 5000);
    expect(p.actions).toEqual([]);
    expect(p.memory.handoverDone).toEqual({ seq: 3, result: 'not MASTER here; nothing to do' });
  });

  it('holds back the respawn of a keepalived that keeps exiting, and says for how long', () => {
    const [o, m] = settled();
    const dead: ObservedRouter = {
      ...o,
      keepalived: { pid: 100, alive: false, vrrpPid: 101, vrrpAlive: false },
    };
    const p = planRouter(d, dead, { ...m, starts: [9000, 10_000] }, 10_100);
    expect(p.actions).toEqual([]);
    expect(p.backoffMs).toBe(400);
    expect(p.requeueAfterMs).toBe(400);
    const later = planRouter(d, dead, { ...m, starts: [9000, 10_000] }, 10_500);
    expect(kinds(later.actions)).toEqual(['startKeepalived']);
    expect(later.memory.starts).toEqual([9000, 10_000, 10_500]);
  });

  it('does not retry a config keepalived refused until the spec changes, and keeps the old one running', () => {
    const [o, m] = settled();
    const changed = desiredRouter(agent(), router({ routes: [] }), NOTIFY);
    const refused = { ...m, rejectedConf: changed.confHash };
    expect(kinds(planRouter(changed, o, refused, 5000).actions)).toEqual([]);
    // keepalived died meanwhile: it comes back on the config it last accepted.
    const dead: ObservedRouter = {
      ...o,
      keepalived: { pid: 100, alive: false, vrrpPid: 101, vrrpAlive: false },
    };
    const restart = planRouter(changed, dead, refused, 5000).actions.find(
      (a) => a.kind === 'startKeepalived',
    );
    expect(restart?.kind === 'startKeepalived' && restart.hash).toBe(d.confHash);
    // A new spec is tried again.
    const again = desiredRouter(agent(), router({ routes: [], floatingIps: [] }), NOTIFY);
    const p = planRouter(again, o, refused, 5000);
    expect(kinds(p.actions)).toContain('writeKeepalivedConf');
    expect(p.memory.rejectedConf).toBeUndefined();
  });
});

describe('planTeardown', () => {
  it('stops keepalived first, then NAT, then the namespace, then files', () => {
    const o: ObservedRouter = {
      ...empty,
      nsExists: true,
      natKernel: 'x',
      keepalived: { pid: 5, alive: true, vrrpPid: 6, vrrpAlive: true, start: 50, vrrpStart: 60 },
    };
    const a = planTeardown({ ns: 'qrouter-r1', managed: true, files: ['/x'], conf: '/k.conf' }, o);
    expect(kinds(a)).toEqual(['stopKeepalived', 'deleteNat', 'deleteNamespace', 'removeFiles']);
    expect(a[0]?.kind === 'stopKeepalived' && a[0]).toMatchObject({
      procs: [
        { pid: 5, start: 50 },
        { pid: 6, start: 60 },
      ],
      conf: '/k.conf',
    });
  });

  it('leaves an external namespace in place', () => {
    const o: ObservedRouter = { ...empty, nsExists: true, natKernel: 'x' };
    expect(kinds(planTeardown({ ns: 'n', managed: false, files: [], conf: '/k.conf' }, o))).toEqual([
      'deleteNat',
      'removeFiles',
    ]);
  });
});
