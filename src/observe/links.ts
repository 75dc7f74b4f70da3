import type { LinkState } from '../plan/observed.js';

// Parses `ip -j addr show` output into the facts l3ha needs. Pure.

interface IpAddrJson {
  ifname?: string;
  flags?: string[];
  operstate?: string;
  address?: string;
  master?: string;
  addr_info?: { family?: string; local?: string; prefixlen?: number }[];
}

export function parseIpAddr(json: string): LinkState[] {
  const text = json.trim();
  if (text === '') return [];
  const rows = JSON.parse(text) as IpAddrJson[];
  const out: LinkState[] = [];
  for (const r of rows) {
    if (!r.ifname) continue;
    out.push({
      ifname: r.ifname,
      up: (r.flags ?? []).includes('UP'),
      mac: r.address ?? '',
      master: r.master,
      addrs: (r.addr_info ?? [])
        .filter((a) => a.family === 'inet' && a.local !== undefined)
        .map((a) => `${a.local}/${a.prefixlen ?? 32}`),
    });
  }
  return out;
}

// `ip -j netns list` rows -> names.
export function parseNetnsList(json: string): string[] {
  const text = json.trim();
  if (text === '') return [];
  return (JSON.parse(text) as { name?: string }[]).map((r) => r.name ?? '').filter(Boolean);
}
