import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DrillReport } from '../drill/report.js';
import { runDrill } from '../drill/run.js';
import { holdMs, type Scenario, scenario } from '../drill/scenarios.js';
import { labDown, labUp } from '../lab/lab.js';
import { stopAgent } from '../lab/nodes.js';
import type { LabPlan } from '../lab/plan.js';
import { readPidFile, signal } from '../system/process.js';
import type { CommandRunner } from '../system/runner.js';

// Downtime per scenario and profile, and the same faults against the Neutron-default
// baseline (VRRPv2, 2 s adverts, multicast, NAT pre-installed, no agent), in one lab setup.

export interface DowntimeSample {
  readonly inbound: number;
  readonly outFloating: number;
  readonly outSnat: number;
  readonly tcpStall: number | null;
  readonly tcpSurvived: boolean | null;
  readonly lost: number;
  readonly faultToMasterMs: number | null;
  readonly replayMs: number | null;
}

export function sampleOf(r: DrillReport): DowntimeSample {
  const first = r.routers[0];
  if (!first) throw new Error('empty drill report');
  const lost = Object.values(first.flows).reduce((s, f) => s + f.lost, 0);
  return {
    inbound: first.flows.inbound.downtimeMs,
    outFloating: first.flows.outFloating.downtimeMs,
    outSnat: first.flows.outSnat.downtimeMs,
    tcpStall: first.tcp ? first.tcp.maxStallMs : null,
    tcpSurvived: first.tcp ? first.tcp.survived && first.tcp.connected : null,
    lost,
    faultToMasterMs: first.faultToMasterMs ?? null,
    replayMs: first.replayMs ?? null,
  };
}

const runId = () => `l3b${randomBytes(2).toString('hex')}`;

// l3ha: one lab per profile, each scenario `runs` times (each drill restores the lab).
export async function l3haDowntime(
  runner: CommandRunner,
  dir: string,
  profile: string,
  names: readonly string[],
  runs: number,
  say: (m: string) => void,
): Promise<Record<string, DowntimeSample[]>> {
  const out: Record<string, DowntimeSample[]> = {};
  const { plan } = await labUp(runner, {
    runId: runId(),
    dir: join(dir, `lab-${profile}`),
    routers: 1,
    profile,
  });
  try {
    for (const name of names) {
      const sc = scenario(name) as Scenario;
      out[name] = [];
      for (let i = 0; i < runs; i++) {
        const r = await runDrill(runner, plan, sc, { tcp: true, maxDowntimeMs: undefined });
        const sample = sampleOf(r);
        out[name].push(sample);
        say(
          `${profile} ${name} run ${i + 1}/${runs}: inbound ${sample.inbound} ms${r.ok ? '' : ' (a check failed)'}`,
        );
        say(
          `${profile} ${name} run ${i + 1}/${runs}: inbound ${sampleOf(r).inbound} ms${r.ok ? '' : ' (a check failed)'}`,
        );
      }
    }
  } finally {
    await labDown(runner, plan);
  }
  return out;
}

// The baseline's "graceful": an operator stops keepalived on the MASTER (SIGTERM).
const baselineGraceful: Scenario = {
  ...(scenario('graceful') as Scenario),
  summary: 'SIGTERM keepalived on the MASTER (systemctl stop keepalived)',
  async run(ctx) {
    const faultAt = Date.now();
    const pid = readPidFile(join(ctx.victim.dir, 'run', `keepalived-${ctx.plan.routers[0]?.id}.pid`));
    if (pid !== undefined) signal(pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, holdMs(ctx)));
    return { faultAt };
  },
};

// Neutron defaults: a fresh lab per run (nothing heals it), agents stopped before the fault.
export async function baselineDowntime(
  runner: CommandRunner,
  dir: string,
  names: readonly string[],
  runs: number,
  say: (m: string) => void,
): Promise<Record<string, DowntimeSample[]>> {
  const out: Record<string, DowntimeSample[]> = {};
  for (const name of names) {
    const sc = name === 'graceful' ? baselineGraceful : (scenario(name) as Scenario);
    out[name] = [];
    for (let i = 0; i < runs; i++) {
      let plan: LabPlan | undefined;
      try {
        plan = (
          await labUp(runner, {
            runId: runId(),
            dir: join(dir, 'lab-baseline'),
            routers: 1,
            profile: 'neutron',
            transport: 'multicast',
          })
        ).plan;
        // No agent: keepalived and the NAT it installed carry on alone.
        for (const n of plan.nodes) await stopAgent(n);
        const r = await runDrill(runner, plan, sc, {
          tcp: true,
          maxDowntimeMs: undefined,
          skipRestore: true,
        });
        const sample = sampleOf(r);
        out[name].push(sample);
        say(`baseline ${name} run ${i + 1}/${runs}: inbound ${sample.inbound} ms`);
      } finally {
        if (plan) await labDown(runner, plan);
      }
    }
  }
  return out;
}
