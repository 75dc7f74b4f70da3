import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { recordedNat } from '../agent/seed.js';
import { loadAgentConfig, parseRouterText } from '../config/load.js';
import { routerPaths } from '../config/paths.js';
import type { AgentConfig } from '../config/schema-agent.js';
import type { LabNode, LabPlan, LabRouter } from '../lab/plan.js';
import { routerSpecText } from '../lab/plan.js';
import { observeRouter } from '../observe/router.js';
import { staleAddrs } from '../plan/build.js';
import { desiredOf, sha256 } from '../plan/desired.js';
import { observedRole } from '../plan/role.js';
import { readText } from '../system/files.js';
import { readJournal } from '../system/journal-file.js';
import { ancestorPids, cmdline, isAlive, readPidFile, uptimeSeconds } from '../system/process.js';
import type { CommandRunner } from '../system/runner.js';
import { L3HA_MAIN } from '../system/self.js';
import { dirPids, namespacePids } from '../system/sweep.js';
import { parseJournal } from '../transitions/journal.js';
import type { NodeRouterView, Observation } from './chaos-invariants.js';

// Observes a lab for the chaos invariants: each router on each node read fresh from the
// kernel and the files (no reading the agent trusts), and whatever the lab may have leaked.

// The lab's files, as the lab and its agents write them (R: one of the lab's router ids);
// anything else is a leak.
const KNOWN_FILES = [
  '\\.l3ha-run',
  'lab\\.json',
  'peer\\.token',
  'probes/[\\w-]+\\.out(\\.err)?',
  '[ab]/agent\\.(log|pid|yaml)',
  '[ab]/routers\\.d/R\\.yaml',
  '[ab]/(run|state)/\\.l3ha-run',
  '[ab]/run/agent\\.(lock|sock)',
  '[ab]/run/keepalived-R(-vrrp)?\\.pid',
  '[ab]/state/routers/R/(keepalived\\.conf|keepalived\\.loaded|nat\\.applied\\.json|nat\\.nft|spec\\.json|state|transitions\\.jsonl(\\.1)?)',
];

function walk(dir: string, root: string, out: string[]): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, root, out);
    else out.push(relative(root, p));
  }
  return out;
}

export function strayFiles(plan: LabPlan): string[] {
  const ids = `(${plan.routers.map((r) => r.id).join('|')})`;
  const known = KNOWN_FILES.map((f) => new RegExp(`^${f.replace('R', ids)}$`));
  return walk(plan.dir, plan.dir, []).filter((f) => !known.some((re) => re.test(f)));
}

export function expectedNamespaces(plan: LabPlan): string[] {
  return [
    plan.fabric,
    plan.ext,
    ...plan.routers.flatMap((r) => [r.vmFloating, r.vmSnat]),
    ...plan.nodes.flatMap((n) => plan.routers.map((r) => `${n.nsPrefix}${r.id}`)),
  ];
}

function labNamespaces(plan: LabPlan): string[] {
  try {
    return readdirSync('/run/netns').filter((n) => n.startsWith(`${plan.runId}-`));
  } catch {
    return [];
  }
}

// The agents and keepalived processes the lab should run, by their pid files.
function expectedPids(plan: LabPlan): Set<number> {
  const pids = new Set<number>();
  for (const n of plan.nodes) {
    const a = readPidFile(n.pidFile);
    if (a !== undefined) pids.add(a);
    for (const r of plan.routers)
      for (const s of ['', '-vrrp']) {
        const p = readPidFile(join(n.dir, 'run', `keepalived-${r.id}${s}.pid`));
        if (p !== undefined) pids.add(p);
      }
  }
  return pids;
}

const YOUNG_S = 3;

async function strayProcesses(runner: CommandRunner, plan: LabPlan, namespaces: string[]): Promise<string[]> {
  const expected = expectedPids(plan);
  const found = new Set([
    ...dirPids([plan.dir]),
    ...(await namespacePids(runner, namespaces)).map((p) => p.pid),
  ]);
  const mine = ancestorPids(process.pid);
  // A process younger than a few seconds is work in progress (a notify hook, a follow-up
  // GARP burst's `ip`); one that outlives that is left behind.
  return [...found]
    .filter((p) => !mine.has(p) && !expected.has(p) && isAlive(p) && (uptimeSeconds(p) ?? 0) >= YOUNG_S)
    .map((p) => `${p} ${(cmdline(p) ?? []).join(' ').slice(0, 120)}`);
}

const configs = new Map<string, AgentConfig>();
function agentOf(n: LabNode): AgentConfig {
  let c = configs.get(n.config);
  if (!c) {
    c = loadAgentConfig(n.config);
    configs.set(n.config, c);
  }
  return c;
}

export async function viewRouter(runner: CommandRunner, n: LabNode, r: LabRouter): Promise<NodeRouterView> {
  const agent = agentOf(n);
  const entry = parseRouterText(join(n.dir, 'routers.d', `${r.id}.yaml`), routerSpecText(r));
  if (Array.isArray(entry)) throw new Error(`the lab's own spec of ${r.id} does not parse`);
  const d = desiredOf(agent, entry.spec, [process.execPath, L3HA_MAIN]);
  const paths = routerPaths(agent, r.id);
  const o = await observeRouter(runner, d.ns, paths);
  const role = observedRole(d, o);
  const applied = await recordedNat(agent, r.id);
  const lastTransition = parseJournal(readJournal(paths.journal))
    .filter((e) => e.event === 'transition')
    .at(-1);
  return {
    node: n.name,
    router: r.id,
    role,
    routerAddrs: staleAddrs(d, o)
      .filter((a) => a.cidr !== d.vip.cidr || a.dev !== d.vip.dev)
      .map((a) => `${a.cidr}@${a.dev}`),
    renderedNatHash: d.natHash,
    natFileHash: o.natOnDisk === undefined ? undefined : sha256(o.natOnDisk),
    appliedHash: applied?.hash,
    appliedListing: applied?.listing,
    natKernel: o.natKernel,
    journalRole: lastTransition?.to,
    stateFile: (await readText(paths.state))?.trim(),
  };
}

export async function observeLab(runner: CommandRunner, plan: LabPlan): Promise<Observation> {
  const views: NodeRouterView[] = [];
  for (const n of plan.nodes) for (const r of plan.routers) views.push(await viewRouter(runner, n, r));
  const namespaces = labNamespaces(plan);
  return {
    views,
    routers: plan.routers.map((r) => r.id),
    namespaces,
    expectedNamespaces: expectedNamespaces(plan),
    strayProcesses: await strayProcesses(runner, plan, namespaces),
    strayFiles: strayFiles(plan),
  };
}
