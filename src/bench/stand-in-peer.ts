import { haAddress } from '../config/derive.js';
import { DEFAULT_HA_NETWORK } from '../config/schema-agent.js';
import type { LabPlan } from '../lab/plan.js';
import type { CommandRunner } from '../system/runner.js';

// The bench runs one node. Without a stand-in, every keepalived's unicast peer address
// never resolves, and each retried ARP request is flooded to all 500 ports of the HA
// bridge (about 117,000 deliveries a second here), a kernel cost a pair does not have.
// One namespace answers ARP for node b's HA address of every router and drops the adverts
// (no ICMP back); it speaks no VRRP, so node a stays MASTER of everything.
export async function standInPeer(runner: CommandRunner, plan: LabPlan, n: number): Promise<void> {
  const ns = `${plan.runId}-peer`;
  await runner.run('ip', ['netns', 'add', ns]);
  const segments = Math.ceil(n / 250);
  const lines: string[] = [];
  for (let seg = 0; seg < segments; seg++) {
    const bridge = seg === 0 ? 'br-ha' : `br-ha${seg}`;
    lines.push(
      `link add sp${seg} type veth peer name sp${seg} netns ${ns}`,
      `link set sp${seg} master ${bridge} up`,
    );
  }
  await runner.run('ip', ['-n', plan.fabric, '-batch', '-'], { input: `${lines.join('\n')}\n` });
  const inside: string[] = [];
  for (let seg = 0; seg < segments; seg++) inside.push(`link set sp${seg} up`);
  for (let k = 1; k <= n; k++) {
    const seg = Math.floor((k - 1) / 250);
    const slot = seg * 256 + ((k - 1) % 250) + 1;
    inside.push(`addr add ${haAddress(DEFAULT_HA_NETWORK, slot, 2)}/32 dev sp${seg}`);
  }
  await runner.run('ip', ['-n', ns, '-batch', '-'], { input: `${inside.join('\n')}\n` });
  await runner.run('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], {
    input:
      'table ip standin {\n  chain input { type filter hook input priority 0; ip protocol 112 drop; }\n}\n',
  });
}
