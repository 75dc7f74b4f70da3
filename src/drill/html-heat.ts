import { el, esc, px, tickStep, ticks } from '../render/svg.js';
import { LEFT, RIGHT, seconds, timelineX, WIDTH, type Window } from './html-timeline.js';
import { FAULT_SLACK_MS, OUTAGE_GAP_MS, SILENT_AT_END_MS } from './ping.js';
import { FLOWS } from './probes.js';
import type { RouterReport } from './report.js';

// The many-router view: one row per router, red where any of its probed flows was down
// (three missed probes or more), sorted by recovery from the fault's outage, slowest last. Pure.

export type Span = readonly [number, number];

// When a flow was down, ms after the fault: each gap between replies longer than an
// outage gap, and the silence at the end when it had not answered again; all of the
// window when it never answered.
export function downSpans(times: readonly number[], w: Window): Span[] {
  if (times.length === 0) return [[w.fromMs, w.toMs]];
  const out: Span[] = [];
  for (let i = 1; i < times.length; i++) {
    const a = times[i - 1] as number;
    const b = times[i] as number;
    if (b - a > OUTAGE_GAP_MS) out.push([a, b]);
  }
  const last = times[times.length - 1] as number;
  if (w.toMs - last > SILENT_AT_END_MS) out.push([last, w.toMs]);
  return out;
}

// The union of spans, in order.
export function union(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const top = out[out.length - 1];
    if (top && a <= top[1]) top[1] = Math.max(top[1], b);
    else out.push([a, b]);
  }
  return out;
}

// When a router was down, ms after the fault: the union over its probed flows.
export function routerSpans(r: RouterReport, w: Window): Span[] {
  const tl = r.timeline;
  if (!tl) return [];
  return union(FLOWS.flatMap((f) => (tl.replies[f] ? downSpans(tl.replies[f] ?? [], w) : [])));
}

// A router's recovery: ms from the fault until every probed flow answered again after the
// fault's outage (0: the fault did not stop it; Infinity: it had not come back by the end).
export function recoveryOf(r: RouterReport, w: Window): number {
  const s = routerSpans(r, w)
    .filter(([a, b]) => b > 0 && a <= FAULT_SLACK_MS)
    .at(-1);
  if (!s) return 0;
  return s[1] >= w.toMs ? Number.POSITIVE_INFINITY : Math.round(s[1]);
}

export function byRecovery(routers: readonly RouterReport[], w: Window): RouterReport[] {
  const rec = new Map(routers.map((r) => [r, recoveryOf(r, w)]));
  return [...routers].sort(
    (a, b) =>
      (rec.get(a) as number) - (rec.get(b) as number) || Number(a.id.slice(1)) - Number(b.id.slice(1)),
  );
}

export function heatStripSvg(routers: readonly RouterReport[], w: Window): string {
  const x = timelineX(w);
  const rows = byRecovery(routers, w);
  const h = Math.max(3, Math.min(12, Math.floor(720 / Math.max(1, rows.length))));
  const top = 10;
  const parts: string[] = [];
  rows.forEach((r, i) => {
    const y = top + i * h;
    const spans = routerSpans(r, w).map(([a, b]) => [Math.max(a, w.fromMs), Math.min(b, w.toMs)] as const);
    const rec = recoveryOf(r, w);
    const label = `${r.id}: ${Number.isFinite(rec) ? `back after ${rec} ms` : 'not back'}`;
    const cells = spans
      .filter(([a, b]) => b > a)
      .map(([a, b]) =>
        el('rect', { class: 'down', x: px(x(a)), y, width: px(Math.max(1, x(b) - x(a))), height: h }),
      )
      .join('');
    parts.push(
      el(
        'g',
        { class: 'heat-row', 'data-router': r.id, 'data-recovery-ms': Number.isFinite(rec) ? rec : 'none' },
        el('title', {}, esc(label)) +
          el('rect', { class: 'up', x: LEFT, y, width: WIDTH - LEFT - RIGHT, height: h }) +
          cells +
          (h >= 8
            ? el('text', { class: 'row-label', x: LEFT - 6, y: y + h - 1, 'text-anchor': 'end' }, esc(r.id))
            : ''),
      ),
    );
  });
  const bottom = top + rows.length * h;
  const axis = ticks(w.fromMs, w.toMs, tickStep(w.toMs - w.fromMs, 10))
    .map(
      (t) =>
        el('line', { class: 'grid', x1: px(x(t)), x2: px(x(t)), y1: bottom, y2: bottom + 4 }) +
        el('text', { class: 'tick', x: px(x(t)), y: bottom + 16, 'text-anchor': 'middle' }, esc(seconds(t))),
    )
    .join('');
  const fault = el('line', {
    class: 'vline vline-fault',
    'data-kind': 'fault',
    x1: px(x(0)),
    x2: px(x(0)),
    y1: 0,
    y2: bottom,
  });
  const height = bottom + 22;
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      class: 'heat',
      width: WIDTH,
      height,
      viewBox: `0 0 ${WIDTH} ${height}`,
    },
    parts.join('') +
      axis +
      fault +
      (h < 8
        ? el('text', { class: 'row-label', x: LEFT - 6, y: top + 8, 'text-anchor': 'end' }, 'fastest') +
          el('text', { class: 'row-label', x: LEFT - 6, y: bottom, 'text-anchor': 'end' }, 'slowest')
        : ''),
  );
}
