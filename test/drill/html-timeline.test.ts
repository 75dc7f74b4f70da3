import { describe, expect, it } from 'vitest';
import { LEFT, RIGHT, timelineSvg, timelineX, WIDTH } from '../../src/drill/html-timeline.js';
import { drillReport, FAULT, replyTimes } from './html-fixture.js';

// The timeline SVG: one tick per probe reply, marks where the journal and the TCP stream
// put them. x is linear from the window's start (LEFT) to its end (WIDTH - RIGHT).

const report = drillReport(['r1']);
const r1 = report.routers[0];
if (!r1 || !report.window) throw new Error('fixture has no timeline');
const svg = timelineSvg(r1, report.window, FAULT, ['a', 'b']);
const x = timelineX(report.window);
const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1];
const tags = (re: RegExp) => [...svg.matchAll(re)].map((m) => m[0]);
const tenth = (v: number) => Math.round(v * 10) / 10;
const near = (a: string | undefined, b: number) => expect(Number(a)).toBeCloseTo(b, 0);

describe('timelineSvg', () => {
  it('maps the window onto the plot: its start at the left margin, its end at the right', () => {
    expect(x(report.window?.fromMs ?? 0)).toBe(LEFT);
    expect(x(report.window?.toMs ?? 0)).toBe(WIDTH - RIGHT);
    // -1000 .. +3000 ms: the fault is a quarter of the way along.
    expect(x(0)).toBeCloseTo(LEFT + (WIDTH - RIGHT - LEFT) / 4, 6);
  });

  it('draws one tick per probe reply, per flow', () => {
    const paths = tags(/<path class="replies"[^>]*>/g);
    expect(paths).toHaveLength(3);
    const expected: Record<string, number> = {
      inbound: replyTimes(400).length,
      outFloating: replyTimes(450).length,
      outSnat: replyTimes(450).length,
    };
    for (const p of paths) {
      const flow = attr(p, 'data-flow') as string;
      const d = attr(p, 'd') ?? '';
      expect((d.match(/M/g) ?? []).length, flow).toBe(expected[flow]);
      expect(attr(p, 'data-replies')).toBe(String(expected[flow]));
    }
  });

  it('puts each tick at its reply time', () => {
    const p = tags(/<path class="replies" data-flow="inbound"[^>]*>/g)[0] ?? '';
    const xs = [...(attr(p, 'd') ?? '').matchAll(/M([\d.]+) /g)].map((m) => Number(m[1]));
    const want = (r1.timeline?.replies.inbound ?? []).map(x);
    expect(xs).toEqual(want.map(tenth));
    // No tick inside the outage (0 .. +400 ms).
    expect(xs.filter((v) => v > x(0) + 0.1 && v < x(400) - 0.1)).toEqual([]);
  });

  it('puts the fault line at 0 and the MASTER change at its hook time', () => {
    const fault = tags(/<line[^>]*data-kind="fault"[^>]*>/g);
    expect(fault).toHaveLength(1);
    near(attr(fault[0] ?? '', 'x1'), x(0));
    const master = tags(/<line[^>]*data-kind="master"[^>]*>/g);
    expect(master.map((m) => attr(m, 'data-node'))).toEqual(['b']);
    near(attr(master[0] ?? '', 'x1'), x(380));
    const line = tags(/<line[^>]*data-kind="master-line"[^>]*>/g);
    near(attr(line[0] ?? '', 'x1'), x(380));
    const backup = tags(/<line[^>]*data-kind="backup"[^>]*>/g);
    expect(backup.map((m) => attr(m, 'data-node'))).toEqual(['a']);
    near(attr(backup[0] ?? '', 'x1'), x(2600));
  });

  it('spans the replay and the TCP stall, and ticks each GARP burst', () => {
    const replay = tags(/<rect[^>]*data-kind="replay"[^>]*>/g)[0] ?? '';
    near(attr(replay, 'x'), x(340));
    near(attr(replay, 'width'), Math.max(2, x(370) - x(340)));
    const stall = tags(/<rect[^>]*data-kind="tcp-stall"[^>]*>/g)[0] ?? '';
    near(attr(stall, 'x'), x(-5));
    near(attr(stall, 'width'), x(500) - x(-5));
    const garps = tags(/<line[^>]*data-kind="garp"[^>]*>/g).map((g) => Number(attr(g, 'x1')));
    const want = [340, 840, 1340, 2340].map(x);
    expect(garps).toEqual(want.map(tenth));
  });

  it('has a nonzero size, and draws nothing for a router without a timeline', () => {
    const svgTag = /<svg[^>]*>/.exec(svg)?.[0] ?? '';
    expect(Number(attr(svgTag, 'width'))).toBe(WIDTH);
    expect(Number(attr(svgTag, 'height'))).toBeGreaterThan(100);
    const { timeline: _t, ...old } = r1;
    expect(timelineSvg(old, report.window ?? { fromMs: 0, toMs: 1 }, FAULT, ['a', 'b'])).toBe('');
  });
});
