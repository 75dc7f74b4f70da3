import { parseCidr, subnetOf } from '../config/addresses.js';
import { GW_IF } from '../config/derive.js';
import type { RouterSpec } from '../config/schema-router.js';
import { template } from './templates.js';

// The NAT ruleset of one router: its own table, replaced atomically. Pure.

export const NAT_TABLE = 'l3ha';

// The internal subnets SNAT covers, once each, in spec order.
export function snatSubnets(router: RouterSpec): string[] {
  if (!router.snat) return [];
  const out: string[] = [];
  for (const p of router.internal) {
    for (const a of p.addresses) {
      const s = subnetOf(parseCidr(a));
      if (!out.includes(s)) out.push(s);
    }
  }
  return out;
}

export function renderNft(router: RouterSpec): string {
  const first = router.gateway?.addresses[0];
  return template('nat.nft.hbs')({
    id: router.id,
    table: NAT_TABLE,
    gwIf: GW_IF,
    floating: router.floatingIps,
    snatSubnets: first ? snatSubnets(router) : [],
    snatTo: first ? parseCidr(first).address : '',
  });
}
