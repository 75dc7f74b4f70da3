import { el, esc, linear, px, tickStep, ticks } from '../render/svg.js';
import { FLOWS, type FlowName } from './probes.js';
import type { RouterReport } from './report.js';
import type { Mark } from './timeline.js';

// One router's timeline as inline SVG: a row per flow with a tick per probe reply and its
// outage shaded, a TCP row with the stream's longest stall, a row per node with its journal
// marks (MASTER, replay, GARP bursts, split, heal), and full-height lines at the fault and
// at each MASTER change. Pure; x is linear in ms after the fault.

export const WIDTH = 960;
export const LEFT = 120;
export const RIGHT = 16;
const TOP = 18;
const ROW = 20;
const AXIS = 22;

export interface Window {
  readonly fromMs: number;
  readonly toMs: number;
}

// The x of a time (ms after the fault) on a timeline of the given window.
export const timelineX = (w: Window): ((ms: number) => number) =>
  linear(w.fromMs, w.toMs, LEFT, WIDTH - RIGHT);

const FLOW_LABEL: Record<FlowName, string> = {
  inbound: 'inbound',
  outFloating: 'out floating',
  outSnat: 'out SNAT',
};

// ms after the fault as an axis label: "0", "+1.5 s", "-1 s".
export const seconds = (ms: number) => (ms === 0 ? '0' : `${ms > 0 ? '+' : ''}${Math.round(ms) / 1000} s`);

function rowLabel(y: number, text: string): string {
  return el('text', { class: 'row-label', x: LEFT - 6, y: y + ROW / 2 + 4, 'text-anchor': 'end' }, esc(text));
}

function repliesRow(flow: FlowName, times: readonly number[], y: number, x: (ms: number) => number): string {
  const d = times.map((t) => `M${px(x(t))} ${y + 4}v${ROW - 8}`).join('');
  return el('path', { class: 'replies', 'data-flow': flow, 'data-replies': times.length, d }, '');
}

function outageRect(
  r: RouterReport,
  flow: FlowName,
  fault: number,
  y: number,
  x: (ms: number) => number,
  w: Window,
) {
  const f = r.flows[flow];
  if (!f || f.downtimeMs <= 0 || f.outageFrom === undefined) return '';
  const a = Math.max(w.fromMs, f.outageFrom - fault);
  const b = f.outageTo === undefined ? w.toMs : Math.min(w.toMs, f.outageTo - fault);
  if (b <= a) return '';
  return el(
    'rect',
    { class: 'outage', 'data-flow': flow, x: px(x(a)), y: y + 2, width: px(x(b) - x(a)), height: ROW - 4 },
    el('title', {}, esc(`${FLOW_LABEL[flow]}: down ${f.downtimeMs} ms`)),
  );
}

function markShape(m: Mark, y: number, x: (ms: number) => number): string {
  const title = el('title', {}, esc(`${m.label} at ${seconds(m.atMs)}`));
  const common = { 'data-kind': m.kind, 'data-node': m.node, 'data-at-ms': m.atMs };
  if (m.kind === 'replay' && m.untilMs !== undefined) {
    const w = Math.max(2, x(m.untilMs) - x(m.atMs));
    return el(
      'rect',
      { class: `mark mark-replay`, ...common, x: px(x(m.atMs)), y: y + 3, width: px(w), height: ROW - 6 },
      title,
    );
  }
  const h = m.kind === 'garp' ? ROW / 2 - 2 : ROW - 6;
  const top = m.kind === 'garp' ? y + ROW / 2 : y + 3;
  return el(
    'line',
    { class: `mark mark-${m.kind}`, ...common, x1: px(x(m.atMs)), x2: px(x(m.atMs)), y1: top, y2: top + h },
    title,
  );
}

function axis(y: number, w: Window, x: (ms: number) => number): string {
  const step = tickStep(w.toMs - w.fromMs, 10);
  return ticks(w.fromMs, w.toMs, step)
    .map(
      (t) =>
        el('line', { class: 'grid', x1: px(x(t)), x2: px(x(t)), y1: TOP, y2: y }) +
        el('text', { class: 'tick', x: px(x(t)), y: y + 14, 'text-anchor': 'middle' }, esc(seconds(t))),
    )
    .join('');
}

export function timelineSvg(r: RouterReport, w: Window, faultAtMs: number, nodes: readonly string[]): string {
  const tl = r.timeline;
  if (!tl) return '';
  const x = timelineX(w);
  const flows = FLOWS.filter((f) => tl.replies[f] !== undefined);
  const parts: string[] = [];
  let y = TOP;
  for (const f of flows) {
    parts.push(
      rowLabel(y, FLOW_LABEL[f]),
      outageRect(r, f, faultAtMs, y, x, w),
      repliesRow(f, tl.replies[f] ?? [], y, x),
    );
    y += ROW;
  }
  if (r.tcp) {
    parts.push(rowLabel(y, `TCP ${r.tcp.survived && r.tcp.connected ? '' : '(broken)'}`.trim()));
    const s = tl.tcpStall;
    if (s) {
      const a = Math.max(w.fromMs, s.fromMs);
      const b = Math.min(w.toMs, s.toMs);
      parts.push(
        el(
          'rect',
          {
            class: 'mark mark-tcp-stall',
            'data-kind': 'tcp-stall',
            'data-at-ms': s.fromMs,
            x: px(x(a)),
            y: y + 4,
            width: px(Math.max(1, x(b) - x(a))),
            height: ROW - 8,
          },
          el('title', {}, esc(`TCP stall ${s.toMs - s.fromMs} ms`)),
        ),
      );
    }
    y += ROW;
  }
  const inWindow = tl.marks.filter((m) => m.atMs >= w.fromMs && m.atMs <= w.toMs);
  for (const n of nodes) {
    parts.push(
      rowLabel(y, `node ${n}`),
      ...inWindow.filter((m) => m.node === n).map((m) => markShape(m, y, x)),
    );
    y += ROW;
  }
  const bottom = y;
  const masters = inWindow
    .filter((m) => m.kind === 'master')
    .map((m) =>
      el(
        'line',
        {
          class: 'vline vline-master',
          'data-kind': 'master-line',
          'data-node': m.node,
          'data-at-ms': m.atMs,
          x1: px(x(m.atMs)),
          x2: px(x(m.atMs)),
          y1: TOP - 6,
          y2: bottom,
        },
        el('title', {}, esc(m.label)),
      ),
    );
  const fault = el('line', {
    class: 'vline vline-fault',
    'data-kind': 'fault',
    'data-at-ms': 0,
    x1: px(x(0)),
    x2: px(x(0)),
    y1: TOP - 10,
    y2: bottom,
  });
  const faultLabel = el('text', { class: 'fault-label', x: px(x(0) + 3), y: TOP - 6 }, 'fault');
  const height = bottom + AXIS;
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      class: 'timeline',
      'data-router': r.id,
      width: WIDTH,
      height,
      viewBox: `0 0 ${WIDTH} ${height}`,
    },
    axis(bottom, w, x) + parts.join('') + masters.join('') + fault + faultLabel,
  );
}
