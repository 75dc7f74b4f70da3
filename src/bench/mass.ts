import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runDrill } from '../drill/run.js';
import { type Scenario, scenario } from '../drill/scenarios.js';
import { evacuate } from '../lab/faults.js';
import { labDown, labUp } from '../lab/lab.js';
import type { LabPlan } from '../lab/plan.js';
import { masterOf, roles, waitOneMaster } from '../lab/roles.js';
import type { CommandRunner } from '../system/runner.js';
import { cpuSeconds, pidsWithArg } from './proc.js';
import { percentile } from './stats.js';

// Mass failover: N routers MASTER on one node, which then loses power.

export interface MassResult {
  readonly routers: number;
  readonly lastRouterBackMs: number;
  readonly downtimeP50: number;
  readonly downtimeP90: number;
  readonly downtimeP99: number;
  readonly downtimeMax: number;
  readonly lostProbes: number;
  readonly hooksAfterFault: number;
  readonly labUpSeconds: number;
  readonly ok: boolean;
  // The raw samples behind the percentiles: per router, downtime and recovery (ms).
  readonly downtimes: number[];
  readonly recoveries: number[];
}

export async function massFailover(
  runner: CommandRunner,
  dir: string,
  n: number,
  say: (m: string) => void,
): Promise<MassResult> {
  const t0 = Date.now();
  const { plan } = await labUp(runner, {
    runId: `l3m${randomBytes(2).toString('hex')}`,
    dir: join(dir, `mass-${n}`),
    routers: n,
    profile: 'fast',
    timeoutMs: 180_000,
  });
  const labUpSeconds = (Date.now() - t0) / 1000;
  try {
    // Put every router's MASTER on the node that holds the first one, so the fault hits all.
    const first = plan.routers[0];
    if (!first) throw new Error('no routers');
    const victim = (await masterOf(runner, plan, first))[0];
    const other = plan.nodes.find((x) => x.name !== victim);
    if (other) await evacuate(other);
    await waitOneMaster(runner, plan, 60_000);
    const r = await runDrill(runner, plan, scenario('node-loss') as Scenario, {
      tcp: false,
      flows: ['inbound'],
      maxDowntimeMs: undefined,
    });
    const downs = r.routers.map((x) => x.flows.inbound.downtimeMs);
    const hooks = r.routers.filter((x) => x.faultToMasterMs !== undefined).length;
    say(`mass N=${n}: last router back ${Math.max(...r.routers.map((x) => x.flows.inbound.recoveryMs))} ms`);
    return {
      routers: n,
      lastRouterBackMs: Math.max(...r.routers.map((x) => x.flows.inbound.recoveryMs)),
      downtimeP50: percentile(downs, 50),
      downtimeP90: percentile(downs, 90),
      downtimeP99: percentile(downs, 99),
      downtimeMax: Math.max(...downs),
      lostProbes: r.routers.reduce((s, x) => s + x.flows.inbound.lost, 0),
      hooksAfterFault: hooks,
      labUpSeconds,
      ok: r.ok,
      downtimes: downs,
      recoveries: r.routers.map((x) => x.flows.inbound.recoveryMs),
    };
  } finally {
    await labDown(runner, plan);
  }
}

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
