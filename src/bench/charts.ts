import { el, esc, linear, px, tickStep, ticks } from '../render/svg.js';

// Two hand-made SVG charts for the bench page: lines over categories, and grouped bars.
// Pure; every value gets one element with data-series and data-value, so tests can find it.

export const CHART_W = 720;
export const CHART_H = 300;
export const PAD = { left: 64, right: 150, top: 24, bottom: 40 } as const;
// Series of a line chart sit this far apart in a category, so their whiskers do not overlap.
export const DODGE = 8;

export interface Series {
  readonly name: string;
  readonly colour: string;
  // One value per category (undefined: not measured), and an optional upper whisker.
  readonly values: readonly (number | undefined)[];
  readonly highs?: readonly (number | undefined)[];
}

// The y scale of a chart whose largest value is max: from 0 to a round value above it.
export function yScale(max: number): { top: number; step: number; y: (v: number) => number } {
  const step = tickStep(max > 0 ? max : 1, 5);
  const top = Math.max(step, Math.ceil((max > 0 ? max : 1) / step) * step);
  return { top, step, y: linear(0, top, CHART_H - PAD.bottom, PAD.top) };
}

// The x of category i of n (points sit at the middle of equal slots).
export const slotX = (i: number, n: number): number =>
  PAD.left + ((i + 0.5) * (CHART_W - PAD.left - PAD.right)) / Math.max(1, n);

function frame(
  categories: readonly string[],
  unit: string,
  top: number,
  step: number,
  y: (v: number) => number,
) {
  const grid = ticks(0, top, step)
    .map(
      (v) =>
        el('line', { class: 'grid', x1: PAD.left, x2: CHART_W - PAD.right, y1: px(y(v)), y2: px(y(v)) }) +
        el('text', { class: 'tick', x: PAD.left - 6, y: px(y(v) + 4), 'text-anchor': 'end' }, esc(`${v}`)),
    )
    .join('');
  const cats = categories
    .map((c, i) =>
      el(
        'text',
        {
          class: 'tick',
          x: px(slotX(i, categories.length)),
          y: CHART_H - PAD.bottom + 16,
          'text-anchor': 'middle',
        },
        esc(c),
      ),
    )
    .join('');
  const yLabel = el(
    'text',
    { class: 'axis-label', x: PAD.left - 6, y: PAD.top - 10, 'text-anchor': 'end' },
    esc(unit),
  );
  return grid + cats + yLabel;
}

function legend(series: readonly Series[]): string {
  return series
    .map((s, i) => {
      const y = PAD.top + 8 + i * 18;
      const x = CHART_W - PAD.right + 14;
      return (
        el('rect', { x, y: y - 8, width: 12, height: 10, fill: s.colour }) +
        el('text', { class: 'legend', x: x + 18, y: y + 1 }, esc(s.name))
      );
    })
    .join('');
}

const svg = (cls: string, body: string) =>
  el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      class: cls,
      width: CHART_W,
      height: CHART_H,
      viewBox: `0 0 ${CHART_W} ${CHART_H}`,
    },
    body,
  );

const allValues = (series: readonly Series[]) =>
  series
    .flatMap((s) => [...s.values, ...(s.highs ?? [])])
    .filter((v): v is number => v !== undefined && Number.isFinite(v));

// Points joined by a line per series; a whisker up to the series' high where it has one.
export function lineChart(categories: readonly string[], series: readonly Series[], unit: string): string {
  const { top, step, y } = yScale(Math.max(0, ...allValues(series)));
  const n = categories.length;
  const body = series
    .map((s, j) => {
      const dx = (j - (series.length - 1) / 2) * DODGE;
      const pts = s.values
        .map((v, i) =>
          v === undefined || !Number.isFinite(v) ? undefined : ([slotX(i, n) + dx, y(v), v, i] as const),
        )
        .filter((p) => p !== undefined);
      const line =
        pts.length > 1
          ? el('polyline', {
              class: 'series-line',
              stroke: s.colour,
              fill: 'none',
              points: pts.map(([x, yy]) => `${px(x)},${px(yy)}`).join(' '),
            })
          : '';
      const whiskers = pts
        .map(([x, yy, , i]) => {
          const hi = s.highs?.[i];
          return hi === undefined || !Number.isFinite(hi)
            ? ''
            : el('line', {
                class: 'whisker',
                'data-series': s.name,
                'data-value': hi,
                stroke: s.colour,
                x1: px(x),
                x2: px(x),
                y1: px(yy),
                y2: px(y(hi)),
              });
        })
        .join('');
      const dots = pts
        .map(([x, yy, v]) =>
          el(
            'circle',
            {
              class: 'point',
              'data-series': s.name,
              'data-value': v,
              fill: s.colour,
              cx: px(x),
              cy: px(yy),
              r: 4,
            },
            el('title', {}, esc(`${s.name}: ${Math.round(v)} ${unit}`)),
          ),
        )
        .join('');
      return line + whiskers + dots;
    })
    .join('');
  return svg('chart chart-line', frame(categories, unit, top, step, y) + body + legend(series));
}

// One group of bars per category, one bar per series.
export function barChart(categories: readonly string[], series: readonly Series[], unit: string): string {
  const { top, step, y } = yScale(Math.max(0, ...allValues(series)));
  const n = categories.length;
  const slot = (CHART_W - PAD.left - PAD.right) / Math.max(1, n);
  const bw = Math.min(60, Math.max(3, (slot * 0.8) / Math.max(1, series.length)));
  const body = categories
    .map((_, i) =>
      series
        .map((s, j) => {
          const v = s.values[i];
          if (v === undefined || !Number.isFinite(v)) return '';
          const x = slotX(i, n) - (bw * series.length) / 2 + j * bw;
          return el(
            'rect',
            {
              class: 'bar',
              'data-series': s.name,
              'data-value': v,
              fill: s.colour,
              x: px(x),
              y: px(y(v)),
              width: px(bw - 1),
              height: px(y(0) - y(v)),
            },
            el('title', {}, esc(`${s.name}: ${Math.round(v * 10) / 10} ${unit}`)),
          );
        })
        .join(''),
    )
    .join('');
  return svg('chart chart-bar', frame(categories, unit, top, step, y) + body + legend(series));
}
