import { createHash } from 'node:crypto';
import { offsetInto, parseCidr } from './addresses.js';
import type { AgentConfig, Profile } from './schema-agent.js';
import type { RouterSpec } from './schema-router.js';

// Names and addresses that derive deterministically from the config. Both nodes of a
// pair compute the same values, so neither needs to tell the other.

export const IFNAME_MAX = 15;
// Inside the router namespace the names are fixed; the namespace keeps routers apart.
export const HA_IF = 'ha';
export const GW_IF = 'gw';
export const internalIf = (port: string): string => `qr-${port}`;

// Bridge-side veth ends share one namespace with every router of both nodes, so they
// carry the node index and the vrid, which are unique within a pair's HA segment.
export const haPeerIf = (nodeIndex: number, vrid: number): string => `h${nodeIndex}-${vrid}`;
export const gwPeerIf = (nodeIndex: number, vrid: number): string => `g${nodeIndex}-${vrid}`;
export const internalPeerIf = (nodeIndex: number, vrid: number, port: string): string =>
  `i${nodeIndex}-${vrid}-${port}`;

export const namespaceOf = (agent: Pick<AgentConfig, 'namespacePrefix'>, id: string): string =>
  `${agent.namespacePrefix}${id}`;

// Each router owns a block of 8 addresses in haNetwork: slot 0 is the advertised VIP,
// slot n is node n's address. 255 vrids x 8 = 2048 addresses, so haNetwork is /21 or wider.
export const HA_BLOCK = 8;
export const HA_MIN_SIZE = 256 * HA_BLOCK;

export function haAddress(haNetwork: string, vrid: number, nodeIndex: number): string {
  return offsetInto(parseCidr(haNetwork), vrid * HA_BLOCK + nodeIndex);
}

// The node's HA address with haNetwork's prefix, as it is configured on the ha interface.
export function haInterfaceCidr(haNetwork: string, vrid: number, nodeIndex: number): string {
  return `${haAddress(haNetwork, vrid, nodeIndex)}/${parseCidr(haNetwork).prefix}`;
}

// The one constant advertised VIP of a router (lesson 2): identical on both nodes, forever.
export function haVip(haNetwork: string, vrid: number): string {
  return haAddress(haNetwork, vrid, 0);
}

export function profileNameOf(agent: Pick<AgentConfig, 'defaultProfile'>, router: RouterSpec): string {
  return router.profile ?? agent.defaultProfile;
}

export function profileOf(agent: AgentConfig, router: RouterSpec): Profile {
  const name = profileNameOf(agent, router);
  const profile = agent.profiles[name];
  if (!profile) throw new Error(`profile ${name} missing after validation`);
  return profile;
}

// A stable, locally administered MAC for a router port on a node. A port that is
// re-created (after a reboot, or by a new agent) keeps its MAC, so the peer's neighbour
// cache stays right: with a random MAC the peer sends unicast adverts to the old one for
// up to a minute, the rebuilt node hears nothing, turns MASTER and takes traffic back.
export function macOf(node: string, routerId: string, inside: string): string {
  const h = createHash('sha256').update(`${node}|${routerId}|${inside}`).digest();
  const bytes = [0x02, ...h.subarray(0, 5)];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export interface DerivedPort {
  readonly kind: 'ha' | 'gateway' | 'internal';
  readonly field: string;
  readonly inside: string;
  readonly peer: string;
  readonly bridge: string;
  readonly mac: string;
  readonly addresses: readonly string[];
}

// Every veth of a router on this node, in a stable order: ha, gateway, internal ports.
export function portsOf(agent: AgentConfig, router: RouterSpec): DerivedPort[] {
  const n = agent.nodeIndex;
  const mac = (inside: string) => macOf(agent.node, router.id, inside);
  const ports: DerivedPort[] = [
    {
      kind: 'ha',
      field: 'vrid',
      inside: HA_IF,
      peer: haPeerIf(n, router.vrid),
      bridge: agent.plumbing.haBridge,
      mac: mac(HA_IF),
      addresses: [haInterfaceCidr(agent.haNetwork, router.vrid, n)],
    },
  ];
  if (router.gateway) {
    ports.push({
      kind: 'gateway',
      field: 'gateway',
      inside: GW_IF,
      peer: gwPeerIf(n, router.vrid),
      bridge: router.gateway.bridge ?? agent.plumbing.externalBridge,
      mac: mac(GW_IF),
      addresses: router.gateway.addresses,
    });
  }
  router.internal.forEach((p, i) => {
    ports.push({
      kind: 'internal',
      field: `internal[${i}].name`,
      inside: internalIf(p.name),
      peer: internalPeerIf(n, router.vrid, p.name),
      bridge: p.bridge ?? agent.plumbing.internalBridge,
      mac: mac(internalIf(p.name)),
      addresses: p.addresses,
    });
  });
  return ports;
}
