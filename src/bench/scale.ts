import { randomBytes, randomInt } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildBridges } from '../lab/fabric.js';
import { agentPid, startAgent, stopAgent } from '../lab/nodes.js';
import { agentConfigText, labPlan } from '../lab/plan.js';
import { callControl } from '../system/control-client.js';
import { atomicWrite, ensureDir, removePath } from '../system/files.js';
import type { CommandRunner } from '../system/runner.js';
import { markRunDir, sweep } from '../system/sweep.js';
import { restartAgent, scrape } from './agent-metrics.js';
import { cpuSeconds, cpuSecondsWithChildren, machineBusySeconds, memoryMiB, pidsWithArg } from './proc.js';
import { standInPeer } from './stand-in-peer.js';

// One agent in managed mode with N routers on an empty node: time to build everything,
// steady-state memory and CPU, and how fast a change to one router takes effect.

// Router k of a scale run: private addressing inside the bench's own namespaces (no
// traffic is sent), 250 routers per HA segment.
const internalNet = (k: number) => `10.${100 + (k >> 8)}.${k & 255}`;
export function scaleRouterSpec(k: number): string {
  const seg = Math.floor((k - 1) / 250);
  const vrid = ((k - 1) % 250) + 1;
  const gw = `172.16.${k >> 8}.${k & 255}`;
  return `id: r${k}
vrid: ${vrid}
haSegment: ${seg}
gateway: { addresses: [${gw}/16], defaultRoute: 172.16.255.254 }
internal: [{ name: n1, addresses: [${internalNet(k)}.1/24] }]
floatingIps: [{ floating: 172.17.${k >> 8}.${k & 255}, fixed: ${internalNet(k)}.5 }]
snat: true
`;
}

export interface ScaleResult {
  readonly routers: number;
  readonly buildSeconds: number;
  // Until one MASTER per router.
  readonly convergedSeconds?: number;
  readonly agentRssMiB: number;
  readonly agentCpuPercent: number;
  // The agent with the processes it ran (ip, nft) over the same window.
  readonly agentWithChildrenCpuPercent?: number;
  // Every keepalived of the node over the same window: the floor the agent is compared with.
  readonly keepalivedCpuPercent?: number;
  readonly windowSeconds?: number;
  // Agent restart: until every router was read from the kernel once and the queue is empty.
  readonly restartSeconds?: number;
  readonly restartKeptKeepalived?: boolean;
  readonly keepalivedPssMiBPerRouter: number;
  readonly keepalivedRssMiBPerRouter: number;
  readonly changeSeconds: number;
  readonly routersTouchedByChange: string[];
  // The agent's own view (process.memoryUsage via its status), to split RSS into V8 heap and the rest.
  readonly agentHeap: unknown;
}

async function agentHeap(socket: string): Promise<unknown> {
  try {
    return ((await callControl(socket, 'GET', '/status', 60_000)) as { memory?: unknown }).memory;
  } catch {
    return undefined;
  }
}

export async function agentAtScale(
  runner: CommandRunner,
  dir: string,
  n: number,
  windowS: number,
  say: (m: string) => void,
): Promise<ScaleResult> {
  const runId = `l3s${randomBytes(2).toString('hex')}`;
  const plan = labPlan(runId, join(dir, `scale-${n}`), n, 'standard', 20000 + randomInt(0, 10000) * 4);
  const a = plan.nodes[0];
  try {
    await ensureDir(plan.dir, 0o700);
    markRunDir(plan.dir);
    await atomicWrite(plan.tokenFile, `${randomBytes(24).toString('hex')}\n`, 0o600);
    // 250 routers per HA segment (VRIDs are unique per segment), one bridge each.
    const segments = Math.ceil(n / 250);
    await buildBridges(
      runner,
      plan,
      Array.from({ length: segments - 1 }, (_, i) => `br-ha${i + 1}`),
    );
    await standInPeer(runner, plan, n);
    await ensureDir(join(a.dir, 'routers.d'));
    // A full resync every 30 s (the default), so the CPU window includes one.
    await atomicWrite(a.config, agentConfigText(plan, a).replace('resyncSeconds: 5', 'resyncSeconds: 30'));
    for (let k = 1; k <= n; k++)
      await atomicWrite(join(a.dir, 'routers.d', `r${k}.yaml`), scaleRouterSpec(k));
    const runDir = join(a.dir, 'run');
    const t0 = Date.now();
    const busy0 = machineBusySeconds();
    await startAgent(a);
    const ready = () => {
      try {
        return readdirSync(runDir).filter((f) => /^keepalived-r\d+\.pid$/.test(f)).length;
      } catch {
        return 0;
      }
    };
    while (ready() < n && Date.now() - t0 < 600_000) await sleep(200);
    const buildSeconds = (Date.now() - t0) / 1000;
    {
      const agentPidNow = agentPid(a) as number;
      const ka = pidsWithArg('keepalived', `${a.dir}/`).reduce((s, p) => s + cpuSeconds(p), 0);
      say(
        `scale N=${n}: all routers running after ${buildSeconds.toFixed(1)} s; CPU-s: machine ${(machineBusySeconds() - busy0).toFixed(0)}, agent ${cpuSeconds(agentPidNow).toFixed(0)}, its processes ${(cpuSecondsWithChildren(agentPidNow) - cpuSeconds(agentPidNow)).toFixed(0)}, keepalived ${ka.toFixed(0)}`,
      );
    }
    // Converged: one MASTER per router (a single node: every router MASTER here).
    const masters = () => scrape(a.metricsListen, 'l3ha_routers', 'role="MASTER"');
    while (((await masters()) ?? 0) < n && Date.now() - t0 < 600_000) await sleep(200);
    const convergedSeconds = (Date.now() - t0) / 1000;
    say(`scale N=${n}: every router MASTER after ${convergedSeconds.toFixed(1)} s`);
    // At rest: every MASTER replayed, the queue empty, and the last follow-up GARPs (10 s) sent.
    const replays = () => scrape(a.metricsListen, 'l3ha_replay_duration_seconds_count');
    while (((await replays()) ?? 0) < n && Date.now() - t0 < 900_000) await sleep(200);
    while ((await scrape(a.metricsListen, 'l3ha_queue_depth')) !== 0 && Date.now() - t0 < 900_000)
      await sleep(200);
    say(`scale N=${n}: every MASTER replayed after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await sleep(12_000);
    const pid = agentPid(a) as number;
    const kaPids = pidsWithArg('keepalived', `${a.dir}/`);
    const kaCpu = () => kaPids.reduce((sum, p) => sum + cpuSeconds(p), 0);
    const [c0, cc0, k0] = [cpuSeconds(pid), cpuSecondsWithChildren(pid), kaCpu()];
    const w0 = Date.now();
    await sleep(windowS * 1000);
    const secs = (Date.now() - w0) / 1000;
    const pct = (x: number) => Math.round((x / secs) * 1000) / 10;
    const agentCpuPercent = pct(cpuSeconds(pid) - c0);
    const agentWithChildrenCpuPercent = pct(cpuSecondsWithChildren(pid) - cc0);
    const keepalivedCpuPercent = pct(kaCpu() - k0);
    say(
      `scale N=${n}: over ${secs.toFixed(0)} s the agent used ${agentCpuPercent} % of a core (${agentWithChildrenCpuPercent} % with its processes), keepalived ${keepalivedCpuPercent} %`,
    );
    const agentRssMiB = Math.round(memoryMiB(pid).rss * 10) / 10;
    const heap = await agentHeap(join(a.dir, 'run', 'agent.sock'));
    const ka = pidsWithArg('keepalived', `${a.dir}/`);
    const mem = ka.map(memoryMiB);
    const perRouter = (k: 'rss' | 'pss') => Math.round((mem.reduce((s, m) => s + m[k], 0) / n) * 100) / 100;

    // Change one router and time until its keepalived has loaded the new config.
    const id = `r${Math.ceil(n / 2)}`;
    const loaded = join(a.dir, 'state/routers', id, 'keepalived.loaded');
    const before = statSync(loaded).mtimeMs;
    const logBefore = readFileSync(a.logFile, 'utf8').length;
    const k = Math.ceil(n / 2);
    const file = join(a.dir, 'routers.d', `${id}.yaml`);
    const t1 = Date.now();
    writeFileSync(
      file,
      `${readFileSync(file, 'utf8')}routes: [{ to: 192.168.50.0/24, via: ${internalNet(k)}.254 }]\n`,
    );
    while (statSync(loaded).mtimeMs === before && Date.now() - t1 < 60_000) await sleep(20);
    const changeSeconds = (Date.now() - t1) / 1000;
    await sleep(1000);
    const touched = new Set<string>();
    for (const line of readFileSync(a.logFile, 'utf8').slice(logBefore).split('\n')) {
      const m = /"router":"([^"]+)","action"/.exec(line);
      if (m?.[1]) touched.add(m[1]);
    }
    say(
      `scale N=${n}: change to ${id} took effect after ${changeSeconds.toFixed(2)} s; touched ${[...touched].join(',')}`,
    );
    const restart = await restartAgent(a, n);
    say(
      `scale N=${n}: agent restart adopted every router in ${restart.seconds.toFixed(1)} s; keepalived kept: ${restart.kept}`,
    );
    return {
      routers: n,
      buildSeconds: Math.round(buildSeconds * 10) / 10,
      convergedSeconds: Math.round(convergedSeconds * 10) / 10,
      agentRssMiB,
      agentCpuPercent,
      agentWithChildrenCpuPercent,
      keepalivedCpuPercent,
      windowSeconds: Math.round(secs),
      restartSeconds: Math.round(restart.seconds * 10) / 10,
      restartKeptKeepalived: restart.kept,
      keepalivedPssMiBPerRouter: perRouter('pss'),
      keepalivedRssMiBPerRouter: perRouter('rss'),
      changeSeconds: Math.round(changeSeconds * 100) / 100,
      routersTouchedByChange: [...touched],
      agentHeap: heap,
    };
  } finally {
    await stopAgent(a);
    await sweep(runner, `${runId}-`, [plan.dir]);
    await removePath(plan.dir);
  }
}
