import type { AddrOnDev } from '../plan/actions.js';
import { startInNamespace } from '../system/background.js';
import type { Semaphore } from './semaphore.js';

// At most this many arping processes at once, so a mass failover cannot fork-bomb the node.
export const GARP_CONCURRENCY = 32;

// One gratuitous ARP (iputils arping -U: an unsolicited request with sender = target)
// for one address. arping sends at once but then lingers about a second waiting for
// replies a GARP never gets, so the caller does not wait for it: `exited` tells when
// the process is gone (for a cap on how many run at once; lesson 18).
export function sendGarp(ns: string, a: AddrOnDev): { exited: Promise<number> } {
  const ip = a.cidr.split('/')[0] as string;
  const bg = startInNamespace(ns, 'arping', ['-q', '-U', '-c', '1', '-w', '1', '-I', a.dev, ip]);
  const kill = setTimeout(() => void bg.stop('SIGKILL'), 3000);
  return { exited: bg.exited.finally(() => clearTimeout(kill)) };
}

// One GARP per address. Resolves once every arping is started; each holds a slot of the
// cap until it exits.
export async function garpBurst(limit: Semaphore, ns: string, addrs: readonly AddrOnDev[]): Promise<number> {
  await Promise.all(
    addrs.map(
      (a) =>
        new Promise<void>((started) => {
          void limit.run(async () => {
            const g = sendGarp(ns, a);
            started();
            await g.exited;
          });
        }),
    ),
  );
  return addrs.length;
}
