import { join } from 'node:path';
import { controlSocket } from '../config/paths.js';
import { callControl } from '../system/control-client.js';
import { readPidFile, signal } from '../system/process.js';
import type { CommandRunner } from '../system/runner.js';
import { sweep } from '../system/sweep.js';
import { agentPid, startAgent, waitNodeBuilt } from './nodes.js';
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

// A table on the fabric's bridges that drops every frame to or from the node's ports of
// the given kinds (h: HA, g: gateway, i: internal), in one nft transaction.
export function dropRuleset(
  table: string,
  n: LabNode,
  kinds: readonly ('h' | 'g' | 'i')[],
  priority: number,
): string {
  const rules = kinds
    .map((k) => `"${k}${n.index}-*"`)
    .flatMap((p) => [`iifname ${p} drop;`, `oifname ${p} drop;`])
    .join(' ');
  return `table bridge ${table} { chain f { type filter hook forward priority ${priority}; policy accept; ${rules} }; }`;
}

async function loadFabricTable(runner: CommandRunner, plan: LabPlan, ruleset: string): Promise<void> {
  await runner.run('ip', ['netns', 'exec', plan.fabric, 'nft', '-f', '-'], { input: `${ruleset}\n` });
}

// An absent table is not an error: the fault may not have been injected.
async function deleteFabricTable(runner: CommandRunner, plan: LabPlan, table: string): Promise<void> {
  await runner.run('ip', ['netns', 'exec', plan.fabric, 'nft', 'delete', 'table', 'bridge', table], {
    check: false,
  });
}

// Cuts a node's HA ports on the bridge without losing carrier, as a broken switch would:
// keepalived sees no adverts but no interface fault either.
const cutTable = (n: LabNode) => `l3ha_cut_${n.name}`;

export async function cutHa(runner: CommandRunner, plan: LabPlan, n: LabNode): Promise<void> {
  await loadFabricTable(runner, plan, dropRuleset(cutTable(n), n, ['h'], 0));
}

export async function healHa(runner: CommandRunner, plan: LabPlan, n: LabNode): Promise<void> {
  await deleteFabricTable(runner, plan, cutTable(n));
}

// The node's ports go dark at once, in one nft transaction on the fabric's bridges: a link
// set down port by port took seconds at 100 routers, and the ports not yet down kept
// forwarding through the dead node's namespaces (keepalived gone, kernel alive), which is
// no power cut at all (lesson 25).
const darkTable = (n: LabNode) => `l3ha_dark_${n.name}`;

// A power cut: the links go dark, the agent and every keepalived die at once, and then the
// ports lose carrier as well.
export async function powerCut(runner: CommandRunner, plan: LabPlan, n: LabNode): Promise<void> {
  await loadFabricTable(runner, plan, dropRuleset(darkTable(n), n, ['h', 'g', 'i'], -10));
  killAgent(n);
  killKeepalived(n, ...plan.routers.map((r) => r.id));
  await setLinks(runner, plan, n, false);
}

// A reboot after a power cut: kernel state is gone (the node's namespaces), the ports are
// lit again, then the agent starts and rebuilds every router as BACKUP. It returns once
// the node runs a keepalived for every router: a peer still rebuilding cannot take over,
// and a measurement started before it is done cuts a node that has no standby (at 100
// routers that read as routers that never came back).
export async function reboot(runner: CommandRunner, plan: LabPlan, n: LabNode): Promise<void> {
  killAgent(n);
  await sweep(runner, n.nsPrefix, []);
  await deleteFabricTable(runner, plan, darkTable(n));
  await startAgent(n);
  const timeoutMs = buildTimeoutMs(plan);
  if (!(await waitNodeBuilt(n, plan.routers.length, timeoutMs)))
    throw new Error(
      `node ${n.name} did not rebuild its ${plan.routers.length} routers within ${timeoutMs} ms`,
    );
}

// How long a node may take to build every router of the lab.
export const buildTimeoutMs = (plan: LabPlan) => 60_000 + plan.routers.length * 1000;

export async function ensureAgent(n: LabNode): Promise<void> {
  if (agentPid(n) === undefined) await startAgent(n);
}

// A planned handover of every router away from the node (`l3ha failover --all`).
export async function evacuate(n: LabNode): Promise<unknown> {
  return callControl(controlSocket({ runDir: join(n.dir, 'run') }), 'POST', '/failover?all=1', 30_000);
}
