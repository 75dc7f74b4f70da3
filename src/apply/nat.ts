import { type CommandRunner, inNamespace } from '../system/runner.js';

// The router's NAT table. `nft -f` on the rendered file replaces it in one transaction.

// Applies the ruleset and returns the kernel's listing of the table, for drift checks.
export async function applyNat(runner: CommandRunner, ns: string, path: string): Promise<string> {
  await inNamespace(runner, ns, 'nft', ['-f', path]);
  return (await inNamespace(runner, ns, 'nft', ['list', 'table', 'ip', 'l3ha'])).stdout;
}

export async function deleteNat(runner: CommandRunner, ns: string): Promise<void> {
  await inNamespace(runner, ns, 'nft', ['delete', 'table', 'ip', 'l3ha'], { check: false });
}
