import { describe, expect, it } from 'vitest';
import type { FlowResult } from '../../src/drill/ping.js';
import type { FlowName, ProbeResults, TcpResult } from '../../src/drill/probes.js';
import { buildReport, formatReport, type ReportInput } from '../../src/drill/report.js';
import { type Scenario, scenario } from '../../src/drill/scenarios.js';
import type { JournalEntry } from '../../src/transitions/journal.js';

// buildReport is pure: probe results and journals go in, a report with checks comes out.
// Times are relative to FAULT; the victim is node a, the peer is node b.

const FAULT = Date.parse('2026-03-01T12:00:00.000Z');
const STOPPED = FAULT + 10_000;
const iso = (dt: number) => new Date(FAULT + dt).toISOString();

function sc(name: string): Scenario {
  const s = scenario(name);
  if (!s) throw new Error(`no scenario ${name}`);
  return s;
}

function flow(over: Partial<FlowResult> = {}): FlowResult {
  return {
    sent: 1000,
    received: 970,
    lost: 30,
    downtimeMs: 310,
    outageFrom: FAULT - 5,
    outageTo: FAULT + 305,
    lastAnswerAt: STOPPED - 10,
    recoveryMs: 305,
    recovered: true,
    ...over,
  };
}

function flows(over: Partial<Record<FlowName, Partial<FlowResult>>> = {}): Record<FlowName, FlowResult> {
  return {
    inbound: flow(over.inbound),
    outFloating: flow(over.outFloating),
    outSnat: flow(over.outSnat),
  };
}

function tcp(over: Partial<TcpResult> = {}): TcpResult {
  return { connected: true, survived: true, maxStallMs: 400, sent: 900, echoed: 900, error: '', ...over };
}

const hook = (router: string, dt: number, to = 'MASTER'): JournalEntry => ({
  time: iso(dt),
  event: 'hook',
  router,
  from: to === 'MASTER' ? 'BACKUP' : 'MASTER',
  to,
  source: 'hook',
});
const replay = (router: string, dt: number, replayMs: number): JournalEntry => ({
  time: iso(dt),
  event: 'replay',
  router,
  replayMs,
});
const split = (router: string, dt: number): JournalEntry => ({ time: iso(dt), event: 'split', router });
const heal = (router: string, dt: number): JournalEntry => ({ time: iso(dt), event: 'heal', router });

// A clean node-loss drill over the given routers: b takes over each at +900 ms.
function input(over: Partial<ReportInput> = {}, ids: readonly string[] = ['r1']): ReportInput {
  const probes: ProbeResults = {
    flows: Object.fromEntries(ids.map((id) => [id, flows()])),
    tcp: Object.fromEntries(ids.map((id) => [id, tcp()])),
  };
  return {
    scenario: sc('node-loss'),
    profile: 'fast',
    victim: 'a',
    faultAt: FAULT,
    stoppedAt: STOPPED,
    probes,
    journals: {
      a: Object.fromEntries(ids.map((id) => [id, [hook(id, -60_000)]])),
      b: Object.fromEntries(ids.map((id) => [id, [hook(id, 900), replay(id, 920, 35)]])),
    },
    oneMasterAfter: true,
    maxDowntimeMs: undefined,
    tcp: true,
    ...over,
  };
}

const withFlows = (
  flowsById: Record<string, Record<FlowName, FlowResult>>,
  over: Partial<ReportInput> = {},
) => {
  const base = input(over, Object.keys(flowsById));
  return { ...base, probes: { ...base.probes, flows: flowsById } };
};

const check = (r: ReturnType<typeof buildReport>, name: string) => r.checks.find((c) => c.name === name);

describe('buildReport: who took over', () => {
  it('names the peer whose MASTER hook came first after the fault, and times it from the fault', () => {
    const r = buildReport(input());
    const r1 = r.routers[0];
    expect(r1?.newMaster).toBe('b');
    expect(r1?.faultToMasterMs).toBe(900);
    expect(r1?.replayMs).toBe(35);
  });

  it('takes the replay time from the first replay on the new MASTER since the fault', () => {
    const r = buildReport(
      input({
        journals: {
          a: { r1: [replay('r1', 950, 999)] },
          b: {
            r1: [replay('r1', -4000, 111), hook('r1', 900), replay('r1', 940, 22), replay('r1', 5000, 77)],
          },
        },
      }),
    );
    expect(r.routers[0]?.replayMs).toBe(22);
  });

  it("counts a replay that came before keepalived's hook line (the agent saw the VIP first)", () => {
    const r = buildReport(
      input({ journals: { a: { r1: [] }, b: { r1: [replay('r1', 350, 28), hook('r1', 700)] } } }),
    );
    expect(r.routers[0]?.replayMs).toBe(28);
  });

  it('ignores a MASTER hook from before the fault', () => {
    const r = buildReport(
      input({ journals: { a: { r1: [] }, b: { r1: [hook('r1', -3000), hook('r1', 1200)] } } }),
    );
    expect(r.routers[0]?.newMaster).toBe('b');
    expect(r.routers[0]?.faultToMasterMs).toBe(1200);
  });

  it('reports no new master when the only MASTER hook predates the fault', () => {
    const r = buildReport(input({ journals: { a: { r1: [] }, b: { r1: [hook('r1', -3000)] } } }));
    expect(r.routers[0]?.newMaster).toBeUndefined();
    expect(r.routers[0]?.faultToMasterMs).toBeUndefined();
    expect(r.routers[0]?.replayMs).toBeUndefined();
  });

  it('counts a MASTER hook at the very moment of the fault', () => {
    const r = buildReport(input({ journals: { a: { r1: [] }, b: { r1: [hook('r1', 0)] } } }));
    expect(r.routers[0]?.newMaster).toBe('b');
    expect(r.routers[0]?.faultToMasterMs).toBe(0);
  });

  it('does not credit the victim with taking over, even when its hook comes first', () => {
    const r = buildReport(
      input({
        journals: { a: { r1: [hook('r1', 100)] }, b: { r1: [hook('r1', 900), replay('r1', 930, 30)] } },
      }),
    );
    expect(r.routers[0]?.newMaster).toBe('b');
    expect(r.routers[0]?.faultToMasterMs).toBe(900);
    expect(r.routers[0]?.replayMs).toBe(30);
  });

  it('ignores hooks to BACKUP', () => {
    const r = buildReport(input({ journals: { a: { r1: [] }, b: { r1: [hook('r1', 500, 'BACKUP')] } } }));
    expect(r.routers[0]?.newMaster).toBeUndefined();
  });

  it('keeps each router to its own journal', () => {
    const r = buildReport(
      input(
        {
          journals: {
            a: { r1: [], r2: [] },
            b: { r1: [hook('r1', 700)], r2: [hook('r2', 1900)] },
          },
        },
        ['r1', 'r2'],
      ),
    );
    expect(r.routers.map((x) => [x.id, x.faultToMasterMs])).toEqual([
      ['r1', 700],
      ['r2', 1900],
    ]);
  });
});

describe('buildReport: split brain', () => {
  it('measures split brain from the first split to the last heal after the fault', () => {
    const r = buildReport(
      input({
        scenario: sc('ha-partition'),
        journals: {
          a: { r1: [split('r1', -9000), heal('r1', -8000), split('r1', 2000), heal('r1', 6000)] },
          b: { r1: [split('r1', 2300), heal('r1', 6500)] },
        },
      }),
    );
    expect(r.routers[0]?.splitBrainMs).toBe(4500);
    expect(r.splitBrainMs).toBe(4500);
  });

  it('reports no split brain without a heal', () => {
    const r = buildReport(
      input({ scenario: sc('ha-partition'), journals: { a: { r1: [split('r1', 2000)] }, b: { r1: [] } } }),
    );
    expect(r.routers[0]?.splitBrainMs).toBeUndefined();
    expect(r.splitBrainMs).toBeUndefined();
  });

  it('gives the worst router as the split brain of the drill', () => {
    const r = buildReport(
      input(
        {
          scenario: sc('ha-partition'),
          journals: {
            a: { r1: [split('r1', 2000), heal('r1', 3000)], r2: [split('r2', 2000), heal('r2', 7000)] },
            b: { r1: [], r2: [] },
          },
        },
        ['r1', 'r2'],
      ),
    );
    expect(r.routers.map((x) => x.splitBrainMs)).toEqual([1000, 5000]);
    expect(r.splitBrainMs).toBe(5000);
  });

  it('passes the ha-partition check only when every router reported a split and a heal', () => {
    const journals = (r2: JournalEntry[]) => ({
      a: { r1: [split('r1', 2000), heal('r1', 6000)], r2 },
      b: { r1: [], r2: [] },
    });
    const healed = buildReport(
      input({ scenario: sc('ha-partition'), journals: journals([split('r2', 2000), heal('r2', 6000)]) }, [
        'r1',
        'r2',
      ]),
    );
    expect(check(healed, 'split brain reported and healed')).toEqual({
      name: 'split brain reported and healed',
      ok: true,
      detail: '2/2 routers',
    });
    const missing = buildReport(
      input({ scenario: sc('ha-partition'), journals: journals([split('r2', 2000)]) }, ['r1', 'r2']),
    );
    expect(check(missing, 'split brain reported and healed')).toMatchObject({
      ok: false,
      detail: '1/2 routers',
    });
    expect(missing.ok).toBe(false);
  });

  it('has no split-brain check in a scenario that does not expect one', () => {
    expect(check(buildReport(input()), 'split brain reported and healed')).toBeUndefined();
  });
});

describe('buildReport: checks', () => {
  it('passes every check of a clean node-loss drill', () => {
    const r = buildReport(input({ maxDowntimeMs: 2000 }));
    expect(r.checks.map((c) => [c.name, c.ok])).toEqual([
      ['every flow answers again', true],
      ['downtime within 2000 ms', true],
      ['TCP streams survive', true],
      ['the peer took over', true],
      ['exactly one MASTER per router afterwards', true],
    ]);
    expect(r.ok).toBe(true);
  });

  it('fails "every flow answers again" when a flow last answered more than 1.5 s before the stop', () => {
    const r = buildReport(
      withFlows({ r1: flows(), r2: flows({ outSnat: { lastAnswerAt: STOPPED - 1501 } }) }),
    );
    expect(check(r, 'every flow answers again')).toEqual({
      name: 'every flow answers again',
      ok: false,
      detail: 'r2/outSnat',
    });
    expect(r.ok).toBe(false);
  });

  it('accepts a flow that last answered exactly 1.5 s before the stop', () => {
    const r = buildReport(withFlows({ r1: flows({ inbound: { lastAnswerAt: STOPPED - 1500 } }) }));
    expect(check(r, 'every flow answers again')).toEqual({
      name: 'every flow answers again',
      ok: true,
      detail: '3 flows',
    });
  });

  it('fails "every flow answers again" when a flow never answered', () => {
    const r = buildReport(withFlows({ r1: flows({ outFloating: { lastAnswerAt: undefined } }) }));
    expect(check(r, 'every flow answers again')).toMatchObject({ ok: false, detail: 'r1/outFloating' });
  });

  it('checks the downtime only when a limit is given', () => {
    const r = buildReport(input({ maxDowntimeMs: undefined }));
    expect(r.checks.some((c) => c.name.startsWith('downtime within'))).toBe(false);
  });

  it('fails the downtime check when the worst flow exceeds the limit', () => {
    const f = { r1: flows({ outFloating: { downtimeMs: 501 } }) };
    const over = buildReport(withFlows(f, { maxDowntimeMs: 500 }));
    expect(check(over, 'downtime within 500 ms')).toEqual({
      name: 'downtime within 500 ms',
      ok: false,
      detail: 'worst 501 ms',
    });
    expect(over.ok).toBe(false);
    const at = buildReport(withFlows(f, { maxDowntimeMs: 501 }));
    expect(check(at, 'downtime within 501 ms')?.ok).toBe(true);
  });

  it('fails agent-crash when any probe was lost', () => {
    const clean = flows({ inbound: { lost: 0 }, outFloating: { lost: 0 }, outSnat: { lost: 0 } });
    const quiet = { a: { r1: [] }, b: { r1: [] } };
    const ok = buildReport(withFlows({ r1: clean }, { scenario: sc('agent-crash'), journals: quiet }));
    expect(check(ok, 'no probe lost')).toEqual({ name: 'no probe lost', ok: true, detail: '0 lost' });
    expect(ok.ok).toBe(true);
    const one = buildReport(
      withFlows(
        { r1: clean, r2: flows({ inbound: { lost: 0 }, outFloating: { lost: 1 }, outSnat: { lost: 0 } }) },
        { scenario: sc('agent-crash'), journals: quiet },
      ),
    );
    expect(check(one, 'no probe lost')).toEqual({ name: 'no probe lost', ok: false, detail: '1 lost' });
    expect(one.ok).toBe(false);
  });

  it('does not require lossless probes when the scenario expects an outage', () => {
    expect(check(buildReport(input()), 'no probe lost')).toBeUndefined();
  });

  it('does not require a takeover in agent-crash', () => {
    const r = buildReport(input({ scenario: sc('agent-crash'), journals: { a: { r1: [] }, b: { r1: [] } } }));
    expect(check(r, 'the peer took over')).toBeUndefined();
  });

  it('fails the TCP check for a stream that did not survive', () => {
    const base = input({}, ['r1', 'r2']);
    const r = buildReport({
      ...base,
      probes: {
        ...base.probes,
        tcp: { r1: tcp(), r2: tcp({ survived: false, error: 'ECONNRESET' }) },
      },
    });
    expect(check(r, 'TCP streams survive')).toEqual({
      name: 'TCP streams survive',
      ok: false,
      detail: 'r2: ECONNRESET',
    });
    expect(r.ok).toBe(false);
  });

  it('fails the TCP check for a stream that never connected or has no result', () => {
    const base = input({}, ['r1', 'r2']);
    const r = buildReport({ ...base, probes: { ...base.probes, tcp: { r1: tcp({ connected: false }) } } });
    expect(check(r, 'TCP streams survive')).toMatchObject({ ok: false, detail: 'r1: closed, r2: closed' });
  });

  it('leaves TCP out when the drill ran without TCP streams', () => {
    const base = input({ tcp: false });
    const r = buildReport({ ...base, probes: { ...base.probes, tcp: {} } });
    expect(check(r, 'TCP streams survive')).toBeUndefined();
    expect(r.ok).toBe(true);
  });

  it('fails "the peer took over" without a MASTER hook on the peer', () => {
    const r = buildReport(input({ journals: { a: { r1: [hook('r1', 400)] }, b: { r1: [] } } }));
    expect(check(r, 'the peer took over')).toEqual({
      name: 'the peer took over',
      ok: false,
      detail: 'no MASTER hook on the peer',
    });
    expect(r.ok).toBe(false);
  });

  it('describes the takeover it saw', () => {
    expect(check(buildReport(input()), 'the peer took over')?.detail).toBe('r1 MASTER on b after 900 ms');
  });

  it('fails when the routers do not end with exactly one MASTER each', () => {
    const r = buildReport(input({ oneMasterAfter: false }));
    expect(check(r, 'exactly one MASTER per router afterwards')?.ok).toBe(false);
    expect(r.checks.filter((c) => !c.ok)).toHaveLength(1);
    expect(r.ok).toBe(false);
  });
});

describe('buildReport: summary figures', () => {
  it('gives the worst downtime and the last recovery over every flow of every router', () => {
    const r = buildReport(
      withFlows({
        r1: flows({
          inbound: { downtimeMs: 250, recoveryMs: 240 },
          outSnat: { downtimeMs: 900, recoveryMs: 300 },
        }),
        r2: flows({ outFloating: { downtimeMs: 400, recoveryMs: 1200 } }),
      }),
    );
    expect(r.maxDowntimeMs).toBe(900);
    expect(r.lastRecoveryMs).toBe(1200);
  });

  it('reports zero downtime and recovery when nothing stopped', () => {
    const still = { downtimeMs: 0, recoveryMs: 0 };
    const r = buildReport(withFlows({ r1: flows({ inbound: still, outFloating: still, outSnat: still }) }));
    expect(r.maxDowntimeMs).toBe(0);
    expect(r.lastRecoveryMs).toBe(0);
  });

  it('orders routers by number, not by text', () => {
    const r = buildReport(withFlows({ r10: flows(), r2: flows(), r1: flows() }));
    expect(r.routers.map((x) => x.id)).toEqual(['r1', 'r2', 'r10']);
  });

  it('judges the takeover on the first router in that order', () => {
    const journals = {
      a: { r1: [], r2: [], r10: [] },
      b: { r1: [], r2: [hook('r2', 800)], r10: [hook('r10', 800)] },
    };
    const r = buildReport(withFlows({ r10: flows(), r2: flows(), r1: flows() }, { journals }));
    expect(check(r, 'the peer took over')?.ok).toBe(false);
  });

  it('carries the scenario, profile, victim and fault time', () => {
    const r = buildReport(
      input({ profile: 'standard', victim: 'b', journals: { a: { r1: [hook('r1', 900)] } } }),
    );
    expect(r.scenario).toBe('node-loss');
    expect(r.summary).toBe(sc('node-loss').summary);
    expect(r.profile).toBe('standard');
    expect(r.victim).toBe('b');
    expect(r.faultAt).toBe('2026-03-01T12:00:00.000Z');
    expect(r.routers[0]?.newMaster).toBe('a');
  });

  it('is ok exactly when every check is ok', () => {
    const cases: Partial<ReportInput>[] = [
      {},
      { oneMasterAfter: false },
      { maxDowntimeMs: 100 },
      { journals: { a: { r1: [] }, b: { r1: [] } } },
    ];
    for (const over of cases) {
      const r = buildReport(input(over));
      expect(r.ok).toBe(r.checks.every((c) => c.ok));
    }
    expect(cases.map((over) => buildReport(input(over)).ok)).toEqual([true, false, false, false]);
  });
});

describe('formatReport', () => {
  const lines = (text: string) => text.split('\n');

  it('names the scenario and shows a row per router and flow', () => {
    const text = formatReport(buildReport(input({}, ['r1', 'r2'])));
    expect(text).toContain(`drill node-loss: ${sc('node-loss').summary}`);
    expect(text).toContain('profile fast, 2 router(s), fault on node a at 2026-03-01T12:00:00.000Z');
    for (const id of ['r1', 'r2']) {
      for (const f of ['inbound', 'outFloating', 'outSnat'])
        expect(lines(text).some((l) => new RegExp(`^${id}\\s+${f}\\s+1000\\s+30\\s+310 ms$`).test(l))).toBe(
          true,
        );
      expect(
        lines(text).some((l) =>
          new RegExp(`^${id}\\s+survived\\s+400 ms\\s+b\\s+900 ms\\s+35 ms\\s+-$`).test(l),
        ),
      ).toBe(true);
    }
    expect(text.endsWith('\n')).toBe(true);
  });

  it('ends in PASS when every check passed, with no FAIL mark', () => {
    const text = formatReport(buildReport(input()));
    expect(text).toContain('result: PASS');
    expect(text).not.toMatch(/FAIL/);
    expect(text).toContain('  ok    the peer took over (r1 MASTER on b after 900 ms)');
  });

  it('marks each failed check and ends in FAIL', () => {
    const base = input({ oneMasterAfter: false }, ['r1']);
    const r = buildReport({
      ...base,
      probes: {
        flows: { r1: flows({ inbound: { lastAnswerAt: undefined } }) },
        tcp: { r1: tcp({ survived: false }) },
      },
    });
    const text = formatReport(r);
    expect(text).toContain('  FAIL  every flow answers again (r1/inbound)');
    expect(text).toContain('  FAIL  TCP streams survive (r1: closed)');
    expect(text).toContain('  FAIL  exactly one MASTER per router afterwards\n');
    expect(text).toContain('  ok    the peer took over');
    expect(lines(text).some((l) => /^r1\s+BROKEN\s/.test(l))).toBe(true);
    expect(text).toContain('result: FAIL');
    expect(text).not.toContain('result: PASS');
  });

  it('shows the worst downtime and the last recovery', () => {
    const text = formatReport(buildReport(input()));
    expect(text).toContain('worst downtime 310 ms; last flow back 305 ms after the fault');
  });
});
