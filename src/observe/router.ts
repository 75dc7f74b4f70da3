import type { RouterPaths } from '../config/paths.js';
import type { ObservedRouter } from '../plan/observed.js';
import { NAT_TABLE } from '../render/nft.js';
import { inodeOf, readText } from '../system/files.js';
import { cmdline, isAlive, readPidFile } from '../system/process.js';
import { type CommandRunner, inNamespace } from '../system/runner.js';
import type { KernelReading, KernelViews } from './kernel-views.js';
import { parseIpAddr } from './links.js';

// Reads what is really on this node for one router: a few file reads, and two commands
// unless the kernel views hold a reading still trusted.

// True when pid is a keepalived started on this router's config (guards against pid reuse).
export function isOurKeepalived(pid: number | undefined, conf: string): boolean {
  if (pid === undefined || !isAlive(pid)) return false;
  const argv = cmdline(pid);
  return argv?.some((a) => a.endsWith('keepalived')) === true && argv.includes(conf);
}

export async function observeRouter(
  runner: CommandRunner,
  ns: string,
  paths: RouterPaths,
  o: { readonly watched?: (ns: string) => boolean; readonly views?: KernelViews | undefined } = {},
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
    : (views?.get(ns, inode) ?? (await readKernel(runner, ns, views, inode)));
  const pid = readPidFile(paths.pid);
  const vrrpPid = readPidFile(paths.vrrpPid);
  const [loaded, confOnDisk, natOnDisk] = await Promise.all([
    readText(paths.loaded),
    readText(paths.keepalivedConf),
    readText(paths.natNft),
  ]);
  return {
    nsExists,
    watched,
    links: kernel.links,
    keepalived: {
      pid,
      alive: isOurKeepalived(pid, paths.keepalivedConf),
      vrrpPid,
      vrrpAlive: isOurKeepalived(vrrpPid, paths.keepalivedConf),
    },
    loadedHash: loaded?.trim() || undefined,
    confOnDisk,
    natOnDisk,
    natKernel: kernel.natKernel,
  };
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
