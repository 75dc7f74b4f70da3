import { createHash } from 'node:crypto';
import {
  type DerivedPort,
  GW_IF,
  HA_IF,
  haSlot,
  haVip,
  namespaceOf,
  portsOf,
  profileOf,
} from '../config/derive.js';
import { type RouterPaths, routerPaths } from '../config/paths.js';
import type { AgentConfig } from '../config/schema-agent.js';
import type { RouterSpec } from '../config/schema-router.js';
import { renderRouter } from '../render/router.js';
import type { AddrOnDev, DevMac, FloatingFlow } from './actions.js';

// What one router should look like on this node, computed from config alone. Pure.

export interface DesiredRouter {
  readonly id: string;
  readonly ns: string;
  readonly managed: boolean;
  readonly bridgeNs: string;
  readonly ports: readonly DerivedPort[];
  readonly paths: RouterPaths;
  readonly keepalivedConf: string;
  readonly natNft: string;
  readonly confHash: string;
  readonly natHash: string;
  // Addresses keepalived adds on MASTER and must be gone on any other role.
  readonly vrrpAddrs: readonly AddrOnDev[];
  readonly vip: AddrOnDev;
  // Minimum spacing between SIGHUPs (lesson 5: 1.5 x advert interval).
  readonly reloadSpacingMs: number;
  readonly advertMs: number;
  // Router addresses announced by follow-up GARPs: every VRRP address but the HA VIP.
  readonly garpAddrs: readonly AddrOnDev[];
  // The devices those addresses are on, with their MACs: one burst resets each MAC.
  readonly garpDevs: readonly DevMac[];
  // Follow-up GARP offsets from the MASTER observation (ms).
  readonly garpFollowUpsMs: readonly number[];
  // How long a new MASTER must hold before its replay: long enough to ride out a flap,
  // short enough that the replay follows promptly (2 x advert, 100 ms..1 s).
  readonly replayDebounceMs: number;
  readonly flows: readonly FloatingFlow[];
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function desiredRouter(
  agent: AgentConfig,
  spec: RouterSpec,
  notify: readonly string[],
): DesiredRouter {
  const rendered = renderRouter(agent, spec, notify);
  const ports = portsOf(agent, spec);
  const vip = { dev: HA_IF, cidr: `${haVip(agent.haNetwork, haSlot(spec))}/32` };
  const vrrpAddrs: AddrOnDev[] = [vip];
  for (const p of ports)
    if (p.kind !== 'ha') for (const cidr of p.addresses) vrrpAddrs.push({ dev: p.inside, cidr });
  for (const f of spec.floatingIps) vrrpAddrs.push({ dev: GW_IF, cidr: `${f.floating}/32` });
  const garpAddrs = vrrpAddrs.filter((a) => a.dev !== HA_IF);
  const profile = profileOf(agent, spec);
  const advertMs = Math.round(profile.advertInt * 1000);
  return {
    id: spec.id,
    ns: namespaceOf(agent, spec.id),
    managed: agent.plumbing.mode === 'managed',
    bridgeNs: agent.plumbing.bridgeNamespace,
    ports,
    paths: routerPaths(agent, spec.id),
    keepalivedConf: rendered.keepalivedConf,
    natNft: rendered.natNft,
    confHash: sha256(rendered.keepalivedConf),
    natHash: sha256(rendered.natNft),
    vrrpAddrs,
    vip,
    reloadSpacingMs: Math.ceil(advertMs * 1.5),
    advertMs,
    garpAddrs,
    garpDevs: ports
      .filter((p) => garpAddrs.some((a) => a.dev === p.inside))
      .map((p) => ({ dev: p.inside, mac: p.mac })),
    garpFollowUpsMs: profile.garp.followUps.map((s) => Math.round(s * 1000)),
    replayDebounceMs: Math.min(1000, Math.max(100, 2 * advertMs)),
    flows: spec.floatingIps.map((f) => ({ floating: f.floating, fixed: f.fixed })),
  };
}

// The derived router (rendered keepalived.conf and nft text, their hashes) for one parsed
// spec. The desired set keeps the same spec object while its file is unchanged, so a
// resync or a GARP wake does not render the templates again.
const derived = new WeakMap<object, { agent: AgentConfig; notify: readonly string[]; d: DesiredRouter }>();
export function desiredOf(agent: AgentConfig, spec: RouterSpec, notify: readonly string[]): DesiredRouter {
  const hit = derived.get(spec);
  if (hit && hit.agent === agent && hit.notify === notify) return hit.d;
  const d = desiredRouter(agent, spec, notify);
  derived.set(spec, { agent, notify, d });
  return d;
}
