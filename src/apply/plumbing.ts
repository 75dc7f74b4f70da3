import type { DerivedPort } from '../config/derive.js';
import type { AddrOnDev } from '../plan/actions.js';
import { type CommandRunner, inNamespace } from '../system/runner.js';

// Namespaces, veth ports and addresses, through `ip`.

// Router sysctls. arp_ignore/arp_announce keep a node from answering ARP for addresses
// it does not hold on that interface; IPv6 is off because l3ha routes IPv4 only and
// DAD/MLD chatter on every port is noise on a shared segment.
export const ROUTER_SYSCTLS = [
  'net.ipv4.ip_forward=1',
  'net.ipv4.conf.all.arp_ignore=1',
  'net.ipv4.conf.default.arp_ignore=1',
  'net.ipv4.conf.all.arp_announce=2',
  'net.ipv4.conf.default.arp_announce=2',
  'net.ipv6.conf.all.disable_ipv6=1',
  'net.ipv6.conf.default.disable_ipv6=1',
];

export async function createNamespace(runner: CommandRunner, ns: string): Promise<void> {
  await runner.run('ip', ['netns', 'add', ns]);
  await watchNamespace(runner, ns);
  await runner.run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  await inNamespace(runner, ns, 'sysctl', ['-q', '-w', ...ROUTER_SYSCTLS]);
}

const ipIn = (ns: string, args: string[]) => (ns === '' ? args : ['-n', ns, ...args]);

// Creates the veth pair with one end in the router namespace and the other on its bridge.
export async function createPort(
  runner: CommandRunner,
  ns: string,
  bridgeNs: string,
  port: DerivedPort,
): Promise<void> {
  // A half-made earlier attempt may have left the bridge end behind.
  await runner.run('ip', ipIn(bridgeNs, ['link', 'del', port.peer]), { check: false });
  await runner.run(
    'ip',
    ipIn(bridgeNs, [
      'link',
      'add',
      port.peer,
      'type',
      'veth',
      'peer',
      'name',
      port.inside,
      'address',
      port.mac,
      'netns',
      ns,
    ]),
  );
  await runner.run('ip', ipIn(bridgeNs, ['link', 'set', port.peer, 'master', port.bridge, 'up']));
  await runner.run('ip', ['-n', ns, 'link', 'set', port.inside, 'up']);
}

export async function setUp(runner: CommandRunner, ns: string, ifname: string): Promise<void> {
  await runner.run('ip', ['-n', ns, 'link', 'set', ifname, 'up']);
}

export async function deleteLink(runner: CommandRunner, ns: string, ifname: string): Promise<void> {
  await runner.run('ip', ['-n', ns, 'link', 'del', ifname], { check: false });
}

export async function addAddress(runner: CommandRunner, ns: string, addr: AddrOnDev): Promise<void> {
  await runner.run('ip', ['-n', ns, 'addr', 'replace', addr.cidr, 'dev', addr.dev]);
}

// Removes several addresses in one `ip -batch`; an address already gone is not an error.
export async function removeAddresses(
  runner: CommandRunner,
  ns: string,
  addrs: readonly AddrOnDev[],
): Promise<void> {
  const batch = addrs.map((a) => `addr del ${a.cidr} dev ${a.dev}`).join('\n');
  await runner.run('ip', ['-force', '-n', ns, '-batch', '-'], { input: `${batch}\n`, check: false });
}

// Deletes the router's veths first (which removes their bridge-side ends at once; the
// kernel frees a deleted namespace's devices later, asynchronously), then the namespace.
export async function deleteNamespace(
  runner: CommandRunner,
  ns: string,
  links: readonly string[],
): Promise<void> {
  if (links.length > 0) {
    const batch = links.map((l) => `link del ${l}`).join('\n');
    await runner.run('ip', ['-force', '-n', ns, '-batch', '-'], { input: `${batch}\n`, check: false });
  }
  await runner.run('ip', ['netns', 'del', ns], { check: false });
}

// Gives the namespace an id in the root namespace (the address watch prints events of
// namespaces that have one). An id assigned earlier is not an error.
export async function watchNamespace(runner: CommandRunner, ns: string): Promise<void> {
  await runner.run('ip', ['netns', 'set', ns, 'auto'], { check: false });
}
