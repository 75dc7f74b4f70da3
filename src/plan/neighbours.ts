import type { RouterSpec } from '../config/schema-router.js';

// How many neighbour (ARP) entries a node's routers need, against the kernel's limit. The
// limit, net.ipv4.neigh.default.gc_thresh3 (1,024 by default), is one table for every
// namespace of the machine: past it the kernel makes no new entry, and routers whose
// entries are gone stop answering (at 250 lab routers, lesson 34). Pure.

// Per router: the peer's HA address and the external next hop, plus one VM per floating IP.
export function neighboursNeeded(routers: readonly Pick<RouterSpec, 'floatingIps'>[]): number {
  return routers.reduce((sum, r) => sum + 2 + r.floatingIps.length, 0);
}

// A warning when the routers need more than half the table (the rest is for everything
// else on the machine, and entries above gc_thresh2 are collected after 5 s); else undefined.
export function neighbourWarning(needed: number, gcThresh3: number | undefined): string | undefined {
  if (gcThresh3 === undefined || needed * 2 <= gcThresh3) return undefined;
  return `the routers need about ${needed} neighbour entries, and net.ipv4.neigh.default.gc_thresh3 is ${gcThresh3} for every namespace of this machine: raise gc_thresh1/2/3 to at least ${needed}/${needed * 2}/${needed * 4}, or routers stop answering when the table fills`;
}
