import { parsePing } from '../../src/drill/ping.js';
import type { FlowName, ProbeResults } from '../../src/drill/probes.js';
import { buildReport, type DrillReport, type ReportInput } from '../../src/drill/report.js';
import { scenario } from '../../src/drill/scenarios.js';
import type { JournalEntry } from '../../src/transitions/journal.js';

// A node-loss drill made of known reply times and journal lines, for the HTML tests.
// Times are ms after FAULT: replies every 10 ms from -1000 to +3000 except an outage
// from 0 to +400 (inbound) or +450 (outbound); b's agent sees the VIP at +340 and replays
// until +370, keepalived's MASTER hook comes at +380; the TCP stream stalls from -5 to +500.

export const FAULT = Date.parse('2026-03-01T12:00:00.000Z');
export const STOPPED = FAULT + 3000;
const iso = (dt: number) => new Date(FAULT + dt).toISOString();

export function replyTimes(outageEnd: number): number[] {
  const out: number[] = [];
  for (let t = -1000; t <= 3000; t += 10) if (t < 0 || t >= outageEnd) out.push(FAULT + t);
  return out;
}

// ping -n -D -O output for the given reply times (epoch ms).
export function pingText(times: readonly number[]): string {
  return times
    .map(
      (t, i) => `[${(t / 1000).toFixed(6)}] 64 bytes from 198.51.100.1: icmp_seq=${i + 1} ttl=63 time=0.1 ms`,
    )
    .join('\n');
}

export const journalB = (id: string): JournalEntry[] => [
  { time: iso(340), event: 'transition', router: id, from: 'BACKUP', to: 'MASTER' },
  { time: iso(370), event: 'replay', router: id, to: 'MASTER', replayMs: 30 },
  { time: iso(380), event: 'hook', router: id, to: 'MASTER', source: 'hook', priority: 100 },
  { time: iso(2400), event: 'garp', router: id, garpsSent: 4, cancelled: false },
];
export const journalA = (id: string): JournalEntry[] => [
  { time: iso(-60_000), event: 'hook', router: id, to: 'MASTER', source: 'hook', priority: 100 },
  { time: iso(2600), event: 'hook', router: id, to: 'BACKUP', source: 'hook', priority: 100 },
];

export function drillInput(ids: readonly string[], outageOf: (i: number) => number = () => 400): ReportInput {
  const flows: ProbeResults['flows'] = {};
  const replies: NonNullable<ProbeResults['replies']> = {};
  ids.forEach((id, i) => {
    const inbound = replyTimes(outageOf(i));
    const out = replyTimes(outageOf(i) + 50);
    const byFlow: Record<FlowName, number[]> = { inbound, outFloating: out, outSnat: out };
    replies[id] = byFlow;
    flows[id] = Object.fromEntries(
      Object.entries(byFlow).map(([f, xs]) => [f, parsePing(pingText(xs), FAULT, STOPPED)]),
    ) as Record<FlowName, ReturnType<typeof parsePing>>;
  });
  const tcp = Object.fromEntries(
    ids.map((id) => [
      id,
      {
        connected: true,
        survived: true,
        maxStallMs: 505,
        sent: 300,
        echoed: 300,
        error: '',
        stallFrom: FAULT - 5,
        stallTo: FAULT + 500,
      },
    ]),
  );
  const sc = scenario('node-loss');
  if (!sc) throw new Error('no node-loss');
  return {
    scenario: sc,
    profile: 'fast',
    victim: 'a',
    faultAt: FAULT,
    stoppedAt: STOPPED,
    probes: { flows, tcp, replies },
    journals: {
      a: Object.fromEntries(ids.map((id) => [id, journalA(id)])),
      b: Object.fromEntries(ids.map((id) => [id, journalB(id)])),
    },
    oneMasterAfter: true,
    maxDowntimeMs: undefined,
    tcp: true,
    garp: { masterDelayS: 1, followUpsS: [0.5, 2, 10] },
  };
}

export const drillReport = (ids: readonly string[], outageOf?: (i: number) => number): DrillReport =>
  buildReport(drillInput(ids, outageOf));
