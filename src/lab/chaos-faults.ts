import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDaemon } from '../system/background.js';
import { atomicWrite, ensureDir, listDir, removePath } from '../system/files.js';
import { isAlive, readPidFile, signal } from '../system/process.js';
import type { CommandRunner } from '../system/runner.js';
import { ensureAgent, healHa } from './faults.js';
import { restorePeerLink } from './peer-cut.js';
import type { LabNode, LabPlan } from './plan.js';

// The chaos drill's faults beyond the drill scenarios, and their repairs. Like faults.ts,
// everything is done by pid or by the lab's own names, inside the lab's namespaces.

const pidFiles = (n: LabNode, id: string) =>
  ['-vrrp', ''].map((s) => join(n.dir, 'run', `keepalived-${id}${s}.pid`));

// Hangs one router's keepalived without killing it: the VRRP child, then its parent.
export function freezeKeepalived(n: LabNode, id: string): number[] {
  const pids = pidFiles(n, id)
    .map(readPidFile)
    .filter((p): p is number => p !== undefined);
  for (const p of pids) signal(p, 'SIGSTOP');
  return pids;
}

// Wakes what freezeKeepalived stopped, parent first.
export function thawKeepalived(pids: readonly number[]): void {
  for (const p of [...pids].reverse()) signal(p, 'SIGCONT');
}

// A CPU hog on a node: one busy loop per core, each a node process inside the node's
// namespace of the router (so a sweep of the node's namespaces kills it too), detached,
// known by its pid file under the lab's chaos/ dir (whose path its argv names).
const hogDir = (plan: LabPlan) => join(plan.dir, 'chaos');

export async function startHogs(plan: LabPlan, n: LabNode, ns: string, count: number): Promise<number[]> {
  const dir = hogDir(plan);
  await ensureDir(dir, 0o700);
  const pids: number[] = [];
  for (let i = 0; i < count; i++) {
    const tag = join(dir, `hog-${n.name}-${i}`);
    pids.push(
      await startDaemon(
        ['ip', 'netns', 'exec', ns, process.execPath, '-e', 'for(;;){}', tag],
        `${tag}.log`,
        `${tag}.pid`,
      ),
    );
  }
  return pids;
}

// Kills every hog by its pid file, waits until they are gone, and removes their files.
export async function stopHogs(plan: LabPlan): Promise<void> {
  const dir = hogDir(plan);
  const pids = listDir(dir)
    .filter((f) => f.endsWith('.pid'))
    .map((f) => readPidFile(join(dir, f)))
    .filter((p): p is number => p !== undefined);
  for (const p of pids) signal(p, 'SIGKILL');
  const deadline = Date.now() + 5000;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(20);
  await removePath(dir);
}

// Loss and delay on a node's HA link, both ways: tc netem on the bridge ports towards the
// node's router namespaces (in the fabric) and on each router namespace's HA interface.
// A kernel without sch_netem gets the loss alone, from a random-drop nft table on the
// fabric's bridge (no delay); the caller is told which.
export const NETEM = ['netem', 'loss', '20%', 'delay', '50ms'];
const lossTable = (n: LabNode) => `l3ha_loss_${n.name}`;

function haPorts(plan: LabPlan, n: LabNode): { ns: string; dev: string }[] {
  return plan.routers.flatMap((r) => [
    { ns: plan.fabric, dev: `h${n.index}-${r.k}` },
    { ns: `${n.nsPrefix}${r.id}`, dev: 'ha' },
  ]);
}

const tc = (runner: CommandRunner, ns: string, args: string[]) =>
  runner.run('ip', ['netns', 'exec', ns, 'tc', 'qdisc', ...args], { check: false });

export async function addHaLoss(
  runner: CommandRunner,
  plan: LabPlan,
  n: LabNode,
): Promise<'netem' | 'nft-loss'> {
  const ports = haPorts(plan, n);
  const first = ports[0];
  if (first && (await tc(runner, first.ns, ['replace', 'dev', first.dev, 'root', ...NETEM])).exitCode === 0) {
    for (const p of ports.slice(1)) await tc(runner, p.ns, ['replace', 'dev', p.dev, 'root', ...NETEM]);
    return 'netem';
  }
  const drop = (dir: string) => `${dir} "h${n.index}-*" numgen random mod 100 < 20 drop;`;
  const table = `table bridge ${lossTable(n)} { chain f { type filter hook forward priority 5; policy accept; ${drop('iifname')} ${drop('oifname')} }; }`;
  await runner.run('ip', ['netns', 'exec', plan.fabric, 'nft', '-f', '-'], { input: `${table}\n` });
  return 'nft-loss';
}

// Absent qdiscs or table are not errors: the node may have been rebuilt since.
export async function removeHaLoss(runner: CommandRunner, plan: LabPlan, n: LabNode): Promise<void> {
  for (const p of haPorts(plan, n)) await tc(runner, p.ns, ['del', 'dev', p.dev, 'root']);
  await runner.run('ip', ['netns', 'exec', plan.fabric, 'nft', 'delete', 'table', 'bridge', lossTable(n)], {
    check: false,
  });
}

// Edits a router's file on both nodes, as config management would; returns the originals.
export type RouterEdit = 'comment' | 'reorder' | 'bad';

export function editedSpec(text: string, edit: RouterEdit): string {
  if (edit === 'comment') return `# edited by the chaos drill\n${text}`;
  if (edit === 'reorder') {
    const lines = text.split('\n').filter((l) => l !== '');
    return `${lines.reverse().join('\n')}\n`;
  }
  // Out of range: the file must be refused and the router left as it runs.
  return text.replace(/^vrid: \d+$/m, 'vrid: 300');
}

export async function editRouterFile(
  plan: LabPlan,
  id: string,
  edit: RouterEdit,
): Promise<Map<string, string>> {
  const originals = new Map<string, string>();
  for (const n of plan.nodes) {
    const file = join(n.dir, 'routers.d', `${id}.yaml`);
    const text = readFileSync(file, 'utf8');
    originals.set(file, text);
    await atomicWrite(file, editedSpec(text, edit));
  }
  return originals;
}

export async function restoreFiles(originals: ReadonlyMap<string, string>): Promise<void> {
  for (const [file, text] of originals) await atomicWrite(file, text);
}

// Undoes whatever a chaos fault may have left when a run stops in its middle, on a lab the
// run did not bring up: frozen keepalived woken, hogs killed, netem, cuts and the peer-link
// cut removed, the lab's router files written back, both agents running.
export async function healLab(
  runner: CommandRunner,
  plan: LabPlan,
  specs: ReadonlyMap<string, string>,
): Promise<void> {
  for (const n of plan.nodes) {
    for (const r of plan.routers)
      thawKeepalived(
        pidFiles(n, r.id)
          .map(readPidFile)
          .filter((p): p is number => p !== undefined),
      );
    await removeHaLoss(runner, plan, n);
    await healHa(runner, plan, n);
  }
  await restorePeerLink(runner, plan);
  await stopHogs(plan);
  await restoreFiles(specs);
  for (const n of plan.nodes) await ensureAgent(n);
}
