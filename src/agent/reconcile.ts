import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ApplyContext, applyAction } from '../apply/apply.js';
import { namespaceOf } from '../config/derive.js';
import { routerPaths } from '../config/paths.js';
import type { AgentConfig } from '../config/schema-agent.js';
import { L3haError } from '../errors.js';
import { observeRouter } from '../observe/router.js';
import { describe } from '../plan/actions.js';
import { desiredRouter } from '../plan/desired.js';
import type { RouterMemory } from '../plan/observed.js';
import { planRouter, planTeardown } from '../plan/router.js';
import type { Logger } from '../system/logger.js';
import type { CommandRunner } from '../system/runner.js';
import type { DesiredSet } from './desired-set.js';
import type { WorkResult } from './queue.js';

// One reconcile of one router: observe, plan (pure), apply. Level-triggered: it never
// asks why it was called.

export interface ReconcileDeps {
  readonly agent: AgentConfig;
  readonly desired: DesiredSet;
  readonly runner: CommandRunner;
  readonly notify: readonly string[];
  readonly log: Logger;
  readonly now: () => number;
  readonly memory: Map<string, RouterMemory>;
  readonly problems: Map<string, { code: string; message: string; at: string }>;
}

export async function reconcile(deps: ReconcileDeps, id: string): Promise<WorkResult> {
  const { agent, runner } = deps;
  const log = deps.log.child({ router: id });
  const entry = deps.desired.get(id);
  const paths = routerPaths(agent, id);
  const ns = namespaceOf(agent, id);
  const ctx: ApplyContext = { runner, keepalivedBinary: agent.keepalivedBinary, now: deps.now };
  const observed = await observeRouter(runner, ns, paths);

  if (!entry) {
    const files = [paths.dir, paths.pid, paths.vrrpPid].filter((p) => existsSync(p));
    const actions =
      files.length > 0 || observed.keepalived.alive
        ? planTeardown({ ns, managed: agent.plumbing.mode === 'managed', files }, observed)
        : [];
    for (const a of actions) {
      log.info({ action: describe(a) }, 'teardown');
      await applyAction(ctx, a);
    }
    deps.memory.delete(id);
    deps.problems.delete(id);
    return {};
  }

  const d = desiredRouter(agent, entry.spec, deps.notify);
  const k = observed.keepalived;
  const mem: RouterMemory = {
    ...deps.memory.get(id),
    pids: [k.alive ? k.pid : undefined, k.vrrpAlive ? k.vrrpPid : undefined].filter(
      (p): p is number => p !== undefined,
    ),
  };
  deps.memory.set(id, mem);
  // A keepalived that keeps dying is respawned with backoff, not in a tight loop.
  if (!k.alive) {
    const wait = respawnDelayMs(mem.starts ?? [], deps.now());
    if (wait > 0) {
      log.warn({ retryInMs: wait }, 'keepalived keeps exiting; delaying respawn');
      return { requeueAfterMs: wait };
    }
  }
  const plan = planRouter(d, observed, mem, deps.now());
  if (plan.missing.length > 0) {
    const message = `external plumbing missing: ${plan.missing.join(', ')}`;
    deps.problems.set(id, { code: 'L3HA_COMMAND_FAILED', message, at: new Date().toISOString() });
    log.warn({ missing: plan.missing }, message);
    throw new L3haError('L3HA_COMMAND_FAILED', message);
  }
  let next: RouterMemory = mem;
  for (const a of plan.actions) {
    log.info({ action: describe(a) }, 'apply');
    const patch = await applyAction(ctx, a);
    next = { ...next, ...patch };
    if (a.kind === 'startKeepalived')
      next = { ...next, starts: [...(next.starts ?? []), deps.now()].slice(-10) };
    deps.memory.set(id, next);
  }
  deps.problems.delete(id);
  return { requeueAfterMs: plan.requeueAfterMs };
}

// Respawn backoff: free for the first restart in a minute, then 0.5 s doubling to 30 s.
export function respawnDelayMs(starts: readonly number[], now: number): number {
  const recent = starts.filter((t) => now - t < 60_000);
  if (recent.length < 2) return 0;
  const delay = Math.min(30_000, 500 * 2 ** (recent.length - 2));
  const since = now - (recent[recent.length - 1] ?? 0);
  return Math.max(0, delay - since);
}

// Router ids that this node has state for (stateDir/routers/<id>), wanted or not.
export function knownIds(agent: AgentConfig): string[] {
  try {
    return readdirSync(join(agent.stateDir, 'routers'));
  } catch {
    return [];
  }
}
