import { type ApplyContext, applyAction, type Outcome } from '../apply/apply.js';
import { namespaceOf } from '../config/derive.js';
import { routerPaths } from '../config/paths.js';
import type { AgentConfig } from '../config/schema-agent.js';
import { asL3haError, L3haError } from '../errors.js';
import type { KernelViews } from '../observe/kernel-views.js';
import { leftoverFiles } from '../observe/known.js';
import { observeRouter } from '../observe/router.js';
import { type Action, describe } from '../plan/actions.js';
import { desiredOf } from '../plan/desired.js';
import type { RouterMemory } from '../plan/observed.js';
import { planRouter, planTeardown, withRequests } from '../plan/router.js';
import type { Logger } from '../system/logger.js';
import { replayEntry } from '../transitions/journal.js';
import type { DesiredView } from './desired-set.js';
import type { Metrics } from './metrics.js';
import type { WorkResult } from './queue.js';
import type { RouterStates } from './router-states.js';

// One reconcile of one router: observe, plan (pure), apply. Level-triggered: it takes
// only the router's id, so a hook, a file event, a resync or a timer all do the same.

export interface ReconcileDeps {
  readonly agent: AgentConfig;
  readonly notify: readonly string[];
  readonly desired: DesiredView;
  readonly states: RouterStates;
  readonly io: ApplyContext;
  readonly log: Logger;
  readonly metrics: Metrics;
  // The kernel readings still trusted (lesson 28); every action ends its router's.
  readonly views?: KernelViews;
}

export async function reconcile(id: string, deps: ReconcileDeps): Promise<WorkResult> {
  const { agent, io } = deps;
  const log = deps.log.child({ router: id });
  const entry = deps.desired.get(id);
  const paths = routerPaths(agent, id);
  const ns = namespaceOf(agent, id);
  const observed = await observeRouter(io.runner, ns, paths, {
    watched: (n) => io.netns.has(n),
    views: deps.views,
    binary: io.keepalivedBinary,
    recorded: deps.states.get(id).procs,
  });
  // A pid file that names a live process that is not this router's keepalived: never
  // signalled; keepalived counts as gone, so a real one is started.
  if (observed.keepalived.refused)
    log.warn({ refused: observed.keepalived.refused }, 'pid file names a process that is not our keepalived');

  if (!entry) {
    const files = leftoverFiles(paths);
    if ((files.length > 0 || observed.keepalived.alive) && deps.desired.invalid()) {
      // Bad input never tears down a running router: this one's file may be the bad one.
      log.warn('kept: not torn down while a router file is invalid; fix or remove the file');
      return {};
    }
    if (files.length > 0 || observed.keepalived.alive) {
      const t = { ns, managed: agent.plumbing.mode === 'managed', files, conf: paths.keepalivedConf };
      for (const a of planTeardown(t, observed)) await run(deps, log, ns, a, 'teardown');
    }
    deps.states.forget(id);
    return {};
  }

  const d = desiredOf(agent, entry.spec, deps.notify);
  const mem = withRequests(deps.states.get(id), deps.states.takeRequests(id));
  const plan = planRouter(d, observed, mem, io.now());
  if (plan.backoffMs !== undefined)
    log.warn({ retryInMs: plan.backoffMs }, 'keepalived keeps exiting; delaying respawn');
  if (plan.missing.length > 0) {
    deps.states.set(id, plan.memory);
    throw new L3haError('L3HA_PLUMBING_MISSING', `external plumbing missing: ${plan.missing.join(', ')}`);
  }
  let next: RouterMemory = plan.memory;
  for (const a of plan.actions) {
    let out: Outcome;
    try {
      out = await run(deps, log, ns, a, 'apply');
    } catch (err) {
      // keepalived refused the new config: remember it, so it is not tried again until
      // the spec changes, and keep what was learnt so far.
      const e = asL3haError(err);
      if (a.kind === 'writeKeepalivedConf' && e.terminal) next = { ...next, rejectedConf: d.confHash };
      deps.states.set(id, next);
      throw e;
    }
    next = { ...next, ...out.remember };
    record(deps, id, a, out);
    if (out.replay) {
      const entry = replayEntry(id, out.replay, io.now());
      await run(deps, log, ns, { kind: 'journal', path: d.paths.journal, entry }, 'apply');
    }
  }
  deps.states.set(id, next);
  if (next.rejectedConf === undefined) deps.states.setProblem(id, undefined);
  return { requeueAfterMs: plan.requeueAfterMs };
}

// Any action may change what the kernel shows, keepalived's too (a stop removes its
// addresses, and its event can arrive after the next look), and a failed one may have
// changed part of it: the router's next look reads the kernel.
async function run(deps: ReconcileDeps, log: Logger, ns: string, a: Action, what: string): Promise<Outcome> {
  if (a.kind !== 'journal') log.info({ action: describe(a) }, what);
  try {
    const out = await applyAction(deps.io, a);
    if (out.warning) log.warn({ err: out.warning }, 'action incomplete');
    return out;
  } finally {
    deps.views?.invalidate(ns);
  }
}

// Metrics and log lines for what an action did.
function record(deps: ReconcileDeps, id: string, a: Action, out: Outcome): void {
  const { metrics } = deps;
  if (a.kind === 'startKeepalived') metrics.keepalivedRestarts.inc({ router: id });
  if (a.kind === 'journal' && a.entry.event === 'transition' && a.entry.to)
    metrics.transitions.inc({ router: id, to: a.entry.to });
  if (out.garpsSent) metrics.garpsSent.inc(out.garpsSent);
  if (out.conntrackDeleted)
    deps.log.info(
      { router: id, conntrackDeleted: out.conntrackDeleted },
      'cleared flows of the old NAT mapping',
    );
  const r = out.replay;
  if (r) {
    metrics.replaySeconds.observe(r.ms / 1000);
    deps.log.info(
      { router: id, replayMs: r.ms, conntrackDeleted: r.conntrackDeleted, errors: r.errors },
      'MASTER replay done',
    );
  }
}

// The queue's error report: the router's problem for status, a metric and a log line.
export function reconcileFailed(deps: Pick<ReconcileDeps, 'states' | 'metrics' | 'log'>) {
  return (id: string, err: unknown, retryInMs: number | undefined): void => {
    const e = asL3haError(err);
    deps.states.setProblem(id, {
      code: e.code,
      message: e.message,
      at: new Date().toISOString(),
      terminal: e.terminal,
    });
    deps.metrics.reconcileErrors.inc({ router: id });
    deps.log.error(
      { router: id, code: e.code, err: e.message, terminal: e.terminal, retryInMs },
      'reconcile failed',
    );
  };
}
