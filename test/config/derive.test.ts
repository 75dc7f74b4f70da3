import { describe, expect, it } from 'vitest';
import { haAddress, haVip, namespaceOf, portsOf } from '../../src/config/derive.js';
import { agent, router } from '../fixtures.js';

describe('derived names and addresses', () => {
  it('gives each node of a router its own HA address and both the same VIP', () => {
    expect(haAddress('169.254.192.0/18', 1, 1)).toBe('169.254.192.9');
    expect(haAddress('169.254.192.0/18', 1, 2)).toBe('169.254.192.10');
    expect(haVip('169.254.192.0/18', 1)).toBe('169.254.192.8');
    expect(haAddress('169.254.192.0/18', 255, 7)).toBe('169.254.199.255');
  });

  it('names bridge-side veth ends by node index and vrid so two nodes never collide', () => {
    const a = portsOf(agent(), router());
    const b = portsOf(agent({ node: 'b', nodeIndex: 2, peers: [{ name: 'a', nodeIndex: 1 }] }), router());
    expect(a.map((p) => p.peer)).toEqual(['h1-1', 'g1-1', 'i1-1-n1']);
    expect(b.map((p) => p.peer)).toEqual(['h2-1', 'g2-1', 'i2-1-n1']);
    expect(a.map((p) => p.inside)).toEqual(['ha', 'gw', 'qr-n1']);
    expect(a[0]?.addresses).toEqual(['169.254.192.9/18']);
  });

  it('gives every port a stable, locally administered unicast MAC, distinct per node and port', () => {
    const a = portsOf(agent(), router()).map((p) => p.mac);
    const again = portsOf(agent(), router()).map((p) => p.mac);
    const b = portsOf(agent({ node: 'b', nodeIndex: 2, peers: [{ name: 'a', nodeIndex: 1 }] }), router()).map(
      (p) => p.mac,
    );
    expect(a).toEqual(again);
    expect(new Set([...a, ...b]).size).toBe(6);
    for (const m of [...a, ...b]) {
      expect(m).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    }
  });

  it('gives a router on HA segment 1 its own slot, bridge and names, so VRIDs may repeat across segments', () => {
    const ports = portsOf(agent(), router({ haSegment: 1 }));
    expect(ports[0]).toMatchObject({ peer: 'h1-257', bridge: 'br-ha1', addresses: ['169.254.200.9/18'] });
    expect(ports.map((p) => p.peer)).toEqual(['h1-257', 'g1-257', 'i1-257-n1']);
    expect(haVip('169.254.192.0/18', 257)).toBe('169.254.200.8');
  });

  it('puts router r1 in namespace <prefix>r1', () => {
    expect(namespaceOf({ namespacePrefix: 'qrouter-' }, 'r1')).toBe('qrouter-r1');
  });
});
