import { describe, expect, it } from 'vitest';
import { drillWindow, journalMarks, repliesAfter } from '../../src/drill/timeline.js';
import { drillReport, FAULT, journalA, journalB, replyTimes } from './html-fixture.js';

describe('the drill timeline', () => {
  it('keeps every reply, in whole ms after the fault, in order', () => {
    expect(repliesAfter([FAULT + 20.4, FAULT - 10, FAULT + 5.6], FAULT)).toEqual([-10, 6, 20]);
    const r = drillReport(['r1']).routers[0];
    expect(r?.timeline?.replies.inbound).toHaveLength(replyTimes(400).length);
    expect(r?.timeline?.replies.inbound?.[0]).toBe(-1000);
  });

  it('spans from the first reply to the moment probing stopped', () => {
    expect(drillWindow({ r1: { inbound: [FAULT - 1200, FAULT] } }, FAULT, FAULT + 5000)).toEqual({
      fromMs: -1200,
      toMs: 5000,
    });
    expect(drillReport(['r1']).window).toEqual({ fromMs: -1000, toMs: 3000 });
  });

  it("marks keepalived's MASTER hook, its GARP and repeat, the replay span, the agent's follow-ups, and a BACKUP hook", () => {
    const marks = journalMarks({ a: journalA('r1'), b: journalB('r1') }, FAULT, -1000, {
      masterDelayS: 1,
      followUpsS: [0.5, 2, 10],
    });
    const b = marks.filter((m) => m.node === 'b').map((m) => [m.kind, m.atMs, m.untilMs]);
    expect(b).toEqual([
      ['observed', 340, undefined],
      // The replay ends at its journal line and lasted replayMs.
      ['replay', 340, 370],
      // keepalived's GARP goes out before its hook runs: at the agent's sighting (+340).
      ['garp', 340, undefined],
      ['master', 380, undefined],
      // +0.5 s after the sighting; keepalived's repeat 1 s after its burst; +2 s; the +10 s
      // follow-up is past the journal's end of the schedule (+2400).
      ['garp', 840, undefined],
      ['garp', 1340, undefined],
      ['garp', 2340, undefined],
    ]);
    // a's MASTER hook from a minute before is outside the window; its later BACKUP is in.
    expect(marks.filter((m) => m.node === 'a').map((m) => [m.kind, m.atMs])).toEqual([['backup', 2600]]);
  });

  it('has no GARP follow-ups without the profile, and none before the replay', () => {
    const noPlan = journalMarks({ b: journalB('r1') }, FAULT, -1000, undefined);
    expect(noPlan.filter((m) => m.kind === 'garp').map((m) => m.atMs)).toEqual([340]);
    const early = journalMarks({ b: journalB('r1') }, FAULT, -1000, { masterDelayS: 0, followUpsS: [0] });
    expect(early.filter((m) => m.kind === 'garp').map((m) => m.atMs)).toEqual([340, 370]);
  });

  it("puts keepalived's GARP at the hook when the agent saw nothing before it", () => {
    const hookOnly = journalB('r1').filter((e) => e.event === 'hook');
    const marks = journalMarks({ b: hookOnly }, FAULT, -1000, { masterDelayS: 1, followUpsS: [0.5] });
    expect(marks.map((m) => [m.kind, m.atMs])).toEqual([
      ['master', 380],
      ['garp', 380],
      ['garp', 1380],
    ]);
  });

  it('carries the TCP stall span, and leaves the older report fields as they were', () => {
    const r = drillReport(['r1']).routers[0];
    expect(r?.timeline?.tcpStall).toEqual({ fromMs: -5, toMs: 500 });
    expect(r?.flows.inbound).not.toHaveProperty('replies');
    expect(Object.keys(r?.flows.inbound ?? {}).sort()).toEqual([
      'downtimeMs',
      'lastAnswerAt',
      'lost',
      'outageFrom',
      'outageTo',
      'received',
      'recovered',
      'recoveryMs',
      'sent',
    ]);
  });
});
