import { setTimeout as sleep } from 'node:timers/promises';
import type { LabNode, LabPlan } from '../lab/plan.js';
import { type RouterRoles, roles, waitOneMaster } from '../lab/roles.js';
import type { CommandRunner } from '../system/runner.js';
import { type FaultContext, injectFault } from './chaos-faults.js';
import { evaluateFlows, evaluateObservation, type Violation, worstDowntime } from './chaos-invariants.js';
import { observeLab } from './chaos-observe.js';
import { type ChaosReport, chaosReport, type FaultRecord } from './chaos-report.js';
import { type ChaosFault, type ChaosKind, chaosSchedule, describeFault } from './chaos-schedule.js';
import { SILENT_AT_END_MS } from './ping.js';
import { startProbes } from './probes.js';
import { ADVERT_MS } from './scenarios.js';

// The chaos soak: faults drawn from a seed, one after the other until the time is up, each
// with the probes running, and after each (healed) the invariants checked on the lab.

export interface ChaosOptions {
  readonly durationMs: number;
  readonly seed: number;
  readonly kinds: readonly ChaosKind[];
  readonly tcp: boolean;
  readonly maxDowntimeMs: number | undefined;
  readonly signal: AbortSignal;
  readonly onProgress?: (msg: string) => void;
}

// How long the lab may take to settle after a healed fault: exactly one MASTER, addresses,
// NAT and journals in agreement. Generous: the machine is shared.
export const settleBoundMs = (advertMs: number) => Math.max(10_000, 30 * advertMs);
// The longest a flow may be down in one fault.
export const flowBoundMs = (advertMs: number) => Math.max(3000, 30 * advertMs);
// The schedule is drawn this far ahead; a 10-minute soak runs a few dozen faults.
const SCHEDULE_LENGTH = 10_000;

// Rejects when the run is interrupted, so a long step does not hold up the cleanup.
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new Error('interrupted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

// Observes until every invariant holds or the bound passes; returns what still fails.
async function settle(runner: CommandRunner, plan: LabPlan, boundMs: number): Promise<Violation[]> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const v = evaluateObservation(await observeLab(runner, plan));
    if (v.length === 0 || Date.now() >= deadline) return v;
    await sleep(250);
  }
}

async function oneMaster(runner: CommandRunner, plan: LabPlan, ms: number): Promise<RouterRoles[]> {
  try {
    return await waitOneMaster(runner, plan, ms);
  } catch {
    return roles(runner, plan);
  }
}

async function runFault(
  runner: CommandRunner,
  plan: LabPlan,
  f: ChaosFault,
  o: ChaosOptions,
): Promise<FaultRecord> {
  const advertMs = ADVERT_MS[plan.profile] ?? 1000;
  const bound = settleBoundMs(advertMs);
  const router = plan.routers[f.router] ?? plan.routers[0];
  if (!router) throw new Error('the lab has no routers');
  const started = Date.now();
  const before = await oneMaster(runner, plan, bound);
  const masterName = before.find((r) => r.id === router.id)?.masters[0];
  if (masterName === undefined) throw new Error(`${router.id} has no MASTER before fault #${f.n}`);
  const victim = plan.nodes.find((n) => n.name === masterName) as LabNode;
  const survivor = plan.nodes.find((n) => n !== victim) as LabNode;
  o.onProgress?.(`${describeFault(f, router.id)} (node ${victim.name})`);
  const probes = await startProbes(plan, { tcp: o.tcp });
  const notes: string[] = [];
  let faultAt = Date.now();
  let stoppedAt = faultAt;
  let results: Awaited<ReturnType<typeof probes.stop>> | undefined;
  let check: (() => Violation[]) | undefined;
  try {
    await sleep(1000);
    const ctx: FaultContext = { runner, plan, victim, survivor, router, advertMs, before, notes };
    const run = await injectFault(ctx, f);
    faultAt = run.faultAt;
    check = run.check;
    await oneMaster(runner, plan, bound);
    // Long enough for a flow that is back to show it (a silence at the end is an outage).
    await sleep(SILENT_AT_END_MS + 500);
  } finally {
    stoppedAt = Date.now();
    results = await probes.stop(faultAt, stoppedAt);
  }
  const flows = results.flows;
  const violations = [
    ...evaluateFlows(flows, results.tcp, stoppedAt, {
      maxDowntimeMs: o.maxDowntimeMs ?? flowBoundMs(advertMs),
      noLoss: f.kind === 'agent-crash',
      tcpSurvives: o.tcp,
      silentAtEndMs: SILENT_AT_END_MS,
    }),
    ...(await settle(runner, plan, bound)),
    ...(check?.() ?? []),
  ];
  const lost = Object.values(flows)
    .flatMap((x) => Object.values(x))
    .reduce((s, x) => s + (x?.lost ?? 0), 0);
  for (const v of violations) o.onProgress?.(`  violation: ${v.invariant}: ${v.detail}`);
  return {
    fault: f,
    routerId: router.id,
    victim: victim.name,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    downtimeMs: worstDowntime(flows),
    lost,
    violations,
    notes,
  };
}

export async function runChaos(runner: CommandRunner, plan: LabPlan, o: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const schedule = chaosSchedule(o.seed, plan.routers.length, SCHEDULE_LENGTH, o.kinds);
  const records: FaultRecord[] = [];
  let abortedWhy: string | undefined;
  const stop = aborted(o.signal);
  stop.catch(() => undefined);
  try {
    // Before the first fault the lab must already be sound.
    const first = await Promise.race([
      settle(runner, plan, settleBoundMs(ADVERT_MS[plan.profile] ?? 1000)),
      stop,
    ]);
    if (first.length > 0) throw new Error(`the lab is not sound before the first fault: ${first[0]?.detail}`);
    for (const f of schedule) {
      if (Date.now() - started >= o.durationMs) break;
      records.push(await Promise.race([runFault(runner, plan, f, o), stop]));
    }
  } catch (err) {
    abortedWhy = (err as Error).message;
  }
  return chaosReport(
    {
      seed: o.seed,
      profile: plan.profile,
      routers: plan.routers.length,
      durationMs: o.durationMs,
      ranMs: Date.now() - started,
      startedAt: new Date(started).toISOString(),
      ...(abortedWhy === undefined ? {} : { aborted: abortedWhy }),
    },
    records,
  );
}
