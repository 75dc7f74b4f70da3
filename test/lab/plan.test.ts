import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { contains, isIPv4, parseCidr } from '../../src/config/addresses.js';
import { checkAcross, type RouterEntry } from '../../src/config/cross-check.js';
import { parseAgent } from '../../src/config/load.js';
import { routerSchema } from '../../src/config/schema-router.js';
import {
  agentConfigText,
  EXT_FLOAT_SIDE,
  EXT_GATEWAY,
  type LabPlan,
  type LabRouter,
  labPlan,
  MAX_LAB_ROUTERS,
  routerSpecText,
} from '../../src/lab/plan.js';

// The lab plan is data only: names, addresses and the config text of both nodes. These
// tests build plans without touching the system and run the text through the real schema.

const RUN = 'l3t0a1b2c';
const DIR = `/tmp/l3ha-test-${RUN}`;
const BASE_PORT = 24000;

const plan = (routers: number, profile = 'fast'): LabPlan => labPlan(RUN, DIR, routers, profile, BASE_PORT);

const nodeA = (p: LabPlan) => p.nodes[0];
const nodeB = (p: LabPlan) => p.nodes[1];

const namespaces = (p: LabPlan): string[] => [
  p.fabric,
  p.ext,
  ...p.routers.flatMap((r) => [r.vmFloating, r.vmSnat]),
  // The agents' router namespaces: prefix + router id.
  ...p.nodes.flatMap((n) => p.routers.map((r) => `${n.nsPrefix}${r.id}`)),
];

const routerAddresses = (r: LabRouter): string[] => [r.gateway, r.floating, r.fixed, r.snatVm, r.internalGw];

const ALLOWED = ['203.0.113.0/24', '198.51.100.0/24', '10.0.0.0/8'].map(parseCidr);
const allowed = (a: string) => isIPv4(a) && ALLOWED.some((c) => contains(c, a));

const agentOf = (p: LabPlan, i: 0 | 1) => parseAgent('agent.yaml', parse(agentConfigText(p, p.nodes[i])));
const entries = (p: LabPlan): RouterEntry[] =>
  p.routers.map((r) => ({ file: `${r.id}.yaml`, spec: routerSchema.parse(parse(routerSpecText(r))) }));

describe('labPlan: names', () => {
  it('prefixes every namespace with the run id, so a sweep of the run finds them all', () => {
    const p = plan(3);
    const names = namespaces(p);
    expect(names).toHaveLength(2 + 3 * 2 + 2 * 3);
    for (const ns of names) expect(ns.startsWith(`${RUN}-`)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    expect(p.fabric).toBe(`${RUN}-fab`);
    expect(p.ext).toBe(`${RUN}-ext`);
    expect(p.routers[1]?.vmFloating).toBe(`${RUN}-vm2f`);
    expect(p.routers[1]?.vmSnat).toBe(`${RUN}-vm2s`);
  });

  it('gives each node its own namespace prefix under the run id', () => {
    const p = plan(1);
    expect(nodeA(p).nsPrefix).toBe(`${RUN}-a-`);
    expect(nodeB(p).nsPrefix).toBe(`${RUN}-b-`);
  });

  it('keeps two runs apart', () => {
    const other = labPlan('l3tffffff', '/tmp/l3ha-test-l3tffffff', 3, 'fast', BASE_PORT);
    const mine = new Set(namespaces(plan(3)));
    expect(namespaces(other).filter((n) => mine.has(n))).toEqual([]);
  });

  it('puts every file of a node under its own directory in the lab directory', () => {
    const p = plan(1);
    for (const n of p.nodes) {
      expect(n.dir).toBe(join(DIR, n.name));
      expect(n.config).toBe(join(DIR, n.name, 'agent.yaml'));
      expect(n.pidFile).toBe(join(DIR, n.name, 'agent.pid'));
      expect(n.logFile).toBe(join(DIR, n.name, 'agent.log'));
    }
    expect(p.tokenFile).toBe(join(DIR, 'peer.token'));
  });

  it('records the run id, directory, profile and base port it was built from', () => {
    const p = labPlan(RUN, DIR, 2, 'standard', 31000);
    expect(p).toMatchObject({ runId: RUN, dir: DIR, profile: 'standard', basePort: 31000 });
    expect(p.routers).toHaveLength(2);
  });
});

describe('labPlan: nodes', () => {
  it('makes node a index 1 and node b index 2', () => {
    const p = plan(1);
    expect(p.nodes.map((n) => [n.name, n.index])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('puts the peer links on the base port and the next, and metrics on the two after', () => {
    const p = plan(1);
    expect(nodeA(p).peerListen).toBe(`127.0.0.1:${BASE_PORT}`);
    expect(nodeB(p).peerListen).toBe(`127.0.0.1:${BASE_PORT + 1}`);
    expect(nodeA(p).metricsListen).toBe(`127.0.0.1:${BASE_PORT + 2}`);
    expect(nodeB(p).metricsListen).toBe(`127.0.0.1:${BASE_PORT + 3}`);
  });

  it('uses four distinct loopback ports, so labs on base ports four apart never collide', () => {
    const ports = (p: LabPlan) => p.nodes.flatMap((n) => [n.peerListen, n.metricsListen]);
    const p = plan(1);
    expect(new Set(ports(p)).size).toBe(4);
    for (const hp of ports(p)) expect(hp.startsWith('127.0.0.1:')).toBe(true);
    const next = labPlan('l3tffffff', '/tmp/x', 1, 'fast', BASE_PORT + 4);
    expect(ports(next).filter((x) => ports(p).includes(x))).toEqual([]);
  });
});

describe('labPlan: addresses', () => {
  it('gives router k its gateway, floating, fixed and SNAT VM addresses from k', () => {
    const p = plan(12);
    const r = p.routers[11] as LabRouter;
    expect(r).toEqual({
      k: 12,
      id: 'r12',
      gateway: '203.0.113.12',
      floating: '198.51.100.12',
      fixed: '10.12.0.5',
      snatVm: '10.12.0.6',
      internalGw: '10.12.0.1',
      vmFloating: `${RUN}-vm12f`,
      vmSnat: `${RUN}-vm12s`,
    });
    expect(p.routers.map((x) => x.k)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('uses only documentation and private addresses', () => {
    const p = plan(MAX_LAB_ROUTERS);
    const all = [EXT_GATEWAY, EXT_FLOAT_SIDE, ...p.routers.flatMap(routerAddresses)];
    expect(all.filter((a) => !allowed(a))).toEqual([]);
  });

  it('keeps every address valid and distinct at MAX_LAB_ROUTERS routers', () => {
    const p = plan(MAX_LAB_ROUTERS);
    expect(p.routers).toHaveLength(MAX_LAB_ROUTERS);
    const all = [EXT_GATEWAY, EXT_FLOAT_SIDE, ...p.routers.flatMap(routerAddresses)];
    expect(all.every(isIPv4)).toBe(true);
    expect(new Set(all).size).toBe(all.length);
    const last = p.routers.at(-1) as LabRouter;
    expect(last.gateway).toBe(`203.0.113.${MAX_LAB_ROUTERS}`);
    expect(last.fixed).toBe(`10.${MAX_LAB_ROUTERS}.0.5`);
  });

  it('puts the external gateway in every router gateway subnet and the fixed IPs in the internal one', () => {
    for (const r of plan(MAX_LAB_ROUTERS).routers) {
      expect(contains(parseCidr(`${r.gateway}/24`), EXT_GATEWAY)).toBe(true);
      const internal = parseCidr(`${r.internalGw}/24`);
      expect(contains(internal, r.fixed)).toBe(true);
      expect(contains(internal, r.snatVm)).toBe(true);
    }
  });
});

describe('agentConfigText', () => {
  it('passes the agent schema for both nodes', () => {
    const p = plan(2);
    expect(() => agentOf(p, 0)).not.toThrow();
    expect(() => agentOf(p, 1)).not.toThrow();
  });

  it('describes the node it was written for', () => {
    const p = plan(2, 'standard');
    const b = agentOf(p, 1);
    expect(b.node).toBe('b');
    expect(b.nodeIndex).toBe(2);
    expect(b.peers).toEqual([{ name: 'a', nodeIndex: 1 }]);
    expect(b.namespacePrefix).toBe(nodeB(p).nsPrefix);
    expect(b.routersDir).toBe(join(DIR, 'b', 'routers.d'));
    expect(b.stateDir).toBe(join(DIR, 'b', 'state'));
    expect(b.runDir).toBe(join(DIR, 'b', 'run'));
    expect(b.plumbing).toMatchObject({ mode: 'managed', bridgeNamespace: p.fabric });
    expect(b.defaultProfile).toBe('standard');
    expect(b.metrics?.listen).toBe(nodeB(p).metricsListen);
  });

  it('uses the profile the lab was built with', () => {
    expect(agentOf(plan(1, 'fast'), 0).defaultProfile).toBe('fast');
    expect(agentOf(plan(1, 'standard'), 0).defaultProfile).toBe('standard');
  });

  it("points each node's peer link at the other's listener, with one shared token file", () => {
    const p = plan(2);
    const a = agentOf(p, 0);
    const b = agentOf(p, 1);
    expect(a.peerLink).toMatchObject({ listen: nodeA(p).peerListen, peer: nodeB(p).peerListen });
    expect(b.peerLink).toMatchObject({ listen: nodeB(p).peerListen, peer: nodeA(p).peerListen });
    expect(a.peerLink?.tokenFile).toBe(p.tokenFile);
    expect(b.peerLink?.tokenFile).toBe(p.tokenFile);
  });

  it('is rejected by the schema when the plan holds a bad name, so the check has teeth', () => {
    const p = labPlan('bad run', DIR, 1, 'fast', BASE_PORT);
    expect(() => agentOf(p, 0)).toThrow();
  });
});

describe('routerSpecText', () => {
  it('passes the router schema and says what the plan says', () => {
    const r = plan(7).routers[6] as LabRouter;
    const spec = routerSchema.parse(parse(routerSpecText(r)));
    expect(spec).toMatchObject({
      id: 'r7',
      vrid: 7,
      gateway: { addresses: ['203.0.113.7/24'], defaultRoute: EXT_GATEWAY },
      internal: [{ name: 'n1', addresses: ['10.7.0.1/24'] }],
      floatingIps: [{ floating: '198.51.100.7', fixed: '10.7.0.5' }],
      snat: true,
    });
  });

  it('gives 50 routers that pass the cross-router checks on both nodes', () => {
    const p = plan(50);
    const e = entries(p);
    for (const i of [0, 1] as const) {
      const result = checkAcross(agentOf(p, i), e);
      expect(result.errors.map((x) => x.message)).toEqual([]);
      expect(result.accepted).toHaveLength(50);
    }
  });

  it('fits MAX_LAB_ROUTERS routers through the schema and the cross-router checks', () => {
    const p = plan(MAX_LAB_ROUTERS);
    const e = entries(p);
    for (const i of [0, 1] as const) {
      const result = checkAcross(agentOf(p, i), e);
      expect(result.errors.map((x) => x.message)).toEqual([]);
      expect(result.accepted).toHaveLength(MAX_LAB_ROUTERS);
    }
  });

  it('would be caught by the cross-router checks if two routers shared a vrid', () => {
    const p = plan(2);
    const [r1, r2] = p.routers as [LabRouter, LabRouter];
    const clash = { ...r2, k: r1.k };
    const e = [r1, clash].map((r) => ({
      file: `${r.id}.yaml`,
      spec: routerSchema.parse(parse(routerSpecText(r))),
    }));
    expect(checkAcross(agentOf(p, 0), e).errors.length).toBeGreaterThan(0);
  });
});
