import { join } from 'node:path';
import { controlSocket } from '../config/paths.js';
import { callControl } from '../system/control-client.js';
import { readPidFile, signal } from '../system/process.js';
import type { CommandRunner } from '../system/runner.js';
import { sweep } from '../system/sweep.js';
import { agentPid, startAgent } from './nodes.js';
import type { LabNode, LabPlan } from './plan.js';

// Faults a drill injects into the lab, and the repairs that undo them. Everything is
// done by pid or by the lab's own interface names, inside the lab's namespaces.

const keepalivedPids = (n: LabNode, id: string): number[] =>
  ['', '-vrrp']
    .map((s) => readPidFile(join(n.dir, 'run', `keepalived-${id}${s}.pid`)))
    .filter((p): p is number => p !== undefined);

export function killAgent(n: LabNode): void {
  const pid = agentPid(n);
  if (pid !== undefined) signal(pid, 'SIGKILL');
}

// SIGKILL, as a crash or a power cut does it: every process is frozen first. keepalived's
// VRRP child gets SIGTERM when its parent dies (PDEATHSIG); a child still running then
// would send a priority-0 advert, a graceful handover that no real crash gives (lesson 22).
export function killKeepalived(n: LabNode, ...ids: string[]): void {
  const pids = ids.flatMap((id) => keepalivedPids(n, id));
  for (const p of pids) signal(p, 'SIGSTOP');
  for (const p of pids) signal(p, 'SIGKILL');
}

// The bridge-side ends of a node's router ports, as the agent names them.
export function nodePeers(plan: LabPlan, n: LabNode, kinds: ('h' | 'g' | 'i')[] = ['h', 'g', 'i']): string[] {
  return plan.routers.flatMap((r) =>
    kinds.map((k) => (k === 'i' ? `i${n.index}-${r.k}-n1` : `${k}${n.index}-${r.k}`)),
  );
}

export async function setLinks(runner: CommandRunner, plan: LabPlan, n: LabNode, up: boolean): Promise<void> {
  const batch = nodePeers(plan, n)
    .map((p) => `link set ${p} ${up ? 'up' : 'down'}`)
    .join('\n');
  await runner.run('ip', ['-force', '-n', plan.fabric, '-batch', '-'], { input: `${batch}\n`, check: false });
}

// Cuts a node's HA ports on the bridge without losing carrier, as a broken switch would:
// keepalived sees no adverts but no interface fault either.
export async function cutHa(runner: CommandRunner, plan: LabPlan, n: LabNode): Promise<void> {
  const ruleset = `table bridge l3ha_cut_${n.name} { chain f { type filter hook forward priority 0; policy accept; iifname "h${n.index}-*" drop; oifname "h${n.index}-*" drop; }; }`;
  await runner.run('ip', ['netns', 'exec', plan.fabric, 'nft', '-f', '-'], { input: `${ruleset}\n` });
}

export async function healHa(runner: CommandRunner, plan: LabPlan, n: LabNode): Promise<void> {
  await runner.run(
    'ip',
    ['netns', 'exec', plan.fabric, 'nft', 'delete', 'table', 'bridge', `l3ha_cut_${n.name}`],
    { check: false },
  );
}

// A power cut: the agent and every keepalived die at once and the links go dark.
export async function powerCut(runner: CommandRunner, plan: LabPlan, n: LabNode): Promise<void> {
  killAgent(n);
  killKeepalived(n, ...plan.routers.map((r) => r.id));
  await setLinks(runner, plan, n, false);
}

// A reboot after a power cut: kernel state is gone (the node's namespaces), then the agent
// starts and rebuilds every router as BACKUP.
export async function reboot(runner: CommandRunner, n: LabNode): Promise<void> {
  killAgent(n);
  await sweep(runner, n.nsPrefix, []);
  await startAgent(n);
}

export async function ensureAgent(n: LabNode): Promise<void> {
  if (agentPid(n) === undefined) await startAgent(n);
}

// A planned handover of every router away from the node (`l3ha failover --all`).
export async function evacuate(n: LabNode): Promise<unknown> {
  return callControl(controlSocket({ runDir: join(n.dir, 'run') }), 'POST', '/failover?all=1', 30_000);
}
