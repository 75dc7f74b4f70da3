import { NAT_TABLE } from '../render/nft.js';
import { inodeOf, listDir } from '../system/files.js';
import type { CommandRunner } from '../system/runner.js';
import { splitAllNetns } from './all-netns.js';
import type { KernelViews, ReadToken } from './kernel-views.js';
import { parseIpAddr } from './links.js';

// Every router namespace's links and NAT table in two processes, instead of two per
// router (lesson 40): `ip -all netns exec` forks from ip, a small process, and not from the
// agent. It visits every namespace of the node, not only the routers', so it pays only when
// the routers are a fair share of them (worthSweeping). Readings go into the views under
// the same rules as a router's own read: taken only if nothing invalidated the namespace
// while the sweep ran.

const NETNS_DIR = '/run/netns';
// Looks that wait for a sweep wait at most this long (then the sweep has failed).
const SWEEP_TIMEOUT_MS = 60_000;

// One sweep costs about a third of the per-router reads per namespace it visits.
export function worthSweeping(routerNamespaces: number, allNamespaces: number, min = 8): boolean {
  return routerNamespaces >= min && routerNamespaces * 3 >= allNamespaces;
}

export interface SweepResult {
  readonly namespaces: number;
  readonly kept: number;
}

export async function sweepKernel(
  runner: CommandRunner,
  views: KernelViews,
  prefix: string,
): Promise<SweepResult> {
  const names = listDir(NETNS_DIR);
  const tokens = new Map<string, ReadToken>();
  for (const ns of names) {
    if (!ns.startsWith(prefix)) continue;
    const inode = inodeOf(`${NETNS_DIR}/${ns}`);
    if (inode !== 0) tokens.set(ns, views.begin(ns, inode));
  }
  if (tokens.size === 0) return { namespaces: names.length, kept: 0 };
  const done = readAll(runner).then((r) => keep(views, tokens, r));
  views.track(done, tokens);
  return { namespaces: names.length, kept: await done };
}

async function readAll(runner: CommandRunner): Promise<Map<string, string>[]> {
  const all = (args: string[]) =>
    runner
      .run('ip', ['-all', 'netns', 'exec', ...args], { check: false, timeoutMs: SWEEP_TIMEOUT_MS })
      .then((r) => splitAllNetns(r.stdout));
  return Promise.all([all(['ip', '-j', 'addr', 'show']), all(['nft', 'list', 'table', 'ip', NAT_TABLE])]);
}

function keep(
  views: KernelViews,
  tokens: ReadonlyMap<string, ReadToken>,
  [addrs, nats]: Map<string, string>[],
): number {
  let kept = 0;
  for (const [ns, token] of tokens) {
    const addr = addrs?.get(ns);
    const nat = nats?.get(ns);
    // A namespace ip did not visit, or whose address listing is missing or cut: no reading.
    if (addr === undefined || nat === undefined || !addr.startsWith('[')) continue;
    let links: ReturnType<typeof parseIpAddr>;
    try {
      links = parseIpAddr(addr);
    } catch {
      continue;
    }
    if (!links.some((l) => l.ifname === 'lo')) continue;
    // nft prints the table or nothing (the table is not there).
    if (views.put(token, { links, natKernel: nat === '' ? undefined : nat })) kept++;
  }
  return kept;
}
