import type { DerivedPort } from '../config/derive.js';
import type { AddrOnDev } from '../plan/actions.js';
import { type CommandRunner, inNamespace } from '../system/runner.js';
import { ARP_NOTIFY_SYSCTL } from './garp.js';

// Namespaces, veth ports and addresses, through `ip`.

// Router sysctls. arp_ignore/arp_announce keep a node from answering ARP for addresses
// it does not hold on that interface; arp_notify makes the GARP bursts one process
// (lesson 39); IPv6 is off because l3ha routes IPv4 only and
// DAD/MLD chatter on every port is noise on a shared segment.
export const ROUTER_SYSCTLS = [
  'net.ipv4.ip_forward=1',
  'net.ipv4.conf.all.arp_ignore=1',
  'net.ipv4.conf.default.arp_ignore=1',
  'net.ipv4.conf.all.arp_announce=2',
  'net.ipv4.conf.default.arp_announce=2',
  ARP_NOTIFY_SYSCTL,
  'net.ipv6.conf.all.disable_ipv6=1',
  'net.ipv6.conf.default.disable_ipv6=1',
];

// Spawns are what a bring-up costs (lesson 27): the namespace and its id in one `ip -batch`.
export async function createNamespace(runner: CommandRunner, ns: string): Promise<void> {
  await runner.run('ip', ['-batch', '-'], { input: `netns add ${ns}\nnetns set ${ns} auto\n` });
  await inNamespace(runner, ns, 'sysctl', ['-q', '-w', ...ROUTER_SYSCTLS]);
}

const ipIn = (ns: string, args: string[]) => (ns === '' ? args : ['-n', ns, ...args]);

// Creates the router's veth pairs, one end in the router namespace and the other on its
// bridge, in three runs of `ip` whatever the number of ports: the bridge-side leftovers of
// a half-made earlier attempt are removed (an absent one is not an error), each pair is
// made already enslaved and up, then the inside ends and lo are set up.
export async function createPorts(
  runner: CommandRunner,
  ns: string,
  bridgeNs: string,
  ports: readonly DerivedPort[],
): Promise<void> {
  const leftovers = ports.map((p) => `link del ${p.peer}`).join('\n');
  await runner.run('ip', ipIn(bridgeNs, ['-force', '-batch', '-']), {
    input: `${leftovers}\n`,
    check: false,
  });
  const pairs = ports
    .map(
      (p) =>
        `link add ${p.peer} master ${p.bridge} up type veth peer name ${p.inside} address ${p.mac} netns ${ns}`,
    )
    .join('\n');
  await runner.run('ip', ipIn(bridgeNs, ['-batch', '-']), { input: `${pairs}\n` });
  const up = ['lo', ...ports.map((p) => p.inside)].map((i) => `link set ${i} up`).join('\n');
  await runner.run('ip', ['-n', ns, '-batch', '-'], { input: `${up}\n` });
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
