import { contains, parseCidr } from '../config/addresses.js';
import {
  GW_IF,
  HA_IF,
  haAddress,
  haSlot,
  haVip,
  internalIf,
  portsOf,
  profileNameOf,
} from '../config/derive.js';
import { instanceName } from '../config/instance.js';
import type { AgentConfig, Profile } from '../config/schema-agent.js';
import type { RouterSpec } from '../config/schema-router.js';
import { template } from './templates.js';

// keepalived.conf for one router on one node. Pure: same input, same bytes.

// Every node of the pair advertises at this one priority; with nopreempt the current
// master keeps the role until it fails or is stopped.
export const PRIORITY = 100;

// Hooks are hints (lesson 3), so they run at the lowest CPU priority: when a node takes
// over 100 routers at once, 100 hook processes must not starve the keepalived processes
// that are bringing addresses up and sending GARPs. `nice` execs the hook; no shell.
export const HOOK_NICE = ['/usr/bin/nice', '-n', '19'];

export interface RenderInput {
  readonly agent: AgentConfig;
  readonly router: RouterSpec;
  readonly profile: Profile;
  // The notify hook's argv prefix (absolute paths); keepalived appends INSTANCE name STATE prio.
  readonly notify: readonly string[];
}

// The advert interval as keepalived reads it: no float noise (0.1, not 0.1000000001).
export function formatAdvert(seconds: number): string {
  return String(Math.round(seconds * 100) / 100);
}

export function renderKeepalived(input: RenderInput): string {
  const { agent, router, profile } = input;
  const ports = portsOf(agent, router);
  const excluded = ports
    .filter((p) => p.kind !== 'ha')
    .flatMap((p) => p.addresses.map((cidr) => ({ cidr, dev: p.inside })));
  for (const f of router.floatingIps) excluded.push({ cidr: `${f.floating}/32`, dev: GW_IF });

  const routes: { to: string; via: string; dev: string }[] = [];
  if (router.gateway?.defaultRoute)
    routes.push({ to: '0.0.0.0/0', via: router.gateway.defaultRoute, dev: GW_IF });
  for (const r of router.routes) routes.push({ to: r.to, via: r.via, dev: deviceFor(router, r.via) });

  return template('keepalived.conf.hbs')({
    id: router.id,
    node: agent.node,
    profileName: profileNameOf(agent, router),
    version: profile.version,
    advertInt: formatAdvert(profile.advertInt),
    transport: agent.vrrp.transport,
    unicast: agent.vrrp.transport === 'unicast',
    instance: instanceName(router.id),
    priority: PRIORITY,
    haIf: HA_IF,
    vrid: router.vrid,
    haSelf: haAddress(agent.haNetwork, haSlot(router), agent.nodeIndex),
    haPeers: agent.peers.map((p) => haAddress(agent.haNetwork, haSlot(router), p.nodeIndex)),
    haVip: haVip(agent.haNetwork, haSlot(router)),
    garp: profile.garp,
    // Two adverts of the peer, at least 0.5 s (lesson 33).
    startupDelay: String(Math.round(Math.max(0.5, 2 * profile.advertInt) * 100) / 100),
    excluded,
    routes,
    notify: [
      ...HOOK_NICE,
      ...input.notify,
      'notify',
      '--state-dir',
      agent.stateDir,
      '--run-dir',
      agent.runDir,
    ].join(' '),
  });
}

// The interface whose connected subnet holds a next hop (validated to exist).
function deviceFor(router: RouterSpec, via: string): string {
  for (const a of router.gateway?.addresses ?? []) if (contains(parseCidr(a), via)) return GW_IF;
  for (const p of router.internal)
    for (const a of p.addresses) if (contains(parseCidr(a), via)) return internalIf(p.name);
  return GW_IF;
}
