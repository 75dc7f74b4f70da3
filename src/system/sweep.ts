import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startOf } from './proc-identity.js';
import { ancestorPids, cmdline, isAlive, signal } from './process.js';
import type { CommandRunner } from './runner.js';

// Removes what a crashed run left behind: namespaces with a given prefix (and every
// process inside them), and processes whose argv names a path under a given directory.
// Processes are chosen by pid from these exact criteria, never by a program name.

// A directory l3ha made (for a lab, drill or bench run, or a stateDir or runDir the agent
// created) holds this file; `l3ha sweep --dir` refuses any other directory (so `--dir
// /usr/lib` kills nothing).
export const RUN_MARKER = '.l3ha-run';

export function markRunDir(dir: string): void {
  writeFileSync(join(dir, RUN_MARKER), 'made by l3ha; l3ha sweep --dir may clean it\n', { mode: 0o600 });
}

// Makes a directory l3ha owns and marks it, only when l3ha creates it: a directory that was
// there already (a systemd StateDirectory, /var/lib itself) is not l3ha's to sweep.
export function makeOwnDir(dir: string, mode = 0o755): void {
  if (existsSync(dir)) return;
  mkdirSync(dir, { recursive: true, mode });
  markRunDir(dir);
}

export const isRunDir = (dir: string): boolean => existsSync(join(dir, RUN_MARKER));

export interface SweepResult {
  readonly namespaces: string[];
  readonly pids: number[];
}

// A process can fork between a scan and the kill (keepalived starting a notify hook, say), so
// the scan is repeated until one finds nothing alive; the namespaces go last, then one more
// scan catches a hook that was started inside a namespace just before it was deleted.
const ROUNDS = 5;

export async function sweep(
  runner: CommandRunner,
  prefix: string,
  dirs: readonly string[],
): Promise<SweepResult> {
  const all = new Set<number>();
  const namespaces = prefix === '' ? [] : namespacesWith(prefix);
  const round = async (inNamespaces: boolean): Promise<boolean> => {
    const byDir = dirPids(dirs).map((pid) => ({ pid, ns: undefined }));
    const byNs = inNamespaces ? await namespacePids(runner, namespaces) : [];
    const scanned = [...byDir, ...byNs]
      .filter((p) => isAlive(p.pid))
      .map((p) => ({ ...p, start: startOf(p.pid) }));
    const found: number[] = [];
    for (const p of scanned) {
      // Right before the signal: the same process as at the scan (a pid that exited since
      // may be reused) and still in its namespace or naming its directory.
      if (p.start === undefined || startOf(p.pid) !== p.start) continue;
      if (p.ns === undefined ? !namesDir(p.pid, dirs) : !inNamespace(p.pid, p.ns)) continue;
      found.push(p.pid);
      all.add(p.pid);
      signal(p.pid, 'SIGKILL');
    }
    const deadline = Date.now() + 3000;
    while (found.some(isAlive) && Date.now() < deadline) await sleep(20);
    return found.length > 0;
  };
  for (let i = 0; i < ROUNDS && (await round(true)); i++);
  for (const ns of namespaces) await runner.run('ip', ['netns', 'del', ns], { check: false });
  for (let i = 0; i < ROUNDS && (await round(false)); i++);
  return { namespaces, pids: [...all] };
}

const namesDir = (pid: number, dirs: readonly string[]): boolean =>
  cmdline(pid)?.some((a) => dirs.some((d) => a === d || a.startsWith(`${d}/`))) === true;

// Processes whose argv names a path under one of dirs (this process and its ancestors left out).
export function dirPids(dirs: readonly string[]): number[] {
  if (dirs.length === 0) return [];
  const pids: number[] = [];
  // Never this process or what started it (a `timeout` wrapper naming the directory, lesson 38).
  const mine = ancestorPids(process.pid);
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || mine.has(pid)) continue;
    if (namesDir(pid, dirs)) pids.push(pid);
  }
  return pids;
}

function namespacesWith(prefix: string): string[] {
  try {
    return readdirSync('/run/netns').filter((n) => n.startsWith(prefix));
  } catch {
    return [];
  }
}

// Every process inside the given namespaces (`ip netns pids`), with its namespace.
export async function namespacePids(
  runner: CommandRunner,
  namespaces: readonly string[],
): Promise<{ pid: number; ns: string }[]> {
  const pids: { pid: number; ns: string }[] = [];
  for (const ns of namespaces) {
    const r = await runner.run('ip', ['netns', 'pids', ns], { check: false });
    for (const p of r.stdout.split('\n').map(Number))
      if (Number.isInteger(p) && p > 1) pids.push({ pid: p, ns });
  }
  return pids;
}

const inodeOf = (path: string): number => {
  try {
    return statSync(path).ino;
  } catch {
    return -1;
  }
};
// The process is in the named network namespace (the inode test of `ip netns pids`).
const inNamespace = (pid: number, ns: string): boolean => {
  const want = inodeOf(`/run/netns/${ns}`);
  return want > 0 && inodeOf(`/proc/${pid}/ns/net`) === want;
};
