import { haVip } from '../config/derive.js';
import { parseIpAddr } from '../observe/links.js';
import type { CommandRunner } from '../system/runner.js';
import type { LabPlan, LabRouter } from './plan.js';

// Which lab node holds each router's VIP right now (kernel state, as the agent sees it).

export const LAB_HA_NETWORK = '169.254.192.0/18';

export interface RouterRoles {
  readonly id: string;
  readonly masters: ('a' | 'b')[];
}

export async function masterOf(runner: CommandRunner, plan: LabPlan, r: LabRouter): Promise<('a' | 'b')[]> {
  const vip = `${haVip(LAB_HA_NETWORK, r.k)}/32`;
  const out: ('a' | 'b')[] = [];
  for (const n of plan.nodes) {
    const res = await runner.run('ip', ['-j', '-n', `${n.nsPrefix}${r.id}`, 'addr', 'show', 'dev', 'ha'], {
      check: false,
    });
    if (res.exitCode !== 0) continue;
    if (parseIpAddr(res.stdout).some((l) => l.addrs.includes(vip))) out.push(n.name);
  }
  return out;
}

export async function roles(runner: CommandRunner, plan: LabPlan): Promise<RouterRoles[]> {
  const out: RouterRoles[] = [];
  for (const r of plan.routers) out.push({ id: r.id, masters: await masterOf(runner, plan, r) });
  return out;
}

// Waits until every router has exactly one MASTER; returns the roles, or throws with them.
export async function waitOneMaster(
  runner: CommandRunner,
  plan: LabPlan,
  timeoutMs: number,
): Promise<RouterRoles[]> {
  const deadline = Date.now() + timeoutMs;
  let last: RouterRoles[] = [];
  while (Date.now() < deadline) {
    last = await roles(runner, plan);
    if (last.every((r) => r.masters.length === 1)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  const bad = last.filter((r) => r.masters.length !== 1).map((r) => `${r.id}: ${r.masters.length} masters`);
  throw new Error(`not exactly one MASTER per router after ${timeoutMs} ms: ${bad.join(', ')}`);
}
