import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ancestorPids, cmdline, isAlive, signal } from './process.js';
import type { CommandRunner } from './runner.js';

// Removes what a crashed run left behind: namespaces with a given prefix (and every
// process inside them), and processes whose argv names a path under a given directory.
// Processes are chosen by pid from these exact criteria, never by a program name.

// A directory l3ha made for a lab, drill or bench run holds this file; `l3ha sweep --dir`
// refuses any other directory (so `--dir /usr/lib` kills nothing).
export const RUN_MARKER = '.l3ha-run';

export function markRunDir(dir: string): void {
  writeFileSync(join(dir, RUN_MARKER), 'made by l3ha for a lab, drill or bench run\n', { mode: 0o600 });
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
    const found = [...dirPids(dirs), ...(inNamespaces ? await namespacePids(runner, namespaces) : [])].filter(
      isAlive,
    );
    for (const p of found) {
      all.add(p);
      signal(p, 'SIGKILL');
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

// Processes whose argv names a path under one of dirs (this process and its ancestors left out).
export function dirPids(dirs: readonly string[]): number[] {
  if (dirs.length === 0) return [];
  const pids: number[] = [];
  // Never this process or what started it (a `timeout` wrapper naming the directory, lesson 37).
  const mine = ancestorPids(process.pid);
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || mine.has(pid)) continue;
    const argv = cmdline(pid);
    if (argv?.some((a) => dirs.some((d) => a === d || a.startsWith(`${d}/`)))) pids.push(pid);
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

// Every process inside the given namespaces (`ip netns pids`).
export async function namespacePids(runner: CommandRunner, namespaces: readonly string[]): Promise<number[]> {
  const pids: number[] = [];
  for (const ns of namespaces) {
    const r = await runner.run('ip', ['netns', 'pids', ns], { check: false });
    for (const p of r.stdout.split('\n').map(Number)) if (Number.isInteger(p) && p > 1) pids.push(p);
  }
  return pids;
}
