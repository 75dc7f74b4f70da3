import { el, esc } from '../render/svg.js';
import { byRecovery, heatStripSvg, recoveryOf } from './html-heat.js';
import { HTML_STYLE } from './html-style.js';
import { timelineSvg } from './html-timeline.js';
import { FLOWS } from './probes.js';
import type { DrillReport, RouterReport } from './report.js';

// A drill report as one self-contained HTML page: inline CSS and SVG, no script, nothing
// fetched. Timelines per router (with more than HEAT_ROUTERS routers, a heat strip of all
// and the timelines of the slowest), then the report's tables and checks. Pure.

export const HEAT_ROUTERS = 20;
export const SLOWEST_SHOWN = 5;

const ms = (v: number | undefined) => (v === undefined ? '-' : `${Math.round(v)} ms`);

function tableHtml(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const th = head.map((h) => el('th', {}, esc(h))).join('');
  const tr = rows.map((r) => el('tr', {}, r.map((c) => el('td', {}, esc(c))).join(''))).join('\n');
  return el('table', {}, `${el('thead', {}, el('tr', {}, th))}\n${el('tbody', {}, tr)}`);
}

function flowsTable(r: DrillReport): string {
  const rows = r.routers.flatMap((rt) =>
    FLOWS.filter((f) => rt.flows[f] !== undefined).map((f) => {
      const x = rt.flows[f];
      return [rt.id, f, String(x.sent), String(x.lost), ms(x.downtimeMs)];
    }),
  );
  return tableHtml(['router', 'flow', 'sent', 'lost', 'downtime'], rows);
}

function routersTable(r: DrillReport): string {
  const rows = r.routers.map((rt) => [
    rt.id,
    rt.tcp ? (rt.tcp.survived && rt.tcp.connected ? 'survived' : 'BROKEN') : '-',
    rt.tcp ? ms(rt.tcp.maxStallMs) : '-',
    rt.newMaster ?? '-',
    ms(rt.faultToMasterMs),
    ms(rt.replayMs),
    ms(rt.splitBrainMs),
  ]);
  return tableHtml(
    ['router', 'TCP', 'TCP stall', 'new MASTER', 'fault → MASTER', 'replay', 'split brain'],
    rows,
  );
}

function checksHtml(r: DrillReport): string {
  const items = r.checks.map((c) =>
    el(
      'li',
      { class: c.ok ? 'ok' : 'fail' },
      `${el('span', { class: 'verdict' }, c.ok ? 'ok' : 'FAIL')} ${esc(c.name)}${c.detail ? ` <span class="detail">(${esc(c.detail)})</span>` : ''}`,
    ),
  );
  return el('ul', { class: 'checks' }, items.join(''));
}

// The nodes that get a row of marks: the victim, the new masters, and any node journalled.
export function nodesOf(r: DrillReport): string[] {
  const names = new Set<string>([r.victim]);
  for (const rt of r.routers) {
    if (rt.newMaster) names.add(rt.newMaster);
    for (const m of rt.timeline?.marks ?? []) names.add(m.node);
  }
  return [...names].sort();
}

const LEGEND = `<p class="legend">
<span class="key key-reply"></span> probe reply
<span class="key key-outage"></span> outage
<span class="key key-fault"></span> fault
<span class="key key-master"></span> keepalived MASTER
<span class="key key-observed"></span> VIP seen by the agent
<span class="key key-backup"></span> BACKUP/FAULT hook
<span class="key key-replay"></span> NAT replay
<span class="key key-garp"></span> GARP burst
<span class="key key-stall"></span> TCP stall
<span class="key key-split"></span> split / heal
</p>`;

function routerSection(rt: RouterReport, r: DrillReport, fault: number, nodes: readonly string[]): string {
  if (!r.window || !rt.timeline) return '';
  const inbound = rt.flows.inbound;
  const master = rt.newMaster
    ? `MASTER on ${rt.newMaster} after ${ms(rt.faultToMasterMs)}`
    : 'no MASTER change on the peer';
  const back = recoveryOf(rt, r.window);
  const caption = `${rt.id}: inbound down ${ms(inbound?.downtimeMs)}, ${Number.isFinite(back) ? `back after ${back} ms` : 'not back'}, ${master}`;
  return el('figure', {}, el('figcaption', {}, esc(caption)) + timelineSvg(rt, r.window, fault, nodes));
}

function pictures(r: DrillReport): string {
  if (!r.window || r.routers.every((rt) => rt.timeline === undefined))
    return '<p class="note">This report has no reply times (it was made by an older l3ha), so there is no timeline.</p>';
  const fault = Date.parse(r.faultAt);
  const nodes = nodesOf(r);
  if (r.routers.length <= HEAT_ROUTERS)
    return `<h2>Timeline</h2>\n${LEGEND}\n${r.routers.map((rt) => routerSection(rt, r, fault, nodes)).join('\n')}`;
  const slowest = byRecovery(r.routers, r.window).slice(-SLOWEST_SHOWN).reverse();
  return [
    `<h2>Outage by router</h2>`,
    `<p class="note">${r.routers.length} routers, one row each, sorted by the time from the fault until every probed flow answered again (fastest at the top); red: a probed flow missed three probes or more.</p>`,
    el('figure', {}, heatStripSvg(r.routers, r.window)),
    `<h2>The ${slowest.length} slowest routers</h2>`,
    LEGEND,
    ...slowest.map((rt) => routerSection(rt, r, fault, nodes)),
  ].join('\n');
}

export function drillHtml(r: DrillReport): string {
  const title = `l3ha drill ${r.scenario}: ${r.ok ? 'PASS' : 'FAIL'}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<h1>drill ${esc(r.scenario)} <span class="${r.ok ? 'pass' : 'failed'}">${r.ok ? 'PASS' : 'FAIL'}</span></h1>
<p class="summary">${esc(r.summary)}</p>
<p class="meta">profile ${esc(r.profile)}, ${r.routers.length} router(s), fault on node ${esc(r.victim)} at ${esc(r.faultAt)}; worst downtime ${esc(ms(r.maxDowntimeMs))}, last flow back ${esc(ms(r.lastRecoveryMs))} after the fault</p>
<h2>Checks</h2>
${checksHtml(r)}
${pictures(r)}
<h2>Flows</h2>
${flowsTable(r)}
<h2>Routers</h2>
${routersTable(r)}
</body>
</html>
`;
}
