import type { L3haError } from '../errors.js';
import { contains, parseCidr, sizeOf, subnetOf } from './addresses.js';
import { checkAddresses } from './check-addresses.js';
import { HA_BLOCK, haSlot, IFNAME_MAX, portsOf, profileNameOf } from './derive.js';
import { reporter } from './issues.js';
import type { AgentConfig } from './schema-agent.js';
import type { RouterSpec } from './schema-router.js';

// Checks that need more than one field, or more than one router. Pure.

export interface RouterEntry {
  readonly file: string;
  readonly spec: RouterSpec;
}

export function checkRouter(agent: AgentConfig, entry: RouterEntry): L3haError[] {
  const { file, spec } = entry;
  const errors: L3haError[] = [];
  const err = reporter(file, errors);

  const ha = parseCidr(agent.haNetwork);
  if ((haSlot(spec) + 1) * HA_BLOCK > sizeOf(ha.prefix)) {
    err(
      'L3HA_HA_NETWORK_TOO_SMALL',
      `haNetwork ${agent.haNetwork} has no room for this segment`,
      'haSegment',
      spec.haSegment,
    );
  }

  const profile = profileNameOf(agent, spec);
  if (!agent.profiles[profile])
    err('L3HA_UNKNOWN_PROFILE', 'no such profile in the agent config', 'profile', profile);

  const names = new Set<string>();
  spec.internal.forEach((p, i) => {
    if (names.has(p.name))
      err('L3HA_DUPLICATE_NAME', 'internal port name used twice', `internal[${i}].name`, p.name);
    names.add(p.name);
  });

  for (const port of portsOf(agent, spec)) {
    for (const name of [port.inside, port.peer]) {
      if (name.length > IFNAME_MAX) {
        err(
          'L3HA_IFNAME_TOO_LONG',
          `derived interface name ${name} is longer than ${IFNAME_MAX}`,
          port.field,
          name,
        );
      }
    }
  }

  if (!spec.gateway) {
    if (spec.floatingIps.length > 0)
      err('L3HA_MISSING_FIELD', 'floating IPs need a gateway', 'gateway', undefined);
    else if (spec.snat) err('L3HA_MISSING_FIELD', 'snat needs a gateway', 'gateway', undefined);
  }

  const gwCidrs = (spec.gateway?.addresses ?? []).map(parseCidr);
  const inCidrs = spec.internal.flatMap((p) => p.addresses.map(parseCidr));
  const seenAddr = new Map<string, string>();
  const noteAddr = (addr: string, field: string) => {
    const prev = seenAddr.get(addr);
    if (prev) err('L3HA_ADDRESS_CONFLICT', `address is already used at ${prev}`, field, addr);
    else seenAddr.set(addr, field);
  };
  for (const [i, a] of (spec.gateway?.addresses ?? []).entries())
    noteAddr(parseCidr(a).address, `gateway.addresses[${i}]`);
  for (const [i, p] of spec.internal.entries()) {
    for (const [j, a] of p.addresses.entries())
      noteAddr(parseCidr(a).address, `internal[${i}].addresses[${j}]`);
  }

  const fixedSeen = new Map<string, number>();
  spec.floatingIps.forEach((f, i) => {
    const prev = fixedSeen.get(f.fixed);
    if (prev !== undefined) {
      err(
        'L3HA_ADDRESS_CONFLICT',
        `fixed IP already maps to floatingIps[${prev}]`,
        `floatingIps[${i}].fixed`,
        f.fixed,
      );
    }
    fixedSeen.set(f.fixed, i);
    if (!inCidrs.some((c) => contains(c, f.fixed))) {
      err(
        'L3HA_FIXED_IP_OUTSIDE_SUBNET',
        `fixed IP is in none of ${inCidrs.map(subnetOf).join(', ') || 'no internal subnet'}`,
        `floatingIps[${i}].fixed`,
        f.fixed,
      );
    }
  });

  const gw = spec.gateway?.defaultRoute;
  if (gw && !gwCidrs.some((c) => contains(c, gw))) {
    err(
      'L3HA_NEXTHOP_UNREACHABLE',
      'default route next hop is in no gateway subnet',
      'gateway.defaultRoute',
      gw,
    );
  }
  const connected = [...gwCidrs, ...inCidrs];
  spec.routes.forEach((r, i) => {
    if (!connected.some((c) => contains(c, r.via))) {
      err('L3HA_NEXTHOP_UNREACHABLE', 'next hop is in no connected subnet', `routes[${i}].via`, r.via);
    }
  });
  errors.push(...checkAddresses(agent, file, spec));
  return errors;
}

// A router's own checks depend on the agent config and its frozen entry only, and an
// unchanged file keeps its entry (the parse cache): a resync of 30 routers of 4,096
// floating IPs spent 2.6 s checking them again.
const ownChecks = new WeakMap<AgentConfig, WeakMap<RouterEntry, readonly L3haError[]>>();

function checkRouterOnce(agent: AgentConfig, entry: RouterEntry): readonly L3haError[] {
  const byEntry = ownChecks.get(agent) ?? new WeakMap<RouterEntry, readonly L3haError[]>();
  ownChecks.set(agent, byEntry);
  const own = byEntry.get(entry) ?? checkRouter(agent, entry);
  byEntry.set(entry, own);
  return own;
}

export interface CrossResult {
  readonly accepted: RouterEntry[];
  readonly errors: L3haError[];
}

// Checks across routers. Entries come in priority order: on a conflict the later entry
// is rejected, so the agent passes its running routers first and they keep their state.
export function checkAcross(agent: AgentConfig, entries: readonly RouterEntry[]): CrossResult {
  const accepted: RouterEntry[] = [];
  const errors: L3haError[] = [];
  const ids = new Map<string, string>();
  const vrids = new Map<string, string>();
  const floating = new Map<string, string>();
  const ifaceAddrs = new Map<string, string>();
  // Gateway addresses by external bridge: one address is one router's on a segment.
  const gwAddrs = new Map<string, string>();

  for (const entry of entries) {
    const own = checkRouterOnce(agent, entry);
    const { file, spec } = entry;
    const local: L3haError[] = [...own];
    const add = reporter(file, local);

    const idOwner = ids.get(spec.id);
    if (idOwner) add('L3HA_DUPLICATE_ROUTER_ID', `router id is already defined in ${idOwner}`, 'id', spec.id);
    const vridKey = `${spec.haSegment}/${spec.vrid}`;
    const vridOwner = vrids.get(vridKey);
    if (vridOwner) {
      add(
        'L3HA_DUPLICATE_VRID',
        `vrid is already used on HA segment ${spec.haSegment} by ${vridOwner}`,
        'vrid',
        spec.vrid,
      );
    }

    const myIface = [
      ...(spec.gateway?.addresses ?? []).map(
        (a, i) => [parseCidr(a).address, `gateway.addresses[${i}]`] as const,
      ),
      ...spec.internal.flatMap((p, i) =>
        p.addresses.map((a, j) => [parseCidr(a).address, `internal[${i}].addresses[${j}]`] as const),
      ),
    ];
    const myIfaceSet = new Set(myIface.map(([a]) => a));
    const myFloating = new Set<string>();
    spec.floatingIps.forEach((f, i) => {
      const field = `floatingIps[${i}].floating`;
      const owner = floating.get(f.floating);
      if (owner || myFloating.has(f.floating)) {
        add(
          'L3HA_FLOATING_IP_REUSED',
          `floating IP is already used${owner ? ` by ${owner}` : ' in this router'}`,
          field,
          f.floating,
        );
      }
      myFloating.add(f.floating);
      const ifOwner = ifaceAddrs.get(f.floating);
      if (myIfaceSet.has(f.floating) || ifOwner) {
        add(
          'L3HA_ADDRESS_CONFLICT',
          `floating IP is also an interface address${ifOwner ? ` of ${ifOwner}` : ''}`,
          field,
          f.floating,
        );
      }
    });
    for (const [addr, field] of myIface) {
      const owner = floating.get(addr);
      if (owner) add('L3HA_ADDRESS_CONFLICT', `address is a floating IP of ${owner}`, field, addr);
    }
    const bridge = spec.gateway?.bridge ?? agent.plumbing.externalBridge;
    const myGw = (spec.gateway?.addresses ?? []).map((a) => `${bridge} ${parseCidr(a).address}`);
    myGw.forEach((key, i) => {
      const owner = gwAddrs.get(key);
      if (owner) {
        const addr = parseCidr(spec.gateway?.addresses[i] ?? '').address;
        add(
          'L3HA_ADDRESS_CONFLICT',
          `gateway address is already used on ${bridge} by ${owner}`,
          `gateway.addresses[${i}]`,
          addr,
        );
      }
    });

    if (local.length > 0) {
      errors.push(...local);
      continue;
    }
    const label = `${spec.id} (${file})`;
    ids.set(spec.id, label);
    vrids.set(vridKey, label);
    for (const f of myFloating) floating.set(f, label);
    for (const a of myIfaceSet) ifaceAddrs.set(a, label);
    for (const g of myGw) gwAddrs.set(g, label);
    accepted.push(entry);
  }
  return { accepted, errors };
}
