import type { DesiredRouter } from '../plan/desired.js';
import type { ObservedRouter } from '../plan/observed.js';

// The role this node really has for a router. The truth is kernel state, not a hook
// (lesson 3): the advertised VIP on the HA interface means MASTER.
export type Role = 'MASTER' | 'BACKUP' | 'DOWN' | 'ABSENT';

export function observedRole(d: Pick<DesiredRouter, 'vip'>, o: ObservedRouter): Role {
  if (!o.nsExists) return 'ABSENT';
  const hasVip = o.links.some((l) => l.ifname === d.vip.dev && l.addrs.includes(d.vip.cidr));
  if (hasVip) return 'MASTER';
  return o.keepalived.alive ? 'BACKUP' : 'DOWN';
}
