import { esc } from '../render/svg.js';
import { barChart, lineChart, type Series } from './charts.js';
import type { DowntimeSample } from './downtime.js';
import { median } from './stats.js';
import { type BenchResults, markdown } from './table.js';

// bench/report.html from bench/results.json: downtime against router count (l3ha, plain
// keepalived, Neutron's defaults), downtime per scenario and profile, steady CPU per 100
// routers, then the markdown tables. One self-contained page, no script. Pure.

const COLOURS = { l3ha: '#0969da', plain: '#bf8700', neutron: '#cf222e', standard: '#8250df' } as const;
const PROFILE_NAMES: Record<string, string> = {
  fast: 'l3ha fast',
  standard: 'l3ha standard',
  baseline: "Neutron's defaults",
};
const PROFILE_COLOURS: Record<string, string> = {
  fast: COLOURS.l3ha,
  standard: COLOURS.standard,
  baseline: COLOURS.neutron,
};

const num = (x: number) => (Number.isFinite(x) ? x : undefined);
const medianInbound = (s: readonly DowntimeSample[] | undefined) =>
  s && s.length > 0 ? num(median(s.map((x) => x.inbound))) : undefined;

// Node-loss downtime by router count: the 1-router drills (median over runs) and the mass
// failovers (median router, whisker to the worst).
export function downtimeByRouters(r: BenchResults): { categories: string[]; series: Series[] } | undefined {
  const one = r.downtime?.fast?.['node-loss'];
  const base = r.downtime?.baseline?.['node-loss'];
  const mass = [...(r.mass ?? [])].sort((a, b) => a.routers - b.routers);
  if (!one && !base && mass.length === 0) return undefined;
  const counts = [...new Set([...(one || base ? [1] : []), ...mass.map((m) => m.routers)])].sort(
    (a, b) => a - b,
  );
  const at = (n: number) => mass.find((m) => m.routers === n);
  const series: Series[] = [
    {
      name: 'l3ha (fast)',
      colour: COLOURS.l3ha,
      values: counts.map((n) => (n === 1 && !at(1) ? medianInbound(one) : at(n)?.l3ha.p50)),
      highs: counts.map((n) => at(n)?.l3ha.worstMs),
    },
    {
      name: 'plain keepalived',
      colour: COLOURS.plain,
      values: counts.map((n) => at(n)?.plain.p50),
      highs: counts.map((n) => at(n)?.plain.worstMs),
    },
    {
      name: "Neutron's defaults",
      colour: COLOURS.neutron,
      values: counts.map((n) => (n === 1 ? medianInbound(base) : undefined)),
    },
  ];
  return {
    categories: counts.map((n) => `${n} router${n === 1 ? '' : 's'}`),
    series: series.filter((s) => s.values.some((v) => v !== undefined)),
  };
}

// Median inbound downtime per scenario, a bar per profile.
export function downtimeByScenario(r: BenchResults): { categories: string[]; series: Series[] } | undefined {
  const d = r.downtime;
  if (!d) return undefined;
  const profiles = Object.keys(d);
  const categories = [...new Set(profiles.flatMap((p) => Object.keys(d[p] ?? {})))];
  if (categories.length === 0) return undefined;
  const series = profiles.map((p) => ({
    name: PROFILE_NAMES[p] ?? p,
    colour: PROFILE_COLOURS[p] ?? '#57606a',
    values: categories.map((sc) => medianInbound(d[p]?.[sc])),
  }));
  return { categories, series };
}

// Steady-state CPU (% of one core) per 100 routers: keepalived by VRRP transport, and the
// agent (with its children, when measured) at each scale.
export function cpuPer100(r: BenchResults): { categories: string[]; series: Series[] } | undefined {
  const rows: [string, number][] = [];
  for (const t of r.transport ?? [])
    if (t.routers > 0) rows.push([`keepalived ${t.transport}`, (t.keepalivedCpuPercent / t.routers) * 100]);
  for (const s of r.scale ?? []) {
    if (s.routers <= 0) continue;
    rows.push([
      `agent, ${s.routers} routers`,
      ((s.agentWithChildrenCpuPercent ?? s.agentCpuPercent) / s.routers) * 100,
    ]);
    if (s.keepalivedCpuPercent !== undefined)
      rows.push([`keepalived, ${s.routers} routers`, (s.keepalivedCpuPercent / s.routers) * 100]);
  }
  if (rows.length === 0) return undefined;
  return {
    categories: rows.map(([c]) => c),
    series: [{ name: 'CPU per 100 routers', colour: COLOURS.l3ha, values: rows.map(([, v]) => v) }],
  };
}

function section(title: string, note: string, chart: string | undefined): string {
  if (chart === undefined) return `<h2>${esc(title)}</h2>\n<p class="note">Not measured in this run.</p>`;
  return `<h2>${esc(title)}</h2>\n<p class="note">${esc(note)}</p>\n<figure>${chart}</figure>`;
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1b1f24; background: #fff; max-width: 960px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 22px 0 6px; border-bottom: 1px solid #d0d7de; }
.note { color: #57606a; margin: 2px 0; } figure { margin: 8px 0; }
pre { background: #f6f8fa; padding: 8px; font-size: 12px; white-space: pre-wrap; }
svg text { font: 11px system-ui, sans-serif; fill: #57606a; } svg .legend { fill: #1b1f24; }
svg .grid { stroke: #eaeef2; } svg .series-line { stroke-width: 2; } svg .whisker { stroke-width: 2; stroke-dasharray: 3 2; }
`;

export function benchHtml(r: BenchResults): string {
  const byRouters = downtimeByRouters(r);
  const byScenario = downtimeByScenario(r);
  const cpu = cpuPer100(r);
  const m = r.machine;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>l3ha bench ${esc(r.date)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>l3ha bench, ${esc(r.date)}</h1>
<p class="note">${esc(`${m.cpus ?? '?'} × ${m.cpuModel ?? '?'}, ${m.memGiB ?? '?'} GiB, kernel ${m.kernel ?? '?'}, Node ${m.node ?? '?'}, ${m.keepalived ?? ''}`)}</p>
${section('Downtime against router count (node loss)', 'Inbound downtime after a power cut of the MASTER node, ms: the median router (dot) and the worst (dashed whisker). One router: the median of the runs; Neutron defaults were measured at one router.', byRouters && lineChart(byRouters.categories, byRouters.series, 'ms'))}
${section('Downtime per scenario and profile', 'Median inbound downtime of one router, ms.', byScenario && barChart(byScenario.categories, byScenario.series, 'ms'))}
${section('Steady CPU per 100 routers', 'Percent of one core per 100 routers, with nothing failing.', cpu && barChart(cpu.categories, cpu.series, '%'))}
<h2>Tables</h2>
<pre>${esc(markdown(r))}</pre>
</body>
</html>
`;
}
