import type { RouterPaths } from '../config/paths.js';
import type { ObservedRouter, ProcId } from '../plan/observed.js';
import { NAT_TABLE } from '../render/nft.js';
import { inodeOf, readText } from '../system/files.js';
import { binariesOf, judgeKeepalived, procFacts } from '../system/proc-identity.js';
import { readPidFile } from '../system/process.js';
import { type CommandRunner, inNamespace } from '../system/runner.js';
import type { KernelReading, KernelViews } from './kernel-views.js';
import { parseIpAddr } from './links.js';

// Reads what is really on this node for one router: a few file reads, and two commands
// unless the kernel views hold a reading still trusted.

// Whether the pid a pid file names is this router's keepalived (system/proc-identity): root,
// the configured binary, our config and, for a pid l3ha started or saw before, the start time
// it recorded. A pid first seen (an agent restart adopting keepalived, lesson 6, or a VRRP
// child keepalived respawned) is adopted on the rest, and its start time recorded from then.
export interface KeepalivedSeen {
  readonly alive: boolean;
  readonly start?: number | undefined;
  readonly refused?: string | undefined;
}

export function seeKeepalived(
  pid: number | undefined,
  want: { readonly binary: string; readonly conf: string; readonly recorded?: readonly ProcId[] | undefined },
): KeepalivedSeen {
  if (pid === undefined) return { alive: false };
  const start = want.recorded?.find((p) => p.pid === pid)?.start;
  const facts = procFacts(pid);
  const v = judgeKeepalived(facts, { binaries: binariesOf(want.binary), conf: want.conf, start });
  if (v.ours) return { alive: true, start: facts?.start };
  return v.gone ? { alive: false } : { alive: false, refused: `pid ${pid}: ${v.why}` };
}

const DEFAULT_BINARY = '/usr/sbin/keepalived';

export async function observeRouter(
  runner: CommandRunner,
  ns: string,
  paths: RouterPaths,
  o: {
    readonly watched?: (ns: string) => boolean;
    readonly views?: KernelViews | undefined;
    // The keepalived binary, and the processes the memory recorded (pid and start time).
    readonly binary?: string;
    readonly recorded?: readonly ProcId[] | undefined;
  } = {},
): Promise<ObservedRouter> {
  // The inode tells the namespace from a new one of the same name (0: there is none).
  const inode = inodeOf(`/run/netns/${ns}`);
  const nsExists = inode !== 0;
  const watched = nsExists && (o.watched?.(ns) ?? true);
  // Only a namespace the address watch reports on can be trusted between reads.
  const views = watched ? o.views : undefined;
  if (!nsExists) o.views?.invalidate(ns);
  const kernel: KernelReading = !nsExists
    ? { links: [], natKernel: undefined }
    : ((await trusted(views, ns, inode)) ?? (await readKernel(runner, ns, views, inode)));
  const pid = readPidFile(paths.pid);
  const vrrpPid = readPidFile(paths.vrrpPid);
  const [loaded, confOnDisk, natOnDisk] = await Promise.all([
    readText(paths.loaded),
    readText(paths.keepalivedConf),
    readText(paths.natNft),
  ]);
  const want = { binary: o.binary ?? DEFAULT_BINARY, conf: paths.keepalivedConf, recorded: o.recorded };
  const main = seeKeepalived(pid, want);
  const vrrp = seeKeepalived(vrrpPid, want);
  const refused = [main.refused, vrrp.refused].filter((r): r is string => r !== undefined);
  return {
    nsExists,
    watched,
    links: kernel.links,
    keepalived: {
      pid,
      alive: main.alive,
      vrrpPid,
      vrrpAlive: vrrp.alive,
      start: main.start,
      vrrpStart: vrrp.start,
      ...(refused.length > 0 ? { refused } : {}),
    },
    loadedHash: loaded?.trim() || undefined,
    confOnDisk,
    natOnDisk,
    natKernel: kernel.natKernel,
  };
}

// The reading the views trust, after the sweep in flight if there is one.
async function trusted(views: KernelViews | undefined, ns: string, inode: number) {
  const now = views?.get(ns, inode);
  const sweep = views?.swept(ns);
  if (now || !sweep) return now;
  await sweep;
  return views?.get(ns, inode);
}

// Two processes: the namespace's links and addresses, and its NAT table.
async function readKernel(
  runner: CommandRunner,
  ns: string,
  views: KernelViews | undefined,
  inode: number,
): Promise<KernelReading> {
  const token = views?.begin(ns, inode);
  const [addrJson, natKernel] = await Promise.all([
    runner.run('ip', ['-j', '-n', ns, 'addr', 'show']).then((r) => r.stdout),
    inNamespace(runner, ns, 'nft', ['list', 'table', 'ip', NAT_TABLE], { check: false }).then((r) =>
      r.exitCode === 0 ? r.stdout : undefined,
    ),
  ]);
  const reading = { links: parseIpAddr(addrJson), natKernel };
  if (views && token) views.put(token, reading);
  return reading;
}
