import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { labDown, labUp } from '../lab/lab.js';
import type { LabPlan } from '../lab/plan.js';
import { roles, waitOneMaster } from '../lab/roles.js';
import type { CommandRunner } from '../system/runner.js';
import { cpuSeconds, pidsWithArg } from './proc.js';

export interface TransportResult {
  readonly transport: 'unicast' | 'multicast';
  readonly routers: number;
  readonly keepalivedCpuPercent: number;
  // Sum over samples of routers without exactly one MASTER, times the sample interval.
  readonly splitBrainRouterSeconds: number;
  readonly maxRoutersWithTwoMasters: number;
  readonly samples: number;
  readonly converged: boolean;
}

// Steady state of N routers on one HA segment, unicast against multicast adverts.
export async function transportCompare(
  runner: CommandRunner,
  dir: string,
  n: number,
  transport: 'unicast' | 'multicast',
  windowS: number,
  say: (m: string) => void,
): Promise<TransportResult> {
  let plan: LabPlan | undefined;
  try {
    plan = (
      await labUp(runner, {
        runId: `l3t${transport[0]}${randomBytes(2).toString('hex')}`,
        dir: join(dir, `transport-${transport}`),
        routers: n,
        profile: 'fast',
        transport,
        waitForMasters: false,
      })
    ).plan;
    let converged = true;
    try {
      await waitOneMaster(runner, plan, 90_000);
    } catch {
      converged = false;
    }
    await sleep(3000);
    const ka = pidsWithArg('keepalived', `${plan.dir}/`);
    const cpu0 = ka.reduce((s, p) => s + cpuSeconds(p), 0);
    const start = Date.now();
    let splitRouterSeconds = 0;
    let maxTwo = 0;
    let samples = 0;
    while (Date.now() - start < windowS * 1000) {
      const t = Date.now();
      const rs = await roles(runner, plan);
      const bad = rs.filter((r) => r.masters.length !== 1).length;
      maxTwo = Math.max(maxTwo, rs.filter((r) => r.masters.length === 2).length);
      samples++;
      const spent = Date.now() - t;
      await sleep(Math.max(0, 2000 - spent));
      splitRouterSeconds += bad * ((Date.now() - t) / 1000);
    }
    const elapsed = (Date.now() - start) / 1000;
    const cpu1 = ka.reduce((s, p) => s + cpuSeconds(p), 0);
    const result = {
      transport,
      routers: n,
      keepalivedCpuPercent: Math.round(((cpu1 - cpu0) / elapsed) * 1000) / 10,
      splitBrainRouterSeconds: Math.round(splitRouterSeconds * 10) / 10,
      maxRoutersWithTwoMasters: maxTwo,
      samples,
      converged,
    };
    say(
      `transport ${transport} N=${n}: keepalived CPU ${result.keepalivedCpuPercent}%, split router-seconds ${result.splitBrainRouterSeconds}`,
    );
    return result;
  } finally {
    if (plan) await labDown(runner, plan);
  }
}
