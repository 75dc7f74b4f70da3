import { describe, expect, it } from 'vitest';
import { CHART_H, DODGE, PAD, slotX, yScale } from '../../src/bench/charts.js';
import type { DowntimeSample } from '../../src/bench/downtime.js';
import type { MassResult, MassRow } from '../../src/bench/mass.js';
import { benchHtml, cpuPer100, downtimeByRouters, downtimeByScenario } from '../../src/bench/report-html.js';
import type { ScaleResult } from '../../src/bench/scale.js';
import type { BenchResults } from '../../src/bench/table.js';

// The bench page draws what bench/results.json says: points and bars with the sample
// medians, at the positions the scales give.

const s = (inbound: number): DowntimeSample => ({
  inbound,
  outFloating: inbound,
  outSnat: inbound,
  tcpStall: inbound,
  tcpSurvived: true,
  lost: 0,
  faultToMasterMs: 100,
  replayMs: 5,
});
const row = (p50: number, worstMs: number): MassRow => ({
  downtimes: [p50, worstMs],
  worstMs,
  p50,
  p90: worstMs,
  lostProbes: 0,
  notRecovered: 0,
  noSummary: 0,
  victim: 'a',
  ok: true,
});
const mass = (routers: number, l: [number, number], p: [number, number]): MassResult => ({
  routers,
  labUpSeconds: 10,
  l3ha: row(...l),
  plain: row(...p),
  worstRatio: l[1] / p[1],
});
const scale = (routers: number, agentCpuPercent: number, keepalivedCpuPercent: number): ScaleResult => ({
  routers,
  buildSeconds: 60,
  convergedSeconds: 70,
  agentRssMiB: 90,
  agentCpuPercent,
  keepalivedCpuPercent,
  windowSeconds: 30,
  keepalivedPssMiBPerRouter: 1.2,
  keepalivedRssMiBPerRouter: 3.4,
  changeSeconds: 1.5,
  routersTouchedByChange: ['r1'],
  agentHeap: undefined,
});

const full: BenchResults = {
  date: '2026-12-03',
  machine: {
    cpus: 2,
    cpuModel: 'test cpu',
    memGiB: 24,
    kernel: 'k',
    node: 'v20',
    keepalived: 'Keepalived v2.2.7',
  },
  seconds: 600,
  runs: 3,
  downtime: {
    fast: { 'node-loss': [s(400), s(300), s(350)], graceful: [s(50), s(70), s(60)] },
    standard: { 'node-loss': [s(3500), s(3600), s(3400)], graceful: [s(900), s(800), s(1000)] },
    baseline: { 'node-loss': [s(7000), s(7200), s(6800)] },
  },
  mass: [mass(100, [900, 1500], [1200, 4000]), mass(10, [500, 800], [600, 900])],
  transport: [
    {
      transport: 'unicast',
      routers: 100,
      keepalivedCpuPercent: 14,
      splitBrainRouterSeconds: 0,
      maxRoutersWithTwoMasters: 0,
      samples: 20,
      converged: true,
    },
    {
      transport: 'multicast',
      routers: 100,
      keepalivedCpuPercent: 180,
      splitBrainRouterSeconds: 9,
      maxRoutersWithTwoMasters: 3,
      samples: 20,
      converged: false,
    },
  ],
  scale: [scale(500, 10, 40)],
};

const points = (svg: string, series: string) =>
  [
    ...svg.matchAll(
      new RegExp(
        `<circle class="point" data-series="${series}" data-value="([\\d.]+)"[^>]* cx="([\\d.]+)" cy="([\\d.]+)"`,
        'g',
      ),
    ),
  ].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);

describe('bench report', () => {
  it('puts node-loss downtime against router count: 1 router from the drills, the rest from mass failovers', () => {
    const d = downtimeByRouters(full);
    expect(d?.categories).toEqual(['1 router', '10 routers', '100 routers']);
    expect(d?.series.map((x) => [x.name, x.values])).toEqual([
      ['l3ha (fast)', [350, 500, 900]],
      ['plain keepalived', [undefined, 600, 1200]],
      ["Neutron's defaults", [7000, undefined, undefined]],
    ]);
    expect(d?.series[0]?.highs).toEqual([undefined, 800, 1500]);
  });

  it('draws a point per value at its category and height', () => {
    const html = benchHtml(full);
    const { y } = yScale(7000);
    const l3ha = points(html, 'l3ha \\(fast\\)');
    expect(l3ha.map(([v]) => v)).toEqual([350, 500, 900]);
    // Three series dodge around the slot's middle: l3ha is the first, one DODGE to the left.
    for (const [i, [v, cx, cy]] of l3ha.entries()) {
      expect(cx).toBeCloseTo(slotX(i, 3) - DODGE, 0);
      expect(cy).toBeCloseTo(y(v as number), 0);
    }
    expect(points(html, 'plain keepalived')).toHaveLength(2);
    expect(points(html, 'Neutron&#39;s defaults')).toHaveLength(1);
    expect(html.match(/class="whisker"/g)).toHaveLength(4);
  });

  it('has a bar per scenario and profile, as tall as its median', () => {
    const d = downtimeByScenario(full);
    expect(d?.categories).toEqual(['node-loss', 'graceful']);
    expect(d?.series.map((x) => [x.name, x.values])).toEqual([
      ['l3ha fast', [350, 60]],
      ['l3ha standard', [3500, 900]],
      ["Neutron's defaults", [7000, undefined]],
    ]);
    const html = benchHtml(full);
    const bars = [
      ...html.matchAll(
        /<rect class="bar" data-series="([^"]+)" data-value="([\d.]+)"[^>]* height="([\d.]+)"/g,
      ),
    ];
    const perScenario = bars.filter((b) =>
      ['l3ha fast', 'l3ha standard', 'Neutron&#39;s defaults'].includes(b[1] as string),
    );
    expect(perScenario).toHaveLength(5);
    const { y } = yScale(7000);
    for (const b of perScenario) expect(Number(b[3])).toBeCloseTo(CHART_H - PAD.bottom - y(Number(b[2])), 0);
  });

  it('gives steady CPU per 100 routers for keepalived by transport and for the agent at scale', () => {
    expect(cpuPer100(full)?.categories).toEqual([
      'keepalived unicast',
      'keepalived multicast',
      'agent, 500 routers',
      'keepalived, 500 routers',
    ]);
    const values = cpuPer100(full)?.series[0]?.values ?? [];
    expect(values).toHaveLength(4);
    for (const [i, want] of [14, 180, 2, 8].entries()) expect(values[i]).toBeCloseTo(want, 6);
  });

  it('says what was not measured, and is one page with no script and nothing fetched', () => {
    const html = benchHtml({ ...full, downtime: undefined, transport: undefined, scale: undefined });
    expect(html.match(/Not measured in this run/g)).toHaveLength(2);
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html).not.toMatch(/<script|<link|<img|(src|href)=|url\(/i);
    expect(html).toContain('### Mass failover');
    expect(
      benchHtml({
        ...full,
        mass: undefined,
        downtime: undefined,
        transport: undefined,
        scale: undefined,
      }).match(/<svg /g),
    ).toBeNull();
  });
});
