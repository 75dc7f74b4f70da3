import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWrite, ensureDir, removePath } from '../system/files.js';
import type { CommandRunner } from '../system/runner.js';
import { markRunDir, sweep } from '../system/sweep.js';
import { buildFabric } from './fabric.js';
import { startAgent, stopAgent, waitNodeBuilt } from './nodes.js';
import { restorePeerLink } from './peer-cut.js';
import { agentConfigText, type LabPlan, labPlan, routerSpecText } from './plan.js';
import { type RouterRoles, waitOneMaster } from './roles.js';

// Brings the two-node lab up and down. `down` leaves nothing behind, even after a crash:
// it kills every process inside the lab's namespaces and every process that names the
// lab directory, then deletes the namespaces and the directory.

export const LAB_STATE = 'lab.json';

export interface LabUpOptions {
  readonly runId: string;
  readonly dir: string;
  readonly routers: number;
  readonly profile: string;
  readonly transport?: 'unicast' | 'multicast';
  readonly timeoutMs?: number;
  // false: return once the agents are started (a storm may never settle; the caller measures).
  readonly waitForMasters?: boolean;
  readonly onProgress?: (msg: string) => void;
}

export async function labUp(
  runner: CommandRunner,
  o: LabUpOptions,
): Promise<{ plan: LabPlan; roles: RouterRoles[] }> {
  const basePort = 20000 + randomInt(0, 10000) * 4;
  const transport = o.transport ?? 'unicast';
  const plan = labPlan(o.runId, o.dir, o.routers, o.profile, basePort, transport);
  await ensureDir(plan.dir, 0o700);
  markRunDir(plan.dir);
  try {
    return await build(runner, o, plan, basePort, transport);
  } catch (err) {
    // A lab that did not come up removes everything it started (issue 13, item 10).
    await labDown(runner, plan).catch(() => undefined);
    throw err;
  }
}

async function build(
  runner: CommandRunner,
  o: LabUpOptions,
  plan: LabPlan,
  basePort: number,
  transport: 'unicast' | 'multicast',
): Promise<{ plan: LabPlan; roles: RouterRoles[] }> {
  const state = { runId: o.runId, routers: o.routers, profile: o.profile, basePort, transport };
  await atomicWrite(join(plan.dir, LAB_STATE), `${JSON.stringify(state)}\n`);
  await atomicWrite(plan.tokenFile, `${randomBytes(24).toString('hex')}\n`, 0o600);
  o.onProgress?.(`building fabric and ${o.routers * 2} VM namespaces`);
  await buildFabric(runner, plan);
  for (const n of plan.nodes) {
    await ensureDir(join(n.dir, 'routers.d'));
    await atomicWrite(n.config, agentConfigText(plan, n));
    for (const r of plan.routers)
      await atomicWrite(join(n.dir, 'routers.d', `${r.id}.yaml`), routerSpecText(r));
  }
  o.onProgress?.('starting agents a and b');
  for (const n of plan.nodes) await startAgent(n);
  if (o.waitForMasters === false) return { plan, roles: [] };
  o.onProgress?.(`waiting for one MASTER per router`);
  const timeoutMs = o.timeoutMs ?? 60_000 + o.routers * 1000;
  const deadline = Date.now() + timeoutMs;
  const roles = await waitOneMaster(runner, plan, timeoutMs);
  // Settled means both nodes run every router: one MASTER each is not enough when the
  // other node is still building (it is no standby yet).
  o.onProgress?.('waiting for both nodes to run every router');
  for (const n of plan.nodes) {
    if (!(await waitNodeBuilt(n, o.routers, Math.max(1000, deadline - Date.now()))))
      throw new Error(`node ${n.name} did not build its ${o.routers} routers within ${timeoutMs} ms`);
  }
  return { plan, roles };
}

// Reads the plan of a lab that is up in `dir`.
export function labFromDir(dir: string): LabPlan {
  const s = JSON.parse(readFileSync(join(dir, LAB_STATE), 'utf8')) as {
    runId: string;
    routers: number;
    profile: string;
    basePort: number;
    transport?: 'unicast' | 'multicast';
  };
  return labPlan(s.runId, dir, s.routers, s.profile, s.basePort, s.transport ?? 'unicast');
}

// Removes a lab that may be half up: by its state file when it was written, else by run id.
export async function removeLab(runner: CommandRunner, runId: string, dir: string): Promise<void> {
  let plan: LabPlan | undefined;
  try {
    plan = labFromDir(dir);
  } catch {
    plan = undefined;
  }
  if (plan) return labDown(runner, plan);
  await sweep(runner, `${runId}-`, [dir]);
  await removePath(dir);
}

export async function labDown(runner: CommandRunner, plan: LabPlan): Promise<void> {
  for (const n of plan.nodes) await stopAgent(n);
  await restorePeerLink(runner, plan);
  await sweep(runner, `${plan.runId}-`, [plan.dir]);
  await removePath(plan.dir);
}
