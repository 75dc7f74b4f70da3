import type { L3haError } from '../errors.js';
import { type Cidr, contains, fromInt, networkOf, overlaps, parseCidr, sizeOf, toInt } from './addresses.js';
import { HA_BLOCK, haAddress, haSlot } from './derive.js';
import { reporter } from './issues.js';
import type { AgentConfig } from './schema-agent.js';
import type { RouterSpec } from './schema-router.js';

// Address rules of one router that keep its addresses off ranges the node itself needs:
// reserved blocks, the pair's HA network, the router's own HA addresses, the network and
// broadcast addresses of its gateway subnet. Pure.

// Blocks no router address or subnet may touch (RFC 6890). 169.254.0.0/16 is the
// link-local block the default haNetwork is carved from.
export const RESERVED: readonly string[] = [
  '0.0.0.0/8',
  '127.0.0.0/8',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '169.254.0.0/16',
];
const RESERVED_CIDRS = RESERVED.map(parseCidr);
const DEFAULT_ROUTE = '0.0.0.0/0';

// Why a router subnet (or a /32 address) may not be used, or undefined when it may.
function reservedWhy(c: Cidr, ha: Cidr, haNetwork: string): string | undefined {
  if (c.prefix === 0) return 'prefix 0 is a default route, not an interface address';
  if (overlaps(c, ha)) return `overlaps the HA network ${haNetwork}`;
  const block = RESERVED_CIDRS.find((r) => overlaps(c, r));
  return block ? `lies in the reserved block ${block.address}/${block.prefix}` : undefined;
}

export function checkAddresses(agent: AgentConfig, file: string, spec: RouterSpec): L3haError[] {
  const errors: L3haError[] = [];
  const err = reporter(file, errors);
  const ha = parseCidr(agent.haNetwork);

  const subnets: [string, string][] = [
    ...(spec.gateway?.addresses ?? []).map((a, i) => [a, `gateway.addresses[${i}]`] as [string, string]),
    ...spec.internal.flatMap((p, i) =>
      p.addresses.map((a, j) => [a, `internal[${i}].addresses[${j}]`] as [string, string]),
    ),
  ];
  for (const [a, field] of subnets) {
    const why = reservedWhy(parseCidr(a), ha, agent.haNetwork);
    if (why) err('L3HA_RESERVED_ADDRESS', `router subnet ${why}`, field, a);
  }

  // The router's own HA addresses: the advertised VIP (offset 0) and every node's.
  const slot = haSlot(spec);
  const haOwn = new Set(Array.from({ length: HA_BLOCK }, (_, n) => haAddress(agent.haNetwork, slot, n)));
  const vip = haAddress(agent.haNetwork, slot, 0);
  const ifaceAddrs = new Set(subnets.map(([a]) => parseCidr(a).address));
  const gwCidrs = (spec.gateway?.addresses ?? []).map(parseCidr);
  const inCidrs = spec.internal.flatMap((p) => p.addresses.map(parseCidr));
  spec.floatingIps.forEach((f, i) => {
    const field = `floatingIps[${i}].floating`;
    const ip = f.floating;
    if (haOwn.has(ip)) {
      const what = ip === vip ? "the router's advertised HA VIP" : "one of the router's HA addresses";
      err('L3HA_ADDRESS_CONFLICT', `floating IP is ${what}`, field, ip);
      return;
    }
    const why = reservedWhy({ address: ip, prefix: 32 }, ha, agent.haNetwork);
    if (why) err('L3HA_RESERVED_ADDRESS', `floating IP ${why}`, field, ip);
    // Equal to an interface address: checkAcross says so; here only what it does not.
    if (ifaceAddrs.has(ip)) return;
    for (const c of gwCidrs) {
      if (c.prefix > 30 || !contains(c, ip)) continue;
      const net = networkOf(c);
      const bcast = fromInt((toInt(net) + sizeOf(c.prefix) - 1) >>> 0);
      if (ip === net || ip === bcast) {
        const what = ip === net ? 'network' : 'broadcast';
        err('L3HA_ADDRESS_CONFLICT', `floating IP is the ${what} address of ${net}/${c.prefix}`, field, ip);
      }
    }
    const inside = inCidrs.find((c) => contains(c, ip));
    if (inside) {
      err(
        'L3HA_ADDRESS_CONFLICT',
        `floating IP lies in the internal subnet ${networkOf(inside)}/${inside.prefix}`,
        field,
        ip,
      );
    }
  });

  const seenRoute = new Map<string, string>();
  if (spec.gateway?.defaultRoute) seenRoute.set(DEFAULT_ROUTE, 'gateway.defaultRoute');
  spec.routes.forEach((r, i) => {
    const field = `routes[${i}].to`;
    const prev = seenRoute.get(r.to);
    if (prev) {
      const what = r.to === DEFAULT_ROUTE ? 'a second default route' : 'a second route to this destination';
      err('L3HA_DUPLICATE_ROUTE', `${what}: ${prev} is one already`, field, r.to);
    } else seenRoute.set(r.to, field);
    // A route inside haNetwork would carry VRRP to the peer out of the wrong port.
    const to = parseCidr(r.to);
    if (to.prefix >= ha.prefix && contains(ha, to.address))
      err(
        'L3HA_RESERVED_ADDRESS',
        `route destination lies in the HA network ${agent.haNetwork}`,
        field,
        r.to,
      );
  });
  return errors;
}
