import type { JournalEntry } from '../transitions/journal.js';
import { type FlowResult, SILENT_AT_END_MS } from './ping.js';
import { FLOWS, type FlowName, type ProbeResults, type TcpResult } from './probes.js';
import type { Scenario } from './scenarios.js';
import { drillWindow, type GarpPlan, type RouterTimeline, routerTimeline } from './timeline.js';

// Turns raw probe results and both nodes' journals into a drill report. Pure.

export interface RouterReport {
  readonly id: string;
  readonly flows: Record<FlowName, FlowResult>;
  readonly tcp: TcpResult | undefined;
  readonly newMaster: string | undefined;
  readonly faultToMasterMs: number | undefined;
  readonly replayMs: number | undefined;
  readonly splitBrainMs: number | undefined;
  // What the HTML page draws (replies and journal marks, ms after the fault); absent from
  // reports of older versions and when the probes kept no reply times.
  readonly timeline?: RouterTimeline;
}

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface DrillReport {
  readonly scenario: string;
  readonly summary: string;
  readonly profile: string;
  readonly routers: readonly RouterReport[];
  readonly victim: string;
  readonly faultAt: string;
  readonly maxDowntimeMs: number;
  // From the fault to the moment the last flow answered again (0: nothing stopped).
  readonly lastRecoveryMs: number;
  readonly splitBrainMs: number | undefined;
  readonly checks: readonly Check[];
  readonly ok: boolean;
  // The one fping's end, when it probed (see ProbeResults.fping).
  readonly prober?: ProbeResults['fping'];
  // The span the timelines cover, ms after the fault (with the timelines).
  readonly window?: { readonly fromMs: number; readonly toMs: number };
}

export interface ReportInput {
  readonly scenario: Scenario;
  readonly profile: string;
  readonly victim: string;
  readonly faultAt: number;
  readonly stoppedAt: number;
  readonly probes: ProbeResults;
  // Journals per node name, per router id.
  readonly journals: Record<string, Record<string, readonly JournalEntry[]>>;
  readonly oneMasterAfter: boolean;
  readonly maxDowntimeMs: number | undefined;
  readonly tcp: boolean;
  // The lab profile's GARP schedule, for the timeline's GARP marks.
  readonly garp?: GarpPlan;
}

const at = (e: JournalEntry) => Date.parse(e.time);

// The flows a router was probed on, in the usual order.
const flowNames = (r: Pick<RouterReport, 'flows'>): FlowName[] =>
  FLOWS.filter((f) => r.flows[f] !== undefined);

function firstAfter(entries: readonly JournalEntry[], t: number, pred: (e: JournalEntry) => boolean) {
  return entries.find((e) => at(e) >= t && pred(e));
}

export function buildReport(input: ReportInput): DrillReport {
  const { faultAt } = input;
  const replies = input.probes.replies;
  const window = replies && drillWindow(replies, faultAt, input.stoppedAt);
  const routers: RouterReport[] = Object.keys(input.probes.flows)
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
    .map((id) => {
      const flows = input.probes.flows[id] as Record<FlowName, FlowResult>;
      let newMaster: string | undefined;
      let hookAt: number | undefined;
      let replayMs: number | undefined;
      let splitAt: number | undefined;
      let healAt: number | undefined;
      for (const [node, byRouter] of Object.entries(input.journals)) {
        const j = byRouter[id] ?? [];
        const hook = firstAfter(j, faultAt, (e) => e.event === 'hook' && e.to === 'MASTER');
        if (hook && node !== input.victim && (hookAt === undefined || at(hook) < hookAt)) {
          hookAt = at(hook);
          newMaster = node;
          // The agent often sees the VIP, and replays, before keepalived's hook line is
          // written: the new MASTER's first replay since the fault.
          replayMs = firstAfter(j, faultAt, (e) => e.event === 'replay')?.replayMs;
        }
        // The whole split-brain episode: the first split after the fault to the last heal.
        for (const e of j) {
          if (at(e) < faultAt) continue;
          if (e.event === 'split' && (splitAt === undefined || at(e) < splitAt)) splitAt = at(e);
          if (e.event === 'heal' && (healAt === undefined || at(e) > healAt)) healAt = at(e);
        }
      }
      const timeline = window && routerTimeline(id, input, window.fromMs);
      return {
        id,
        flows,
        ...(timeline ? { timeline } : {}),
        tcp: input.probes.tcp[id],
        newMaster,
        faultToMasterMs: hookAt === undefined ? undefined : hookAt - faultAt,
        replayMs,
        splitBrainMs:
          splitAt !== undefined && healAt !== undefined && healAt >= splitAt ? healAt - splitAt : undefined,
      };
    });

  const all = routers.flatMap((r) => flowNames(r).map((f) => ({ r, f, res: r.flows[f] })));
  const maxDowntimeMs = Math.max(0, ...all.map((x) => x.res.downtimeMs));
  const recoveries = all.map((x) => x.res.recoveryMs);
  const splits = routers.map((r) => r.splitBrainMs).filter((x): x is number => x !== undefined);

  const checks: Check[] = [];
  const silent = all.filter(
    (x) => x.res.lastAnswerAt === undefined || x.res.lastAnswerAt < input.stoppedAt - SILENT_AT_END_MS,
  );
  checks.push({
    name: 'every flow answers again',
    ok: silent.length === 0,
    detail: silent.length ? silent.map((x) => `${x.r.id}/${x.f}`).join(', ') : `${all.length} flows`,
  });
  const unsummed = all.filter((x) => x.res.noSummary === true);
  if (unsummed.length > 0) {
    checks.push({
      name: 'the prober ran to the end (fping printed its summary)',
      ok: false,
      detail: `${unsummed.length} flows without one; their lost counts are unknown`,
    });
  }
  if (input.maxDowntimeMs !== undefined) {
    checks.push({
      name: `downtime within ${input.maxDowntimeMs} ms`,
      ok: maxDowntimeMs <= input.maxDowntimeMs,
      detail: `worst ${maxDowntimeMs} ms`,
    });
  }
  if (input.scenario.expectNoLoss) {
    const lost = all.reduce((s, x) => s + x.res.lost, 0);
    checks.push({ name: 'no probe lost', ok: lost === 0, detail: `${lost} lost` });
  }
  if (input.tcp && input.scenario.expectTcpSurvives) {
    const dead = routers.filter((r) => !r.tcp?.survived || !r.tcp.connected);
    checks.push({
      name: 'TCP streams survive',
      ok: dead.length === 0,
      detail: dead.length
        ? dead.map((r) => `${r.id}: ${r.tcp?.error || 'closed'}`).join(', ')
        : `${routers.length} streams`,
    });
  }
  if (input.scenario.expectTakeover) {
    const first = routers[0];
    checks.push({
      name: 'the peer took over',
      ok: first?.newMaster !== undefined,
      detail: first?.newMaster
        ? `${first.id} MASTER on ${first.newMaster} after ${first.faultToMasterMs} ms`
        : 'no MASTER hook on the peer',
    });
  }
  if (input.scenario.expectSplit) {
    checks.push({
      name: 'split brain reported and healed',
      ok: splits.length === routers.length,
      detail: `${splits.length}/${routers.length} routers`,
    });
  }
  checks.push({ name: 'exactly one MASTER per router afterwards', ok: input.oneMasterAfter, detail: '' });

  return {
    scenario: input.scenario.name,
    summary: input.scenario.summary,
    profile: input.profile,
    routers,
    victim: input.victim,
    faultAt: new Date(faultAt).toISOString(),
    maxDowntimeMs,
    lastRecoveryMs: Math.max(0, ...recoveries),
    splitBrainMs: splits.length ? Math.max(...splits) : undefined,
    checks,
    ok: checks.every((c) => c.ok),
    ...(input.probes.fping ? { prober: input.probes.fping } : {}),
    ...(window ? { window } : {}),
  };
}

const ms = (v: number | undefined) => (v === undefined ? '-' : `${Math.round(v)} ms`);

// Rows as aligned columns, two spaces apart (also the chaos report's).
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatReport(r: DrillReport): string {
  const out: string[] = [];
  out.push(`drill ${r.scenario}: ${r.summary}`);
  out.push(`profile ${r.profile}, ${r.routers.length} router(s), fault on node ${r.victim} at ${r.faultAt}`);
  out.push('');
  const flows = [['ROUTER', 'FLOW', 'SENT', 'LOST', 'DOWNTIME']];
  for (const rt of r.routers) {
    for (const f of flowNames(rt)) {
      const x = rt.flows[f];
      flows.push([rt.id, f, String(x.sent), String(x.lost), ms(x.downtimeMs)]);
    }
  }
  out.push(table(flows));
  out.push('');
  const per = [['ROUTER', 'TCP', 'TCP STALL', 'NEW MASTER', 'FAULT->MASTER', 'REPLAY', 'SPLIT BRAIN']];
  for (const rt of r.routers) {
    per.push([
      rt.id,
      rt.tcp ? (rt.tcp.survived && rt.tcp.connected ? 'survived' : 'BROKEN') : '-',
      rt.tcp ? ms(rt.tcp.maxStallMs) : '-',
      rt.newMaster ?? '-',
      ms(rt.faultToMasterMs),
      ms(rt.replayMs),
      ms(rt.splitBrainMs),
    ]);
  }
  out.push(table(per));
  out.push('');
  out.push(`worst downtime ${ms(r.maxDowntimeMs)}; last flow back ${ms(r.lastRecoveryMs)} after the fault`);
  for (const c of r.checks)
    out.push(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}${c.detail ? ` (${c.detail})` : ''}`);
  out.push(`result: ${r.ok ? 'PASS' : 'FAIL'}`);
  return `${out.join('\n')}\n`;
}
