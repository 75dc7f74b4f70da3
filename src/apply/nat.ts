import { NAT_TABLE } from '../render/nft.js';
import { type CommandRunner, inNamespace } from '../system/runner.js';

// The router's NAT table. `nft -f` on the rendered file replaces it in one transaction.

// Conntrack sysctls for a router that takes over flows mid-stream. A new MASTER sees a
// TCP flow for the first time in its middle; with strict window tracking those packets
// are INVALID, NAT skips them, and the router's own stack answers the floating IP with
// a RST. Liberal tracking accepts them, so the flow survives the failover. Set here,
// after `nft -f`: the nat table is what loads conntrack into the namespace.
export const CONNTRACK_SYSCTLS = [
  'net.netfilter.nf_conntrack_tcp_be_liberal=1',
  'net.netfilter.nf_conntrack_tcp_loose=1',
];

// Applies the ruleset and returns the kernel's listing of the table, for drift checks.
export async function applyNat(runner: CommandRunner, ns: string, path: string): Promise<string> {
  await inNamespace(runner, ns, 'nft', ['-f', path]);
  await inNamespace(runner, ns, 'sysctl', ['-q', '-w', ...CONNTRACK_SYSCTLS]);
  return listNat(runner, ns);
}

// The kernel's listing of the router's NAT table.
export async function listNat(runner: CommandRunner, ns: string): Promise<string> {
  return (await inNamespace(runner, ns, 'nft', ['list', 'table', 'ip', NAT_TABLE])).stdout;
}

export async function deleteNat(runner: CommandRunner, ns: string): Promise<void> {
  await inNamespace(runner, ns, 'nft', ['delete', 'table', 'ip', NAT_TABLE], { check: false });
}
