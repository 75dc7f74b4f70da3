import { setTimeout as sleep } from 'node:timers/promises';
import { loadAgentConfig } from '../config/load.js';
import type { LabNode, LabPlan } from '../lab/plan.js';
import { waitOneMaster } from '../lab/roles.js';
import { readJournal } from '../system/journal-file.js';
import type { CommandRunner } from '../system/runner.js';
import { type JournalEntry, parseJournal } from '../transitions/journal.js';
import { type FlowName, startProbes } from './probes.js';
import { buildReport, type DrillReport } from './report.js';
import { ADVERT_MS, type Scenario } from './scenarios.js';
import { awaitTakeover, heldBy, journalPath, takeoverTimeoutMs } from './takeover.js';
import type { GarpPlan } from './timeline.js';

// Runs one scenario against a lab that is up: probes on, fault, hold, restore, report.

export interface DrillOptions {
  readonly tcp: boolean;
  // Probe only these flows (a mass failover probes inbound only).
  readonly flows?: readonly FlowName[];
  // Probe inbound with one fping process for all routers (mass failover).
  readonly fping?: boolean;
  // Probe the outbound flows of only the first N routers (one ping process per flow).
  readonly outboundRouters?: number;
  // Leave the lab as the fault left it (the bench's baseline has no agent to heal it).
  readonly skipRestore?: boolean;
  readonly maxDowntimeMs: number | undefined;
  readonly onProgress?: (msg: string) => void;
}

export async function runDrill(
  runner: CommandRunner,
  plan: LabPlan,
  sc: Scenario,
  o: DrillOptions,
): Promise<DrillReport> {
  const first = plan.routers[0];
  if (!first) throw new Error('the lab has no routers');
  const before = await waitOneMaster(runner, plan, 30_000);
  const victimName = before.find((r) => r.id === first.id)?.masters[0];
  const victim = plan.nodes.find((n) => n.name === victimName) as LabNode;
  const advertMs = ADVERT_MS[plan.profile] ?? 1000;
  o.onProgress?.(
    `probes on (inbound on ${plan.routers.length} routers${o.fping ? ' by one fping' : ''}, outbound on ${Math.min(plan.routers.length, o.outboundRouters ?? plan.routers.length)}, at 100 Hz${o.tcp ? `, ${plan.routers.length} TCP streams` : ''})`,
  );
  const probes = await startProbes(plan, {
    tcp: o.tcp,
    fping: o.fping ?? false,
    ...(o.flows ? { flows: o.flows } : {}),
    ...(o.outboundRouters === undefined ? {} : { outboundRouters: o.outboundRouters }),
  });
  await sleep(1000);
  o.onProgress?.(`fault: ${sc.summary} (node ${victim.name})`);
  const ctx = { runner, plan, victim, advertMs };
  const times = await sc.run(ctx);
  const survivor = plan.nodes.find((n) => n !== victim) as LabNode;
  const moved = sc.moves === 'held' ? heldBy(before, victim) : sc.moves === 'first' ? [first.id] : [];
  if (moved.length > 0) {
    const late = await awaitTakeover(survivor, moved, times.faultAt, takeoverTimeoutMs(plan));
    if (late.length > 0)
      o.onProgress?.(`no MASTER on ${survivor.name} before the restore: ${late.join(', ')}`);
  }
  let oneMasterAfter = true;
  if (!o.skipRestore) {
    o.onProgress?.('restoring the lab');
    await sc.restore(ctx);
    try {
      await waitOneMaster(runner, plan, 30_000 + plan.routers.length * 200);
    } catch {
      oneMasterAfter = false;
    }
  }
  await sleep(1000);
  if (!(await probes.caughtUp(15_000))) o.onProgress?.('fping is still behind; its last replies may be lost');
  const stoppedAt = Date.now();
  const results = await probes.stop(times.faultAt, stoppedAt);
  const journals: Record<string, Record<string, JournalEntry[]>> = {};
  for (const n of plan.nodes) {
    journals[n.name] = {};
    for (const r of plan.routers) {
      (journals[n.name] as Record<string, JournalEntry[]>)[r.id] = parseJournal(
        readJournal(journalPath(n, r.id)),
      );
    }
  }
  return buildReport({
    scenario: sc,
    profile: plan.profile,
    victim: victim.name,
    faultAt: times.faultAt,
    stoppedAt,
    probes: results,
    journals,
    oneMasterAfter,
    maxDowntimeMs: o.maxDowntimeMs,
    tcp: o.tcp,
    ...garpPlan(plan),
  });
}

// The GARP schedule of the lab's profile, from a node's config, for the timeline's marks.
function garpPlan(plan: LabPlan): { garp?: GarpPlan } {
  try {
    const g = loadAgentConfig(plan.nodes[0].config).profiles[plan.profile]?.garp;
    return g ? { garp: { masterDelayS: g.masterDelay, followUpsS: g.followUps } } : {};
  } catch {
    return {};
  }
}
