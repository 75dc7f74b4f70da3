import type { Server } from 'node:http';
import { sendGarp } from '../apply/garp.js';
import { stopKeepalived } from '../apply/keepalived.js';
import { HA_IF, profileOf } from '../config/derive.js';
import { controlSocket, routerPaths } from '../config/paths.js';
import type { AgentConfig } from '../config/schema-agent.js';
import { L3haError } from '../errors.js';
import type { Role } from '../observe/role.js';
import { observedRole } from '../observe/role.js';
import { observeRouter } from '../observe/router.js';
import { desiredRouter } from '../plan/desired.js';
import type { RouterMemory } from '../plan/observed.js';
import { listenControl } from '../system/control-server.js';
import { atomicWrite, ensureDir } from '../system/files.js';
import { listenHttp } from '../system/http-listen.js';
import { appendJournal, readJournal } from '../system/journal-file.js';
import type { Logger } from '../system/logger.js';
import { isAlive } from '../system/process.js';
import type { CommandRunner } from '../system/runner.js';
import { watchDir } from '../system/watcher.js';
import {
  formatEntry,
  JOURNAL_MAX_BYTES,
  type JournalEntry,
  type JournalSource,
  parseJournal,
} from '../transitions/journal.js';
import { Semaphore } from '../transitions/semaphore.js';
import { TransitionTracker } from '../transitions/tracker.js';
import { DesiredSet } from './desired-set.js';
import { createMetrics, type Metrics } from './metrics.js';
import { PeerLink } from './peer-link.js';
import { WorkQueue } from './queue.js';
import { knownIds, type ReconcileDeps, reconcile } from './reconcile.js';
import { routerStatus } from './status.js';

// The supervisor: watches the routers directory, reconciles each router through a
// deduplicating queue, follows role transitions, resyncs everything periodically and
// serves status. Stopping the agent leaves keepalived and the data plane untouched.

// How often the agent probes keepalived pids; bounds the time to notice a crash.
export const LIVENESS_MS = 200;
// At most this many arping processes at once, so a mass failover cannot fork-bomb the node.
export const GARP_CONCURRENCY = 32;

export interface AgentOptions {
  readonly agent: AgentConfig;
  readonly runner: CommandRunner;
  readonly log: Logger;
  readonly notify: readonly string[];
  readonly concurrency?: number;
  readonly debounceMs?: number;
}

export class Agent {
  private readonly desired: DesiredSet;
  private readonly deps: ReconcileDeps;
  private readonly queue: WorkQueue;
  private readonly tracker: TransitionTracker;
  private readonly metrics: Metrics;
  private readonly garpLimit = new Semaphore(GARP_CONCURRENCY);
  private readonly peer: PeerLink | undefined;
  private watcher: { close(): Promise<void> } | undefined;
  private servers: Server[] = [];
  private timers: NodeJS.Timeout[] = [];
  private readonly startedAt = new Date().toISOString();

  constructor(private readonly opts: AgentOptions) {
    const { agent, log } = opts;
    this.desired = new DesiredSet(agent);
    this.metrics = createMetrics(() => this.roleCounts());
    this.tracker = new TransitionTracker({
      now: () => Date.now(),
      journal: (id, e) => this.journal(id, e),
      replayDue: (id) => {
        this.deps.replayDue.add(id);
        this.queue.addUrgent(id);
      },
      garpBurst: (id) => this.garpBurst(id),
      followUps: (id) => this.profile(id)?.garp.followUps ?? [],
      // Long enough to ride out a flap, short enough that the replay follows promptly.
      debounceMs: (id) => Math.min(1000, Math.max(100, 2 * 1000 * (this.profile(id)?.advertInt ?? 1))),
      onTransition: (id, _from, to) => {
        this.metrics.transitions.inc({ router: id, to });
        // stateDir/routers/<id>/state: the role this node last observed, for tools that read files.
        void atomicWrite(routerPaths(agent, id).state, `${to}\n`).catch(() => undefined);
      },
    });
    this.peer = agent.peerLink
      ? new PeerLink(agent.peerLink, {
          node: agent.node,
          roles: () => this.roles(),
          log,
          onSplit: (ids) => this.onSplit(ids),
          onHeal: (ids) => this.onHeal(ids),
        })
      : undefined;
    this.deps = {
      agent,
      desired: this.desired,
      runner: opts.runner,
      notify: opts.notify,
      log,
      now: () => Date.now(),
      memory: new Map<string, RouterMemory>(),
      problems: new Map(),
      tracker: this.tracker,
      metrics: this.metrics,
      reasons: new Map(),
      replayDue: new Set(),
      journal: (id, e) => this.journal(id, e),
    };
    this.queue = new WorkQueue((id) => reconcile(this.deps, id), {
      concurrency: opts.concurrency ?? 4,
      onError: (id, err, retryIn) => {
        const e = err instanceof L3haError ? err : undefined;
        const problem = {
          code: e?.code ?? 'L3HA_INTERNAL',
          message: (err as Error).message,
          at: new Date().toISOString(),
        };
        this.deps.problems.set(id, problem);
        this.metrics.reconcileErrors.inc({ router: id });
        log.error(
          { router: id, code: problem.code, err: problem.message, retryInMs: retryIn },
          'reconcile failed',
        );
      },
    });
  }

  async start(): Promise<void> {
    const { agent, log } = this.opts;
    await ensureDir(agent.runDir, 0o755);
    await ensureDir(agent.stateDir, 0o755);
    this.refresh();
    this.seedRoles();
    // Routers this node has state for but no longer wants: tear them down.
    for (const id of knownIds(agent)) this.queue.add(id);
    this.servers.push(await listenControl(controlSocket(agent), (m, u) => this.handle(m, u)));
    if (agent.metrics) {
      this.servers.push(
        await listenHttp(agent.metrics.listen, async (_req, url) =>
          url.pathname === '/metrics'
            ? {
                status: 200,
                type: this.metrics.registry.contentType,
                body: await this.metrics.registry.metrics(),
              }
            : { status: 404, type: 'text/plain', body: 'not found\n' },
        ),
      );
    }
    await this.peer?.start();
    this.watcher = watchDir(agent.routersDir, this.opts.debounceMs ?? 200, () => this.refresh());
    this.timers.push(setInterval(() => this.resyncAll(), agent.resyncSeconds * 1000));
    this.timers.push(setInterval(() => this.checkLiveness(), LIVENESS_MS));
    log.info(
      { node: agent.node, routers: this.desired.ids().length, socket: controlSocket(agent) },
      'agent started',
    );
  }

  // Re-reads the routers directory and queues what changed or went away.
  refresh(): void {
    let r: ReturnType<DesiredSet['refresh']>;
    try {
      r = this.desired.refresh();
    } catch (err) {
      this.opts.log.error(
        { err: (err as Error).message },
        'cannot read routers directory; keeping last good state',
      );
      return;
    }
    for (const e of r.errors) {
      this.opts.log.error(
        { code: e.code, file: e.file, field: e.field, value: e.value, err: e.message },
        'invalid router file; its router keeps its last good state',
      );
    }
    for (const id of [...r.changed, ...r.removed]) this.queue.addUrgent(id);
  }

  resyncAll(): void {
    this.refresh();
    for (const id of new Set([...this.desired.ids(), ...knownIds(this.opts.agent)])) {
      if (!this.deps.reasons.has(id)) this.deps.reasons.set(id, 'resync');
      this.queue.add(id);
    }
  }

  // Queue one router for a fresh look (the notify hook's nudge). The hook's claimed
  // state is not used: the reconcile reads the kernel.
  nudge(id: string): boolean {
    if (!this.desired.get(id)) return false;
    this.deps.reasons.set(id, 'hook');
    this.queue.addUrgent(id);
    return true;
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  roles(): Record<string, Role> {
    const out: Record<string, Role> = {};
    for (const id of this.desired.ids()) {
      const r = this.tracker.role(id);
      if (r) out[id] = r;
    }
    return out;
  }

  async status(): Promise<unknown> {
    const { agent, runner, notify } = this.opts;
    const routers = [];
    const split = this.peer?.splitIds() ?? new Set<string>();
    for (const id of this.desired.ids().sort()) {
      const entry = this.desired.get(id);
      if (!entry) continue;
      const lastError = this.deps.problems.get(id);
      const journal = parseJournal(readJournal(routerPaths(agent, id).journal));
      const lastTransition = journal.filter((e) => e.event === 'transition').at(-1) ?? null;
      const s = await routerStatus(runner, agent, entry.spec, notify, this.deps.memory.get(id), {
        ...(lastError ? { lastError } : {}),
        lastTransition,
      });
      routers.push(split.has(id) ? { ...s, role: 'SPLIT' } : s);
    }
    const m = process.memoryUsage();
    const mib = (x: number) => Math.round((x / 2 ** 20) * 10) / 10;
    const memory = {
      rssMiB: mib(m.rss),
      heapUsedMiB: mib(m.heapUsed),
      heapTotalMiB: mib(m.heapTotal),
      externalMiB: mib(m.external),
    };
    return {
      node: agent.node,
      nodeIndex: agent.nodeIndex,
      pid: process.pid,
      startedAt: this.startedAt,
      memory,
      routers,
    };
  }

  // Stops watching and serving. keepalived, namespaces and NAT stay as they are.
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.queue.stop();
    this.tracker.stop();
    await this.peer?.stop();
    await this.watcher?.close();
    for (const s of this.servers) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private profile(id: string) {
    const e = this.desired.get(id);
    return e ? profileOf(this.opts.agent, e.spec) : undefined;
  }

  private journal(id: string, e: JournalEntry): void {
    try {
      appendJournal(routerPaths(this.opts.agent, id).journal, formatEntry(e), JOURNAL_MAX_BYTES);
    } catch (err) {
      this.opts.log.warn({ router: id, err: (err as Error).message }, 'cannot write journal');
    }
  }

  // On start, each router's role is what the journal last recorded: adopting a running
  // MASTER is not a transition and replays nothing.
  private seedRoles(): void {
    for (const id of this.desired.ids()) {
      const last = parseJournal(readJournal(routerPaths(this.opts.agent, id).journal))
        .filter((e) => e.event === 'transition')
        .at(-1);
      if (last?.to) this.tracker.seed(id, last.to as Role);
    }
  }

  // One GARP per router address on the gateway and internal interfaces. Resolves once
  // every arping is started; each holds a slot of the cap until it exits.
  private async garpBurst(id: string): Promise<number> {
    const e = this.desired.get(id);
    if (!e || this.tracker.role(id) !== 'MASTER') return 0;
    const d = desiredRouter(this.opts.agent, e.spec, this.opts.notify);
    const addrs = d.vrrpAddrs.filter((a) => a.dev !== HA_IF);
    await Promise.all(
      addrs.map(
        (a) =>
          new Promise<void>((started) => {
            void this.garpLimit.run(async () => {
              const g = sendGarp(d.ns, a);
              started();
              await g.exited;
            });
          }),
      ),
    );
    this.metrics.garpsSent.inc(addrs.length);
    return addrs.length;
  }

  private onSplit(ids: string[]): void {
    this.metrics.splitBrain.set(this.peer?.splitIds().size ?? 0);
    for (const id of ids) {
      this.opts.log.error({ router: id }, 'SPLIT: router is MASTER on both nodes');
      this.journal(id, { time: new Date().toISOString(), event: 'split', router: id, to: 'SPLIT' });
    }
  }

  private onHeal(ids: string[]): void {
    this.metrics.splitBrain.set(this.peer?.splitIds().size ?? 0);
    for (const id of ids) {
      const role = this.tracker.role(id);
      this.opts.log.warn({ router: id, role }, 'split healed');
      this.journal(id, { time: new Date().toISOString(), event: 'heal', router: id, to: role });
      // keepalived sends no GARP after a split heals (its issue #166): the survivor re-announces.
      if (role === 'MASTER') this.tracker.startGarps(id, [0, 0.5, 2], Date.now());
    }
  }

  private roleCounts(): Record<string, number> {
    const counts: Record<string, number> = { MASTER: 0, BACKUP: 0, DOWN: 0, ABSENT: 0 };
    for (const r of Object.values(this.roles())) counts[r] = (counts[r] ?? 0) + 1;
    return counts;
  }

  // keepalived processes are not our children (they outlive the agent), so their exit is
  // noticed by polling their pids: a signal-0 probe per pid, no process spawned.
  private checkLiveness(): void {
    for (const [id, mem] of this.deps.memory) {
      if ((mem.pids ?? []).some((p) => !isAlive(p))) {
        this.opts.log.warn({ router: id, pids: mem.pids }, 'keepalived exited');
        this.deps.memory.set(id, { ...mem, pids: [] });
        this.queue.addUrgent(id);
      }
    }
  }

  // Planned handover of one router away from this node. SIGTERM makes keepalived send a
  // priority-0 advert, so the peer takes over after its skew time (tens of ms), not a
  // full detection time. The agent then starts keepalived again, which comes up BACKUP
  // and stays so (nopreempt).
  async failover(id: string): Promise<{ router: string; result: string }> {
    const e = this.desired.get(id);
    if (!e) return { router: id, result: 'unknown router' };
    const d = desiredRouter(this.opts.agent, e.spec, this.opts.notify);
    const o = await observeRouter(this.opts.runner, d.ns, d.paths);
    if (observedRole(d, o) !== 'MASTER') return { router: id, result: 'not MASTER here; nothing to do' };
    const pids = [
      o.keepalived.alive ? o.keepalived.pid : undefined,
      o.keepalived.vrrpAlive ? o.keepalived.vrrpPid : undefined,
    ];
    const mem = this.deps.memory.get(id) ?? {};
    // A planned stop is not a crash: it must not count towards the respawn backoff.
    this.deps.memory.set(id, { ...mem, pids: [], starts: [] });
    await stopKeepalived(pids.filter((p): p is number => p !== undefined));
    this.queue.add(id);
    return { router: id, result: 'handed over' };
  }

  private async handle(method: string, url: URL): Promise<{ status: number; json: unknown }> {
    if (method === 'GET' && url.pathname === '/status') return { status: 200, json: await this.status() };
    if (method === 'POST' && url.pathname === '/failover') {
      const ids =
        url.searchParams.get('all') === '1' ? this.desired.ids().sort() : url.searchParams.getAll('router');
      const results = await Promise.all(ids.map((id) => this.failover(id)));
      return { status: 200, json: { results } };
    }
    if (method === 'POST' && url.pathname === '/nudge') {
      const id = url.searchParams.get('router') ?? '';
      return this.nudge(id)
        ? { status: 202, json: { queued: id } }
        : { status: 404, json: { error: 'unknown router' } };
    }
    return { status: 404, json: { error: 'not found' } };
  }
}

export type { JournalSource };
