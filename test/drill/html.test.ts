import { describe, expect, it } from 'vitest';
import { drillHtml, HEAT_ROUTERS, SLOWEST_SHOWN } from '../../src/drill/html.js';
import { byRecovery, downSpans, heatStripSvg, recoveryOf, union } from '../../src/drill/html-heat.js';
import type { RouterReport } from '../../src/drill/report.js';
import { drillReport } from './html-fixture.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `r${i + 1}`);

describe('drillHtml', () => {
  const page = drillHtml(drillReport(['r1', 'r2']));

  it('is one self-contained page: no script, nothing fetched', () => {
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(page).not.toMatch(/(src|href)=/i);
    expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('has a timeline per router, the checks and the tables', () => {
    expect(page.match(/<svg [^>]*class="timeline"/g)).toHaveLength(2);
    expect(page).toContain('data-router="r2"');
    expect(page).toContain('every flow answers again');
    expect(page).toMatch(/<td>r1<\/td><td>inbound<\/td><td>\d+<\/td><td>\d+<\/td><td>\d+ ms<\/td>/);
    expect(page).toMatch(
      /<td>r1<\/td><td>survived<\/td><td>505 ms<\/td><td>b<\/td><td>380 ms<\/td><td>30 ms<\/td>/,
    );
    expect(page).toContain('PASS');
  });

  it('escapes what it prints', () => {
    const r = drillReport(['r1']);
    const evil = drillHtml({ ...r, summary: '<b onload="x">&' });
    expect(evil).toContain('&lt;b onload=&quot;x&quot;&gt;&amp;');
  });

  it('says so when a report has no reply times (an older l3ha)', () => {
    const r = drillReport(['r1']);
    const { window: _w, ...old } = r;
    const html = drillHtml({ ...old, routers: r.routers.map(({ timeline: _t, ...rt }) => rt) });
    expect(html).toContain('no reply times');
    expect(html).not.toContain('<svg');
  });

  it(`past ${HEAT_ROUTERS} routers: a heat strip of all, and timelines of the ${SLOWEST_SHOWN} slowest`, () => {
    const html = drillHtml(drillReport(ids(HEAT_ROUTERS + 5), (i) => 300 + ((i * 37) % 25) * 20));
    expect(html.match(/<svg [^>]*class="heat"/g)).toHaveLength(1);
    expect(html.match(/<g class="heat-row"/g)).toHaveLength(HEAT_ROUTERS + 5);
    expect(html.match(/<svg [^>]*class="timeline"/g)).toHaveLength(SLOWEST_SHOWN);
  });
});

describe('the heat strip', () => {
  it('finds the outages in reply times, and the silence at the end', () => {
    const w = { fromMs: -100, toMs: 3000 };
    expect(downSpans([-100, -90, -80, 200, 210, 220], w)).toEqual([
      [-80, 200],
      [220, 3000],
    ]);
    expect(downSpans([], w)).toEqual([[-100, 3000]]);
    expect(
      union([
        [5, 9],
        [0, 6],
        [20, 30],
      ]),
    ).toEqual([
      [0, 9],
      [20, 30],
    ]);
  });

  it("times recovery from the fault's outage, not from a later blip", () => {
    const w = { fromMs: -1000, toMs: 10_000 };
    const at = (replies: number[]) =>
      ({
        ...drillReport(['r1']).routers[0],
        timeline: { replies: { inbound: replies }, marks: [] },
      }) as RouterReport;
    const every = (from: number, to: number) =>
      Array.from({ length: (to - from) / 10 + 1 }, (_, i) => from + i * 10);
    // Untouched by the fault, a 100 ms blip at +8 s while the victim rejoins: recovery 0.
    expect(recoveryOf(at([...every(-1000, 8000), ...every(8100, 10_000)]), w)).toBe(0);
    // Down from -5 to +600, then a blip: back at +600.
    expect(recoveryOf(at([...every(-1000, -10), ...every(600, 8000), ...every(8100, 10_000)]), w)).toBe(600);
    // Never back.
    expect(recoveryOf(at(every(-1000, -10)), w)).toBe(Number.POSITIVE_INFINITY);
  });

  it('sorts rows by recovery time, fastest first', () => {
    const r = drillReport(ids(4), (i) => [700, 300, 900, 500][i] as number);
    const w = r.window ?? { fromMs: 0, toMs: 1 };
    expect(byRecovery(r.routers, w).map((x) => x.id)).toEqual(['r2', 'r4', 'r1', 'r3']);
    // Outbound comes back 50 ms after inbound in the fixture: the router is back when both are.
    expect(r.routers.map((x) => recoveryOf(x, w))).toEqual([750, 350, 950, 550]);
    const svg = heatStripSvg(r.routers, w);
    expect([...svg.matchAll(/<g class="heat-row" data-router="(r\d+)"/g)].map((m) => m[1])).toEqual([
      'r2',
      'r4',
      'r1',
      'r3',
    ]);
    // Each row is red over its outage: one down rect per router (the flows' union).
    expect(svg.match(/class="down"/g)).toHaveLength(4);
  });
});
