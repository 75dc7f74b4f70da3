import type { CommandRunner } from '../system/runner.js';
import type { LabNode, LabPlan } from './plan.js';

// The peer link down: the lab's agents talk over loopback in the root namespace, so the
// cut is a table of the run's own there that drops the poll's packets to either agent's
// peer port, and nothing else. Removed by name (an absent table is not an error).
const peerTable = (plan: LabPlan) => `l3ha_${plan.runId.replace(/[^A-Za-z0-9]/g, '_')}_peer`;
const peerPort = (n: LabNode) => n.peerListen.split(':').at(-1) as string;

export async function cutPeerLink(runner: CommandRunner, plan: LabPlan): Promise<void> {
  const ports = plan.nodes.map(peerPort).join(', ');
  const table = `table inet ${peerTable(plan)} { chain out { type filter hook output priority 0; policy accept; oifname "lo" ip daddr 127.0.0.1 tcp dport { ${ports} } drop; }; }`;
  await runner.run('nft', ['-f', '-'], { input: `${table}\n` });
}

export async function restorePeerLink(runner: CommandRunner, plan: LabPlan): Promise<void> {
  await runner.run('nft', ['delete', 'table', 'inet', peerTable(plan)], { check: false });
}
