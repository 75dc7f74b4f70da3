import { readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { cmdline, isAlive, signal } from './process.js';
import type { CommandRunner } from './runner.js';

// Removes what a crashed run left behind: namespaces with a given prefix (and every
// process inside them), and processes whose argv names a path under a given directory.
// Processes are chosen by pid from these exact criteria, never by a program name.

export interface SweepResult {
  readonly namespaces: string[];
  readonly pids: number[];
}

export async function sweep(
  runner: CommandRunner,
  prefix: string,
  dirs: readonly string[],
): Promise<SweepResult> {
  const pids = new Set<number>();
  if (dirs.length > 0) {
    for (const name of readdirSync('/proc')) {
      const pid = Number(name);
      if (!Number.isInteger(pid) || pid === process.pid) continue;
      const argv = cmdline(pid);
      if (argv?.some((a) => dirs.some((d) => a === d || a.startsWith(`${d}/`)))) pids.add(pid);
    }
  }
  const namespaces: string[] = [];
  if (prefix !== '') {
    let all: string[] = [];
    try {
      all = readdirSync('/run/netns');
    } catch {
      all = [];
    }
    for (const ns of all.filter((n) => n.startsWith(prefix))) {
      namespaces.push(ns);
      const r = await runner.run('ip', ['netns', 'pids', ns], { check: false });
      for (const p of r.stdout.split('\n').map(Number)) if (Number.isInteger(p) && p > 1) pids.add(p);
    }
  }
  for (const p of pids) signal(p, 'SIGKILL');
  const deadline = Date.now() + 3000;
  while ([...pids].some(isAlive) && Date.now() < deadline) await sleep(20);
  for (const ns of namespaces) await runner.run('ip', ['netns', 'del', ns], { check: false });
  return { namespaces, pids: [...pids] };
}
