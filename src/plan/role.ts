import type { DesiredRouter } from './desired.js';
import type { ObservedRouter } from './observed.js';

// The role this node really has for a router. The truth is kernel state, not a hook
// (lesson 3): the advertised VIP on the HA interface means MASTER.
export type Role = 'MASTER' | 'BACKUP' | 'DOWN' | 'ABSENT';

// True when the router's advertised VIP is on its HA interface here.
export function hasVip(d: Pick<DesiredRouter, 'vip'>, o: Pick<ObservedRouter, 'links'>): boolean {
  return o.links.some((l) => l.ifname === d.vip.dev && l.addrs.includes(d.vip.cidr));
}

export function observedRole(d: Pick<DesiredRouter, 'vip'>, o: ObservedRouter): Role {
  if (!o.nsExists) return 'ABSENT';
  if (hasVip(d, o)) return 'MASTER';
  return o.keepalived.alive ? 'BACKUP' : 'DOWN';
}
