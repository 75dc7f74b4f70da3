import type { DowntimeSample } from './downtime.js';
import type { MassResult } from './mass.js';
import type { ScaleResult } from './scale.js';
import { median, ratio } from './stats.js';
import type { TransportResult } from './transport.js';

// The results as a markdown table with every target marked met or missed. Pure.

export interface BenchResults {
  readonly date: string;
  readonly machine: Record<string, string | number>;
  readonly seconds: number;
  readonly runs: number;
  readonly downtime?: Record<string, Record<string, DowntimeSample[]>>;
  readonly mass?: MassResult[];
  readonly transport?: TransportResult[];
  readonly notify?: {
    notify: { wallMs: number; cpuMs: number };
    nodeE0: { wallMs: number; cpuMs: number };
    wallRatio: number;
    cpuRatio: number;
    runs: number;
  };
  readonly scale?: ScaleResult[];
}

const f0 = (x: number | null | undefined) =>
  x === null || x === undefined || Number.isNaN(x) ? '-' : String(Math.round(x));
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '∞');
const mark = (ok: boolean) => (ok ? 'met' : '**missed**');

function med(samples: DowntimeSample[] | undefined, key: keyof DowntimeSample): number {
  const xs = (samples ?? []).map((s) => s[key]).filter((x): x is number => typeof x === 'number');
  return median(xs);
}

export function markdown(r: BenchResults): string {
  const out: string[] = [];
  out.push(
    `Measured ${r.date} on ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memGiB} GiB, kernel ${r.machine.kernel}, Node ${r.machine.node}, ${r.machine.keepalived}. Bench wall time ${Math.round(r.seconds / 60)} min.`,
  );
  out.push('');
  const targets: string[] = [];
  if (r.downtime) {
    out.push(`### Downtime per scenario (median of ${r.runs} runs, ms; 1 router, probes at 100 Hz)`);
    out.push('');
    out.push(
      '| profile | scenario | inbound | out (floating SNAT) | out (gateway SNAT) | TCP stall | TCP survived | lost probes | fault→MASTER | replay |',
    );
    out.push('|---|---|---|---|---|---|---|---|---|---|');
    for (const [profile, byScenario] of Object.entries(r.downtime)) {
      for (const [sc, s] of Object.entries(byScenario)) {
        const survived = s.filter((x) => x.tcpSurvived).length;
        out.push(
          `| ${profile} | ${sc} | ${f0(med(s, 'inbound'))} | ${f0(med(s, 'outFloating'))} | ${f0(med(s, 'outSnat'))} | ${f0(med(s, 'tcpStall'))} | ${survived}/${s.length} | ${f0(med(s, 'lost'))} | ${f0(med(s, 'faultToMasterMs'))} | ${f0(med(s, 'replayMs'))} |`,
        );
      }
    }
    out.push('');
    const base = r.downtime.baseline;
    if (base) {
      out.push('Ratio against the Neutron-default baseline (baseline median ÷ l3ha median, inbound):');
      out.push('');
      out.push('| scenario | baseline | l3ha fast | ratio | l3ha standard | ratio |');
      out.push('|---|---|---|---|---|---|');
      for (const sc of Object.keys(base)) {
        const b = med(base[sc], 'inbound');
        const fa = med(r.downtime.fast?.[sc], 'inbound');
        const st = med(r.downtime.standard?.[sc], 'inbound');
        out.push(
          `| ${sc} | ${f0(b)} | ${f0(fa)} | ${f1(ratio(b, fa))}× | ${f0(st)} | ${f1(ratio(b, st))}× |`,
        );
      }
      out.push('');
    }
    const fast = r.downtime.fast;
    if (fast) {
      const nl = fast['node-loss'];
      const worst = Math.max(
        med(nl, 'inbound'),
        med(nl, 'outFloating'),
        med(nl, 'outSnat'),
        med(nl, 'tcpStall'),
      );
      targets.push(
        `| node-loss, fast, N=1: median downtime ≤ 500 ms (inbound, outbound, TCP) | ${f0(worst)} ms (worst of the four) | ${mark(worst <= 500)} |`,
      );
      const g = med(fast.graceful, 'inbound');
      targets.push(`| graceful: median downtime ≤ 200 ms | ${f0(g)} ms | ${mark(g <= 200)} |`);
      const lost = (fast['agent-crash'] ?? []).reduce((s, x) => s + x.lost, 0);
      targets.push(
        `| agent-crash: 0 lost probes | ${lost} lost over ${(fast['agent-crash'] ?? []).length} runs | ${mark(lost === 0)} |`,
      );
      if (base) {
        const k = ratio(med(base['node-loss'], 'inbound'), med(nl, 'inbound'));
        targets.push(
          `| node-loss ≥ 10× shorter than the Neutron-default baseline | ${f1(k)}× | ${mark(k >= 10)} |`,
        );
      }
    }
  }
  if (r.mass) {
    out.push(
      '### Mass failover (power cut of the node holding every MASTER, fast profile; fping on every floating IP every 20 ms)',
    );
    out.push('');
    out.push(
      "Each router's outage is its longest gap between replies after the fault. Plain keepalived is the same lab with the agents stopped: keepalived and its NAT alone.",
    );
    out.push('');
    out.push(
      '| routers | l3ha worst router | p50 | p90 | plain keepalived worst | p50 | p90 | worst ratio | lab up |',
    );
    out.push('|---|---|---|---|---|---|---|---|---|');
    for (const m of r.mass) {
      out.push(
        `| ${m.routers} | ${f0(m.l3ha.worstMs)} ms | ${f0(m.l3ha.p50)} | ${f0(m.l3ha.p90)} | ${f0(m.plain.worstMs)} ms | ${f0(m.plain.p50)} | ${f0(m.plain.p90)} | ${f1(m.worstRatio)}× | ${f1(m.labUpSeconds)} s |`,
      );
    }
    out.push('');
    for (const m of r.mass.filter((x) => x.routers >= 100)) {
      targets.push(
        `| mass failover N=${m.routers}: every router's outage ≤ 1.2 × plain keepalived's worst | ${f0(m.l3ha.worstMs)} ms vs ${f0(m.plain.worstMs)} ms (${f1(m.worstRatio)}×) | ${m.l3ha.notRecovered + m.plain.notRecovered > 0 ? `**not usable**: ${m.l3ha.notRecovered} and ${m.plain.notRecovered} routers not recovered` : mark(m.worstRatio <= 1.2)} |`,
      );
    }
  }
  if (r.transport) {
    out.push('### Unicast against multicast adverts on one HA segment (fast profile, steady state)');
    out.push('');
    out.push(
      '| transport | routers | keepalived CPU (all, % of one core) | router-seconds without exactly one MASTER | max routers with two MASTERs | converged |',
    );
    out.push('|---|---|---|---|---|---|');
    for (const t of r.transport) {
      out.push(
        `| ${t.transport} | ${t.routers} | ${f1(t.keepalivedCpuPercent)} | ${f1(t.splitBrainRouterSeconds)} | ${t.maxRoutersWithTwoMasters} | ${t.converged ? 'yes' : 'no'} |`,
      );
    }
    out.push('');
    const u = r.transport.find((t) => t.transport === 'unicast');
    if (u)
      targets.push(
        `| unicast at N=${u.routers}: 0 split-brain seconds | ${f1(u.splitBrainRouterSeconds)} router-s | ${mark(u.splitBrainRouterSeconds === 0)} |`,
      );
  }
  if (r.notify) {
    const n = r.notify;
    out.push(`### Notify hook cost (${n.runs} runs each)`);
    out.push('');
    out.push('| command | wall per run | CPU per run |');
    out.push('|---|---|---|');
    out.push(`| node -e 0 | ${n.nodeE0.wallMs.toFixed(1)} ms | ${n.nodeE0.cpuMs.toFixed(1)} ms |`);
    out.push(`| l3ha notify | ${n.notify.wallMs.toFixed(1)} ms | ${n.notify.cpuMs.toFixed(1)} ms |`);
    out.push(`| ratio | ${n.wallRatio.toFixed(2)}× | ${n.cpuRatio.toFixed(2)}× |`);
    out.push('');
    targets.push(
      `| l3ha notify ≤ 1.5 × node -e 0 (wall) | ${n.wallRatio.toFixed(2)}× | ${mark(n.wallRatio <= 1.5)} |`,
    );
  }
  if (r.scale) {
    out.push('### Agent at scale (one agent, managed mode, standard profile, resync every 30 s)');
    out.push('');
    out.push(
      '| routers | empty node → all running | agent RSS | agent CPU at rest (own / with its processes) | keepalived CPU, all | agent restart, every router adopted | keepalived kept | keepalived PSS per router | one-router change takes effect | routers touched by it |',
    );
    out.push('|---|---|---|---|---|---|---|---|---|---|');
    for (const s of r.scale) {
      const restart = s.restartSeconds === undefined ? '-' : `${f1(s.restartSeconds)} s`;
      const kept = s.restartKeptKeepalived === undefined ? '-' : s.restartKeptKeepalived ? 'yes' : '**no**';
      const withChildren =
        s.agentWithChildrenCpuPercent === undefined ? '-' : `${f1(s.agentWithChildrenCpuPercent)} %`;
      const ka = s.keepalivedCpuPercent === undefined ? '-' : `${f1(s.keepalivedCpuPercent)} %`;
      out.push(
        `| ${s.routers} | ${f1(s.buildSeconds)} s${s.convergedSeconds === undefined ? '' : ` (one MASTER each: ${f1(s.convergedSeconds)} s)`} | ${f1(s.agentRssMiB)} MiB | ${f1(s.agentCpuPercent)} % / ${withChildren} | ${ka} | ${restart} | ${kept} | ${s.keepalivedPssMiBPerRouter.toFixed(2)} MiB | ${s.changeSeconds.toFixed(2)} s | ${s.routersTouchedByChange.join(', ') || 'none'} |`,
      );
    }
    out.push('');
    const big = [...r.scale].sort((a, b) => b.routers - a.routers)[0];
    if (big) {
      targets.push(
        `| agent RSS ≤ 150 MB at 500 routers | ${f1(big.agentRssMiB)} MiB at ${big.routers} routers | ${big.routers >= 500 ? mark(big.agentRssMiB <= 150) : '**not measured at 500** (see note)'} |`,
      );
      targets.push(
        `| one-router change ≤ 2 s at 500 routers | ${big.changeSeconds.toFixed(2)} s at ${big.routers} routers | ${big.routers >= 500 ? mark(big.changeSeconds <= 2) : '**not measured at 500** (see note)'} |`,
      );
      const at500 = (ok: boolean) => (big.routers >= 500 ? mark(ok) : '**not measured at 500**');
      targets.push(
        `| bring-up, empty node → 500 routers converged (one MASTER each) ≤ 60 s | ${f1(big.convergedSeconds ?? big.buildSeconds)} s at ${big.routers} routers | ${at500((big.convergedSeconds ?? big.buildSeconds) <= 60)} |`,
      );
      if (big.agentWithChildrenCpuPercent !== undefined)
        targets.push(
          `| agent CPU at rest ≤ 5 % of a core at 500 routers, resyncs included (with the processes it runs) | ${f1(big.agentWithChildrenCpuPercent)} % at ${big.routers} routers | ${at500(big.agentWithChildrenCpuPercent <= 5)} |`,
        );
      if (big.restartSeconds !== undefined)
        targets.push(
          `| agent restart adopting 500 routers ≤ 10 s, no failover | ${f1(big.restartSeconds)} s at ${big.routers} routers, keepalived kept: ${big.restartKeptKeepalived ? 'yes' : 'no'} | ${at500(big.restartSeconds <= 10 && big.restartKeptKeepalived === true)} |`,
        );
    }
  }
  const head = ['### Targets', '', '| target | measured | |', '|---|---|---|', ...targets, ''];
  return `${[...head, ...out].join('\n')}\n`;
}
