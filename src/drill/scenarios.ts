import { setTimeout as sleep } from 'node:timers/promises';
import {
  cutHa,
  ensureAgent,
  evacuate,
  healHa,
  killAgent,
  killKeepalived,
  powerCut,
  reboot,
} from '../lab/faults.js';
import type { LabNode, LabPlan } from '../lab/plan.js';
import type { CommandRunner } from '../system/runner.js';

// The failover scenarios a drill can run. Each injects its fault into the node that is
// MASTER of the first router (the victim), holds long enough for VRRP to react, and
// restores the lab. Hold times scale with the profile's detection time.

export const SCENARIOS = [
  'node-loss',
  'keepalived-crash',
  'agent-crash',
  'graceful',
  'ha-partition',
  'flap',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface ScenarioContext {
  readonly runner: CommandRunner;
  readonly plan: LabPlan;
  readonly victim: LabNode;
  readonly advertMs: number;
}

export interface ScenarioTimes {
  readonly faultAt: number;
  readonly healAt?: number;
}

export interface Scenario {
  readonly name: ScenarioName;
  readonly summary: string;
  // Zero lost probes is the pass mark (agent-crash).
  readonly expectNoLoss: boolean;
  // TCP streams through the floating IP must stay up.
  readonly expectTcpSurvives: boolean;
  // The peer must take over as MASTER.
  readonly expectTakeover: boolean;
  readonly expectSplit: boolean;
  // Which routers move to the survivor: every one the victim held, only the first, none.
  // The drill restores the victim only after the survivor has taken these over.
  readonly moves: 'held' | 'first' | 'none';
  run(ctx: ScenarioContext): Promise<ScenarioTimes>;
  restore(ctx: ScenarioContext): Promise<void>;
}

// Detection is 3 x advert + skew; hold past it with a margin for a loaded machine.
export const holdMs = (ctx: Pick<ScenarioContext, 'advertMs'>) => Math.max(2000, 5 * ctx.advertMs + 1500);

// Injects a fault, then holds long enough for VRRP to react.
async function faultThenHold(ctx: ScenarioContext, fault: () => unknown): Promise<ScenarioTimes> {
  const faultAt = Date.now();
  await fault();
  await sleep(holdMs(ctx));
  return { faultAt };
}

const SCENARIO_LIST: Scenario[] = [
  {
    name: 'node-loss',
    moves: 'held',
    summary: 'SIGKILL the MASTER node agent and every keepalived, and cut its links (a power cut)',
    expectNoLoss: false,
    expectTcpSurvives: true,
    expectTakeover: true,
    expectSplit: false,
    run: (ctx) => faultThenHold(ctx, () => powerCut(ctx.runner, ctx.plan, ctx.victim)),
    restore: (ctx) => reboot(ctx.runner, ctx.plan, ctx.victim),
  },
  {
    name: 'keepalived-crash',
    moves: 'first',
    summary: "SIGKILL one router's keepalived on the MASTER",
    expectNoLoss: false,
    expectTcpSurvives: true,
    expectTakeover: true,
    expectSplit: false,
    run: (ctx) => faultThenHold(ctx, () => killKeepalived(ctx.victim, ctx.plan.routers[0]?.id ?? 'r1')),
    restore: async () => undefined,
  },
  {
    name: 'agent-crash',
    moves: 'none',
    summary: 'SIGKILL the MASTER node agent; keepalived and the data plane must not notice',
    expectNoLoss: true,
    expectTcpSurvives: true,
    expectTakeover: false,
    expectSplit: false,
    run: (ctx) => faultThenHold(ctx, () => killAgent(ctx.victim)),
    restore: (ctx) => ensureAgent(ctx.victim),
  },
  {
    name: 'graceful',
    moves: 'held',
    summary: '`l3ha failover --all` on the MASTER node (priority-0 handover)',
    expectNoLoss: false,
    expectTcpSurvives: true,
    expectTakeover: true,
    expectSplit: false,
    run: (ctx) => faultThenHold(ctx, () => evacuate(ctx.victim)),
    restore: async () => undefined,
  },
  {
    name: 'ha-partition',
    moves: 'none',
    summary: 'cut only the HA link of the MASTER node, hold, then heal',
    expectNoLoss: false,
    expectTcpSurvives: true,
    expectTakeover: false,
    expectSplit: true,
    async run(ctx) {
      const faultAt = Date.now();
      await cutHa(ctx.runner, ctx.plan, ctx.victim);
      // Long enough for detection and three peer polls (1 s each in the lab).
      await sleep(holdMs(ctx) + 3000);
      const healAt = Date.now();
      await healHa(ctx.runner, ctx.plan, ctx.victim);
      await sleep(holdMs(ctx));
      return { faultAt, healAt };
    },
    restore: (ctx) => healHa(ctx.runner, ctx.plan, ctx.victim),
  },
  {
    name: 'flap',
    moves: 'none',
    summary: "bounce the MASTER node's HA link three times",
    expectNoLoss: false,
    expectTcpSurvives: true,
    expectTakeover: false,
    expectSplit: false,
    async run(ctx) {
      const faultAt = Date.now();
      for (let i = 0; i < 3; i++) {
        await cutHa(ctx.runner, ctx.plan, ctx.victim);
        await sleep(Math.max(600, 6 * ctx.advertMs));
        await healHa(ctx.runner, ctx.plan, ctx.victim);
        await sleep(Math.max(1500, 10 * ctx.advertMs));
      }
      const healAt = Date.now();
      await sleep(holdMs(ctx));
      return { faultAt, healAt };
    },
    restore: (ctx) => healHa(ctx.runner, ctx.plan, ctx.victim),
  },
];

export const ADVERT_MS: Record<string, number> = { fast: 100, standard: 1000, neutron: 2000 };

export function scenario(name: string): Scenario | undefined {
  return SCENARIO_LIST.find((s) => s.name === name);
}
