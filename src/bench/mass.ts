import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DrillReport } from '../drill/report.js';
import { runDrill } from '../drill/run.js';
import { type Scenario, scenario } from '../drill/scenarios.js';
import { buildTimeoutMs, ensureAgent, evacuate, reboot } from '../lab/faults.js';
import { labDown, labUp } from '../lab/lab.js';
import { stopAgent, waitNodeBuilt } from '../lab/nodes.js';
import type { LabNode, LabPlan } from '../lab/plan.js';
import { waitOneMaster } from '../lab/roles.js';
import type { CommandRunner } from '../system/runner.js';
import { GC_THRESH3, withSysctlsAtLeast } from '../system/sysctl.js';
import { arpTableFulls, backlogDrops } from './proc.js';
import { percentile } from './stats.js';

// Mass failover: N routers MASTER on one node, which then loses power (every keepalived
// frozen and killed, every port dark). Measured twice in one lab: first with the agents
// stopped, so keepalived and the NAT it already has are alone (plain keepalived, the
// floor), then, after the victim is rebuilt, with the l3ha agents. One fping probes every
// floating IP every 10 ms; a router that has not answered again when probing stops is
// down until then.

export interface MassRow {
  // Each router's longest gap between fping replies that ends after the fault (ms).
  readonly downtimes: number[];
  readonly worstMs: number;
  readonly p50: number;
  readonly p90: number;
  readonly lostProbes: number;
  // Routers whose floating IP had not answered again when probing stopped.
  readonly notRecovered: number;
  // Routers for which fping printed no summary: it ended early, and this row is suspect.
  readonly noSummary: number;
  readonly ok: boolean;
  // The node the fault hit.
  readonly victim: string;
  // Packets the kernel dropped for a full input backlog while this row ran (the lab's one
  // kernel carries every router's floods).
  readonly backlogDrops?: number;
  // Neighbour entries the kernel could not make while this row ran: the ARP table, shared
  // by every namespace, was full (lesson 34).
  readonly arpTableFulls?: number;
  // How the one fping ended: caught up before it was stopped, its exit, its last stderr lines.
  readonly prober?: DrillReport['prober'];
}

export interface MassResult {
  readonly routers: number;
  readonly labUpSeconds: number;
  readonly l3ha: MassRow;
  readonly plain: MassRow;
  // l3ha's worst router over plain keepalived's worst router, in the same lab.
  readonly worstRatio: number;
}

async function powerCutAll(runner: CommandRunner, plan: LabPlan): Promise<MassRow> {
  const drops0 = backlogDrops();
  const fulls0 = arpTableFulls();
  const r = await runDrill(runner, plan, scenario('node-loss') as Scenario, {
    tcp: false,
    flows: ['inbound'],
    fping: true,
    skipRestore: true,
    maxDowntimeMs: undefined,
  });
  const downtimes = r.routers.map((x) => x.flows.inbound.downtimeMs);
  return {
    downtimes,
    worstMs: Math.max(...downtimes),
    p50: percentile(downtimes, 50),
    p90: percentile(downtimes, 90),
    lostProbes: r.routers.reduce((s, x) => s + x.flows.inbound.lost, 0),
    notRecovered: r.routers.filter((x) => !x.flows.inbound.recovered).length,
    noSummary: r.routers.filter((x) => x.flows.inbound.noSummary === true).length,
    victim: r.victim,
    ok: r.ok,
    backlogDrops: backlogDrops() - drops0,
    arpTableFulls: arpTableFulls() - fulls0,
    ...(r.prober ? { prober: r.prober } : {}),
  };
}

// Every router's MASTER on one node, so the fault hits all of them, and a live standby on
// the other. A handover can miss a router whose peer is still settling, so this repeats
// until the kernel shows every VIP on the one node; a run where the fault hit only some
// routers, or hit routers without a standby, would compare unlike things.
async function gatherMasters(runner: CommandRunner, plan: LabPlan): Promise<void> {
  const first = plan.routers[0];
  if (!first) throw new Error('no routers');
  const deadline = Date.now() + 120_000 + plan.routers.length * 1000;
  for (;;) {
    const rs = await waitOneMaster(runner, plan, 60_000 + plan.routers.length * 500);
    const victim = rs[0]?.masters[0];
    const elsewhere = rs.filter((r) => r.masters[0] !== victim).map((r) => r.id);
    if (elsewhere.length === 0) {
      // A handover stops the old MASTER's keepalived and its agent starts it again as
      // BACKUP. Until it has, that node is no standby: wait for both nodes to run every
      // router before anything is cut (or an agent stopped).
      for (const n of plan.nodes) {
        if (!(await waitNodeBuilt(n, plan.routers.length, buildTimeoutMs(plan))))
          throw new Error(`node ${n.name} does not run every router`);
      }
      return;
    }
    if (Date.now() > deadline) throw new Error(`MASTER not on node ${victim} for ${elsewhere.join(', ')}`);
    const other = plan.nodes.find((x) => x.name !== victim);
    if (other) await evacuate(other);
  }
}

// The lab's namespaces share one neighbour table: past 100 routers it needs more than the
// kernel's default 1,024 entries (lesson 34). Raised for the run, then put back.
export const MASS_NEIGHBOURS = {
  [GC_THRESH3]: 16384,
  'net.ipv4.neigh.default.gc_thresh2': 8192,
  'net.ipv4.neigh.default.gc_thresh1': 4096,
};

export function massFailover(
  runner: CommandRunner,
  dir: string,
  n: number,
  say: (m: string) => void,
): Promise<MassResult> {
  return withSysctlsAtLeast(MASS_NEIGHBOURS, () => massRun(runner, dir, n, say));
}

async function massRun(
  runner: CommandRunner,
  dir: string,
  n: number,
  say: (m: string) => void,
): Promise<MassResult> {
  const t0 = Date.now();
  const { plan } = await labUp(runner, {
    runId: `l3m${randomBytes(2).toString('hex')}`,
    dir: join(dir, `mass-${n}`),
    routers: n,
    profile: 'fast',
    timeoutMs: 120_000 + n * 2000,
  });
  const labUpSeconds = (Date.now() - t0) / 1000;
  try {
    // Plain keepalived first, on the lab as built: with both agents stopped, keepalived and
    // the NAT it already has are alone. Then the victim is rebuilt, both agents run, and the
    // same cut is measured with l3ha.
    await gatherMasters(runner, plan);
    for (const node of plan.nodes) await stopAgent(node);
    const plain = await powerCutAll(runner, plan);
    say(
      `mass N=${n}, plain keepalived: worst router ${plain.worstMs} ms, p50 ${plain.p50} ms, not recovered ${plain.notRecovered}, no fping summary ${plain.noSummary}, backlog drops ${plain.backlogDrops}, ARP table full ${plain.arpTableFulls}`,
    );
    const victim = plan.nodes.find((x) => x.name === plain.victim) as LabNode;
    await reboot(runner, plan, victim);
    for (const node of plan.nodes) await ensureAgent(node);
    await gatherMasters(runner, plan);
    const l3ha = await powerCutAll(runner, plan);
    say(
      `mass N=${n}, l3ha: worst router ${l3ha.worstMs} ms, p50 ${l3ha.p50} ms, not recovered ${l3ha.notRecovered}, no fping summary ${l3ha.noSummary}, backlog drops ${l3ha.backlogDrops}, ARP table full ${l3ha.arpTableFulls}`,
    );
    return { routers: n, labUpSeconds, l3ha, plain, worstRatio: l3ha.worstMs / plain.worstMs };
  } finally {
    await labDown(runner, plan);
  }
}
