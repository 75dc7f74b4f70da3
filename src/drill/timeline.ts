import type { JournalEntry } from '../transitions/journal.js';
import type { FlowName, TcpResult } from './probes.js';
import type { ReportInput } from './report.js';

// What a drill's HTML page draws per router, in ms after the fault (negative before it):
// every probe reply, and marks from both nodes' journals. Pure.

export type MarkKind = 'master' | 'observed' | 'backup' | 'replay' | 'garp' | 'split' | 'heal';

export interface Mark {
  readonly kind: MarkKind;
  readonly node: string;
  readonly atMs: number;
  // A span (the replay) ends here; a point mark has none.
  readonly untilMs?: number;
  readonly label: string;
}

export interface RouterTimeline {
  // Each flow's reply times, whole ms after the fault, in order.
  readonly replies: Partial<Record<FlowName, readonly number[]>>;
  readonly marks: readonly Mark[];
  // The TCP stream's longest stall, when the stream reported it.
  readonly tcpStall?: { readonly fromMs: number; readonly toMs: number };
}

// The GARPs a MASTER sends: keepalived's own burst at the transition and its repeat after
// masterDelay seconds, and the agent's follow-up bursts (seconds after it observed MASTER,
// sent no earlier than the replay; lesson 10). From the lab's profile.
export interface GarpPlan {
  readonly masterDelayS: number;
  readonly followUpsS: readonly number[];
}

const at = (e: JournalEntry) => Date.parse(e.time);
const isObserved = (e: JournalEntry) => e.event === 'transition' && e.to === 'MASTER';
// How long before a MASTER hook the agent's own sighting still belongs to the same change.
const HOOK_LAG_MS = 3000;

export function repliesAfter(epochMs: readonly number[] | undefined, faultAt: number): number[] {
  return (epochMs ?? []).map((t) => Math.round(t - faultAt)).sort((a, b) => a - b);
}

// keepalived's MASTER changes (its hook), the replay, the GARP bursts and split/heal, per node.
export function journalMarks(
  journals: Record<string, readonly JournalEntry[]>,
  faultAt: number,
  fromMs: number,
  garp: GarpPlan | undefined,
): Mark[] {
  const marks: Mark[] = [];
  for (const [node, entries] of Object.entries(journals)) {
    const rel = (e: JournalEntry) => at(e) - faultAt;
    const mine = entries.filter((e) => Number.isFinite(at(e)) && rel(e) >= fromMs);
    for (const e of mine) {
      const t = rel(e);
      if (e.event === 'hook' && e.to === 'MASTER') {
        marks.push({ kind: 'master', node, atMs: t, label: `${node} MASTER (keepalived's hook)` });
        // keepalived sends its GARPs before any hook runs (lesson 4): at the hook, or at the
        // agent's sighting of the VIP when that came first (hooks can lag by a second).
        const seen = mine.find((x) => isObserved(x) && rel(x) <= t && rel(x) >= t - HOOK_LAG_MS);
        const sent = seen ? Math.min(t, rel(seen)) : t;
        marks.push({ kind: 'garp', node, atMs: sent, label: `${node} keepalived GARP` });
        if (garp && garp.masterDelayS > 0)
          marks.push({
            kind: 'garp',
            node,
            atMs: sent + garp.masterDelayS * 1000,
            label: `${node} keepalived GARP repeat`,
          });
      } else if (isObserved(e)) {
        marks.push({ kind: 'observed', node, atMs: t, label: `${node} MASTER (the agent saw the VIP)` });
      } else if (e.event === 'hook') {
        // keepalived reports BACKUP, FAULT or STOP; the hook line has no "from".
        marks.push({ kind: 'backup', node, atMs: t, label: `${node} ${e.to ?? '?'}` });
      } else if (e.event === 'replay') {
        const start = e.replayMs === undefined ? t : t - e.replayMs;
        marks.push({
          kind: 'replay',
          node,
          atMs: Math.round(start),
          untilMs: t,
          label: `${node} replay ${e.replayMs === undefined ? '?' : Math.round(e.replayMs)} ms`,
        });
      } else if (e.event === 'split' || e.event === 'heal') {
        marks.push({ kind: e.event, node, atMs: t, label: `${node} ${e.event}` });
      }
    }
    if (garp) marks.push(...followUps(node, mine, rel, garp));
  }
  return marks.sort((a, b) => a.atMs - b.atMs);
}

// The agent's follow-up bursts of each MASTER period that began in the window: due at its
// observed transition + each offset, none before the replay that schedules them, none
// after the journal says the schedule ended (done or cancelled).
function followUps(
  node: string,
  entries: readonly JournalEntry[],
  rel: (e: JournalEntry) => number,
  garp: GarpPlan,
): Mark[] {
  const out: Mark[] = [];
  entries.forEach((e, i) => {
    if (e.event !== 'transition' || e.to !== 'MASTER') return;
    const rest = entries.slice(i + 1);
    const replay = rest.find((x) => x.event === 'replay');
    const end = rest.find((x) => x.event === 'garp' || (x.event === 'transition' && x.to !== 'MASTER'));
    if (!replay || (end && rel(end) < rel(replay))) return;
    for (const s of garp.followUpsS) {
      const t = Math.max(rel(e) + s * 1000, rel(replay));
      if (end && t > rel(end) + 1) break;
      out.push({ kind: 'garp', node, atMs: Math.round(t), label: `${node} l3ha GARP +${s} s` });
    }
  });
  return out;
}

export function tcpStall(tcp: TcpResult | undefined, faultAt: number): RouterTimeline['tcpStall'] {
  if (tcp?.stallFrom === undefined || tcp.stallTo === undefined) return undefined;
  return { fromMs: Math.round(tcp.stallFrom - faultAt), toMs: Math.round(tcp.stallTo - faultAt) };
}

// The span a drill's pictures cover, in ms after the fault: from the first reply (probing
// starts about a second before the fault) to the moment probing stopped.
export function drillWindow(
  replies: Record<string, Partial<Record<FlowName, readonly number[]>>> | undefined,
  faultAt: number,
  stoppedAt: number,
): { readonly fromMs: number; readonly toMs: number } {
  let first = faultAt - 1000;
  for (const byFlow of Object.values(replies ?? {}))
    for (const xs of Object.values(byFlow)) for (const t of xs ?? []) if (t < first) first = t;
  return { fromMs: Math.round(first - faultAt), toMs: Math.round(stoppedAt - faultAt) };
}

// One router's timeline, from the report's input (every reply and journal).
export function routerTimeline(id: string, input: ReportInput, fromMs: number): RouterTimeline {
  const { faultAt } = input;
  const rel: Partial<Record<FlowName, readonly number[]>> = {};
  for (const [f, xs] of Object.entries(input.probes.replies?.[id] ?? {}))
    rel[f as FlowName] = repliesAfter(xs, faultAt);
  const mine = Object.fromEntries(Object.entries(input.journals).map(([n, j]) => [n, j[id] ?? []]));
  const stall = tcpStall(input.probes.tcp[id], faultAt);
  return {
    replies: rel,
    marks: journalMarks(mine, faultAt, fromMs, input.garp),
    ...(stall ? { tcpStall: stall } : {}),
  };
}
