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

// A router's slot on the pair's HA network: segment x 256 + vrid. VRIDs repeat across
// segments (each segment is its own bridge), slots never do. In segment 0 slot = vrid.
export const SEGMENT_SLOTS = 256;
export const haSlot = (r: { readonly vrid: number; readonly haSegment?: number }): number =>
  (r.haSegment ?? 0) * SEGMENT_SLOTS + r.vrid;

// Bridge-side veth ends share one namespace with every router of both nodes, so they
// carry the node index and the slot, which are unique within a pair.
export const haPeerIf = (nodeIndex: number, slot: number): string => `h${nodeIndex}-${slot}`;
export const gwPeerIf = (nodeIndex: number, slot: number): string => `g${nodeIndex}-${slot}`;
export const internalPeerIf = (nodeIndex: number, slot: number, port: string): string =>
  `i${nodeIndex}-${slot}-${port}`;

// Segment 0 uses plumbing.haBridge; segment s uses the same name with s appended.
export const haBridgeOf = (base: string, segment: number): string =>
  segment === 0 ? base : `${base}${segment}`;

export const namespaceOf = (agent: Pick<AgentConfig, 'namespacePrefix'>, id: string): string =>
  `${agent.namespacePrefix}${id}`;

// Each router owns a block of 8 addresses in haNetwork at its slot: offset 0 is the
// advertised VIP, offset n is node n's address. Segment 0 needs 256 x 8 = 2048 addresses
// (/21); each further segment needs 2048 more (a /18 holds 8 segments).
export const HA_BLOCK = 8;
export const HA_MIN_SIZE = 256 * HA_BLOCK;

export function haAddress(haNetwork: string, slot: number, nodeIndex: number): string {
  return offsetInto(parseCidr(haNetwork), slot * HA_BLOCK + nodeIndex);
}

// The node's HA address with haNetwork's prefix, as it is configured on the ha interface.
export function haInterfaceCidr(haNetwork: string, slot: number, nodeIndex: number): string {
  return `${haAddress(haNetwork, slot, nodeIndex)}/${parseCidr(haNetwork).prefix}`;
}

// The one constant advertised VIP of a router (lesson 2): identical on both nodes, forever.
export function haVip(haNetwork: string, slot: number): string {
  return haAddress(haNetwork, slot, 0);
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
  const slot = haSlot(router);
  const mac = (inside: string) => macOf(agent.node, router.id, inside);
  const ports: DerivedPort[] = [
    {
      kind: 'ha',
      field: 'vrid',
      inside: HA_IF,
      peer: haPeerIf(n, slot),
      bridge: haBridgeOf(agent.plumbing.haBridge, router.haSegment),
      mac: mac(HA_IF),
      addresses: [haInterfaceCidr(agent.haNetwork, slot, n)],
    },
  ];
  if (router.gateway) {
    ports.push({
      kind: 'gateway',
      field: 'gateway',
      inside: GW_IF,
      peer: gwPeerIf(n, slot),
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
      peer: internalPeerIf(n, slot, p.name),
      bridge: p.bridge ?? agent.plumbing.internalBridge,
      mac: mac(internalIf(p.name)),
      addresses: p.addresses,
    });
  });
  return ports;
}
