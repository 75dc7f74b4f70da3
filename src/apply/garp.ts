import type { AddrOnDev } from '../plan/actions.js';
import { type CommandRunner, inNamespace } from '../system/runner.js';

// One gratuitous ARP (iputils arping -U: an unsolicited request with sender = target)
// for one address. Returns true when arping sent it.
export async function sendGarp(runner: CommandRunner, ns: string, a: AddrOnDev): Promise<boolean> {
  const ip = a.cidr.split('/')[0] as string;
  const r = await inNamespace(runner, ns, 'arping', ['-q', '-U', '-c', '1', '-w', '1', '-I', a.dev, ip], {
    check: false,
    timeoutMs: 3000,
  });
  // arping -U exits 1 when no reply came back, which is normal for a gratuitous ARP.
  return r.exitCode === 0 || r.exitCode === 1;
}
