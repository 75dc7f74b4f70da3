import type { RouterPaths } from '../config/paths.js';
import type { ObservedRouter } from '../plan/observed.js';
import { NAT_TABLE } from '../render/nft.js';
import { exists, readText } from '../system/files.js';
import { cmdline, isAlive, readPidFile } from '../system/process.js';
import { type CommandRunner, inNamespace } from '../system/runner.js';
import { parseIpAddr } from './links.js';

// Reads what is really on this node for one router: two commands and a few file reads.

export const namespaceExists = (ns: string): boolean => exists(`/run/netns/${ns}`);

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
  watched: (ns: string) => boolean = () => true,
): Promise<ObservedRouter> {
  const nsExists = namespaceExists(ns);
  const [addrJson, natKernel] = nsExists
    ? await Promise.all([
        runner.run('ip', ['-j', '-n', ns, 'addr', 'show']).then((r) => r.stdout),
        inNamespace(runner, ns, 'nft', ['list', 'table', 'ip', NAT_TABLE], { check: false }).then((r) =>
          r.exitCode === 0 ? r.stdout : undefined,
        ),
      ])
    : ['', undefined];
  const pid = readPidFile(paths.pid);
  const vrrpPid = readPidFile(paths.vrrpPid);
  const [loaded, confOnDisk, natOnDisk] = await Promise.all([
    readText(paths.loaded),
    readText(paths.keepalivedConf),
    readText(paths.natNft),
  ]);
  return {
    nsExists,
    watched: nsExists && watched(ns),
    links: parseIpAddr(addrJson),
    keepalived: {
      pid,
      alive: isOurKeepalived(pid, paths.keepalivedConf),
      vrrpPid,
      vrrpAlive: isOurKeepalived(vrrpPid, paths.keepalivedConf),
    },
    loadedHash: loaded?.trim() || undefined,
    confOnDisk,
    natOnDisk,
    natKernel,
  };
}
