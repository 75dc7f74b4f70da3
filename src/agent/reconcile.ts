import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ApplyContext, applyAction } from '../apply/apply.js';
import { clearContradictingFlows } from '../apply/conntrack.js';
import { namespaceOf } from '../config/derive.js';
import { routerPaths } from '../config/paths.js';
import type { AgentConfig } from '../config/schema-agent.js';
import { L3haError } from '../errors.js';
import { observedRole } from '../observe/role.js';
import { observeRouter } from '../observe/router.js';
import { describe } from '../plan/actions.js';
import { desiredRouter } from '../plan/desired.js';
import type { RouterMemory } from '../plan/observed.js';
import { planRouter, planTeardown } from '../plan/router.js';
import type { Logger } from '../system/logger.js';
import type { CommandRunner } from '../system/runner.js';
import type { JournalSource } from '../transitions/journal.js';
import type { TransitionTracker } from '../transitions/tracker.js';
import type { DesiredSet } from './desired-set.js';
import type { Metrics } from './metrics.js';
import type { WorkResult } from './queue.js';
import { replay } from './replay.js';

// One reconcile of one router: observe, plan (pure), apply, then tell the transition
// tracker the role the kernel shows. Level-triggered: it never asks why it was called.

export interface ReconcileDeps {
  readonly agent: AgentConfig;
  readonly desired: DesiredSet;
  readonly runner: CommandRunner;
  readonly notify: readonly string[];
  readonly log: Logger;
  readonly now: () => number;
  readonly memory: Map<string, RouterMemory>;
  readonly problems: Map<string, { code: string; message: string; at: string }>;
  readonly tracker: TransitionTracker;
  readonly metrics: Metrics;
  // Why each queued router was queued, when it was a hook or a resync.
  readonly reasons: Map<string, JournalSource>;
  // Routers whose debounced MASTER replay is due.
  readonly replayDue: Set<string>;
  readonly journal: (id: string, e: import('../transitions/journal.js').JournalEntry) => void;
}

export async function reconcile(deps: ReconcileDeps, id: string): Promise<WorkResult> {
  const { agent, runner } = deps;
  const log = deps.log.child({ router: id });
  const entry = deps.desired.get(id);
  const paths = routerPaths(agent, id);
  const ns = namespaceOf(agent, id);
  const ctx: ApplyContext = { runner, keepalivedBinary: agent.keepalivedBinary, now: deps.now };
  const source = deps.reasons.get(id) ?? 'observed';
  deps.reasons.delete(id);
  const observed = await observeRouter(runner, ns, paths);

  if (!entry) {
    const files = [paths.dir, paths.pid, paths.vrrpPid].filter((p) => existsSync(p));
    const stale = files.length > 0 || observed.keepalived.alive;
    const actions = stale
      ? planTeardown({ ns, managed: agent.plumbing.mode === 'managed', files }, observed)
      : [];
    for (const a of actions) {
      log.info({ action: describe(a) }, 'teardown');
      await applyAction(ctx, a);
    }
    deps.tracker.forget(id);
    deps.memory.delete(id);
    deps.problems.delete(id);
    deps.replayDue.delete(id);
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
    log.warn({ missing: plan.missing }, message);
    throw new L3haError('L3HA_COMMAND_FAILED', message);
  }
  let next: RouterMemory = { ...mem, ...plan.remember };
  for (const a of plan.actions) {
    log.info({ action: describe(a) }, 'apply');
    next = { ...next, ...(await applyAction(ctx, a)) };
    if (a.kind === 'startKeepalived') {
      next = { ...next, starts: [...(next.starts ?? []), deps.now()].slice(-10) };
      deps.metrics.keepalivedRestarts.inc({ router: id });
    }
  }
  deps.memory.set(id, next);
  deps.problems.delete(id);

  // The role is what this observation showed, unless this pass (re)built the router:
  // then the kernel is about to change and the next look decides.
  const rebuilt = plan.actions.some((a) => a.kind === 'startKeepalived' || a.kind === 'createNamespace');
  if (!rebuilt) {
    const role = observedRole(d, observed);
    deps.tracker.observe(id, role, source);
    if (deps.replayDue.delete(id) && role === 'MASTER') {
      const r = await replay(runner, d, entry.spec);
      deps.memory.set(id, { ...next, natApplied: r.natApplied });
      deps.metrics.replaySeconds.observe(r.ms / 1000);
      deps.journal(id, {
        time: new Date(deps.now()).toISOString(),
        event: 'replay',
        router: id,
        to: 'MASTER',
        replayMs: r.ms,
        conntrackDeleted: r.conntrackDeleted,
        errors: r.errors,
      });
      log.info(
        { replayMs: r.ms, conntrackDeleted: r.conntrackDeleted, errors: r.errors },
        'MASTER replay done',
      );
      deps.tracker.startGarps(id);
    } else if (
      role === 'MASTER' &&
      plan.actions.some((a) => a.kind === 'applyNat' && a.hash !== mem.natApplied?.hash)
    ) {
      // The NAT mapping changed on the MASTER: flows made under the old mapping would keep
      // going to the old fixed IP, so they go; flows whose mapping holds are untouched.
      const map = new Map(entry.spec.floatingIps.map((f) => [f.floating, f.fixed]));
      const deleted = await clearContradictingFlows(runner, d.ns, map);
      if (deleted.length > 0)
        log.info({ conntrackDeleted: deleted.length }, 'cleared flows of the old NAT mapping');
    }
  }
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
