import { describe, expect, it } from 'vitest';
import type { DowntimeSample } from '../../src/bench/downtime.js';
import { type BenchResults, markdown } from '../../src/bench/table.js';

// The results table must say what its raw samples say.

const sample = (inbound: number, over: Partial<DowntimeSample> = {}): DowntimeSample => ({
  inbound,
  outFloating: inbound,
  outSnat: inbound,
  tcpStall: inbound,
  tcpSurvived: true,
  lost: 0,
  faultToMasterMs: 100,
  replayMs: 5,
  ...over,
});

const base: BenchResults = {
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
};

describe('bench markdown', () => {
  it('shows the median of the raw samples and marks the node-loss target met or missed from them', () => {
    const met = markdown({
      ...base,
      downtime: {
        fast: {
          'node-loss': [sample(300), sample(280), sample(900)],
          graceful: [sample(80)],
          'agent-crash': [sample(0)],
        },
        baseline: { 'node-loss': [sample(5400), sample(5300), sample(5500)] },
      },
    });
    expect(met).toContain('| fast | node-loss | 300 |');
    expect(met).toMatch(
      /node-loss, fast, N=1: median downtime ≤ 500 ms.*\| 300 ms \(worst of the four\) \| met \|/,
    );
    expect(met).toMatch(/≥ 10× shorter than the Neutron-default baseline \| 18\.0× \| met \|/);
    const missed = markdown({
      ...base,
      downtime: {
        fast: { 'node-loss': [sample(600)], graceful: [sample(80)], 'agent-crash': [sample(0, { lost: 2 })] },
      },
    });
    expect(missed).toMatch(/median downtime ≤ 500 ms.*\*\*missed\*\*/);
    expect(missed).toMatch(/agent-crash: 0 lost probes \| 2 lost over 1 runs \| \*\*missed\*\*/);
  });

  it('headlines the worst router of each mass row from its raw samples, against plain keepalived', () => {
    const row = (downtimes: number[]) => ({
      downtimes,
      worstMs: Math.max(...downtimes),
      p50: 0,
      p90: 0,
      lostProbes: 0,
      notRecovered: 0,
      noSummary: 0,
      victim: 'a',
      ok: true,
    });
    const t = markdown({
      ...base,
      mass: [
        { routers: 100, labUpSeconds: 90, l3ha: row([300, 1100]), plain: row([900, 1000]), worstRatio: 1.1 },
        { routers: 250, labUpSeconds: 200, l3ha: row([300, 2000]), plain: row([900, 1000]), worstRatio: 2 },
      ],
    });
    expect(t).toContain('| 100 | 1100 ms |');
    expect(t).toMatch(
      /N=100: every router's outage ≤ 1\.2 × plain keepalived's worst \| 1100 ms vs 1000 ms \(1\.1×\) \| met \|/,
    );
    expect(t).toMatch(/N=250: .* \| 2000 ms vs 1000 ms \(2\.0×\) \| \*\*missed\*\* \|/);
  });

  it('calls a mass row with routers that never came back not usable, whatever its ratio', () => {
    const row = (notRecovered: number) => ({
      downtimes: [500, 52083],
      worstMs: 52083,
      p50: 0,
      p90: 0,
      lostProbes: 0,
      notRecovered,
      noSummary: 0,
      victim: 'a',
      ok: false,
    });
    const t = markdown({
      ...base,
      mass: [{ routers: 250, labUpSeconds: 248, l3ha: row(33), plain: row(28), worstRatio: 0.7 }],
    });
    expect(t).toMatch(/N=250: .*\(0\.7×\) \| \*\*not usable\*\*: 33 and 28 routers not recovered \|/);
    expect(t).not.toMatch(/N=250: .*\| met \|/);
  });

  it('names the machine and the wall time of the run', () => {
    expect(markdown(base)).toMatch(
      /^Measured 2026-12-03 on 2 × test cpu, 24 GiB, .*Bench wall time 10 min\./m,
    );
  });
});
