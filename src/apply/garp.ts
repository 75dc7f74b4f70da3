import type { DevMac } from '../plan/actions.js';
import { type CommandRunner, inNamespace } from '../system/runner.js';
import type { Semaphore } from './semaphore.js';

// At most this many GARP bursts (one `ip` each) at once, so a mass failover cannot
// fork-bomb the node.
export const GARP_CONCURRENCY = 32;

// With arp_notify on, the kernel answers a device's NETDEV_CHANGEADDR by sending a
// gratuitous ARP (a request with sender = target) for every IPv4 address on it. Setting a
// MAC to the value it already has raises that event and changes nothing else, so one
// `ip -batch` announces every address of the router, however many (lesson 39).
export const ARP_NOTIFY_SYSCTL = 'net.ipv4.conf.all.arp_notify=1';

// Namespaces this process has set arp_notify in. New namespaces get it with the router
// sysctls; one made by an older agent gets it before its first burst here.
const notifying = new Set<string>();

export function burstLines(devs: readonly DevMac[]): string {
  return devs.map((d) => `link set dev ${d.dev} address ${d.mac}\n`).join('');
}

// One burst: one process for the whole router. Returns the number of addresses announced.
export async function garpBurst(
  runner: CommandRunner,
  limit: Semaphore,
  ns: string,
  devs: readonly DevMac[],
  addresses: number,
): Promise<number> {
  if (devs.length === 0) return 0;
  await limit.run(async () => {
    if (!notifying.has(ns)) {
      await inNamespace(runner, ns, 'sysctl', ['-q', '-w', ARP_NOTIFY_SYSCTL]);
      notifying.add(ns);
    }
    await runner.run('ip', ['-n', ns, '-force', '-batch', '-'], { input: burstLines(devs) });
  });
  return addresses;
}

// The namespace was made with the router sysctls (or deleted: a new one of that name
// must be set again).
export function noteArpNotify(ns: string, on: boolean): void {
  if (on) notifying.add(ns);
  else notifying.delete(ns);
}
