import type { Server } from 'node:http';
import type { ApplyContext } from '../apply/apply.js';
import { GARP_CONCURRENCY } from '../apply/garp.js';
import { Semaphore } from '../apply/semaphore.js';
import { controlSocket } from '../config/paths.js';
import type { AgentConfig } from '../config/schema-agent.js';
import { asL3haError, L3haErrors } from '../errors.js';
import { KernelViews } from '../observe/kernel-views.js';
import { knownIds } from '../observe/known.js';
import { neighboursNeeded, neighbourWarning } from '../plan/neighbours.js';
import type { Role } from '../plan/role.js';
import type { AddressWatch } from '../system/address-watch.js';
import { listenControl } from '../system/control-server.js';
import type { Logger } from '../system/logger.js';
import { NetnsIds } from '../system/netns-ids.js';
import type { CommandRunner } from '../system/runner.js';
import { specStore } from '../system/spec-store.js';
import { makeOwnDir } from '../system/sweep.js';
import { gcThresh3 } from '../system/sysctl.js';
import { watchDir } from '../system/watcher.js';
import { wakeOnAddressEvents } from './address-events.js';
import { handleControl } from './control-api.js';
import { DesiredSet } from './desired-set.js';
import { KernelSweeps } from './kernel-sweeps.js';
import { probeLiveness } from './liveness.js';
import { createMetrics, type Metrics, serveMetrics } from './metrics.js';
import { nodeStatus } from './node-status.js';
import { PeerLink } from './peer-link.js';
import { WorkQueue } from './queue.js';
import { type ReconcileDeps, reconcile, reconcileFailed } from './reconcile.js';
import { countRoles, RouterStates, rolesOf } from './router-states.js';
import { seedMemory } from './seed.js';
import { splitHandlers } from './split.js';

// The supervisor: watches the routers directory and feeds router ids to a deduplicating
// queue whose worker is reconcile(id). Every wake-up (file event, hook nudge, resync,
// timer, crash) only says which router to look at. Stopping the agent leaves keepalived
// and the data plane untouched.

export interface AgentOptions {
  readonly agent: AgentConfig;
  readonly runner: CommandRunner;
  readonly log: Logger;
  readonly notify: readonly string[];
  readonly concurrency?: number;
  readonly debounceMs?: number;
}

// How long an operator's handover may wait for its router's turn in the queue.
const HANDOVER_WAIT_MS = 20_000;

export class Agent {
  private readonly desired: DesiredSet;
  private readonly states = new RouterStates();
  private readonly queue: WorkQueue;
  private readonly metrics: Metrics;
  private readonly io: ApplyContext;
  private readonly peer: PeerLink | undefined;
  private watcher: { close(): Promise<void> } | undefined;
  private readonly addresses: AddressWatch;
  private servers: Server[] = [];
  private timers: NodeJS.Timeout[] = [];
  private readonly startedAt = new Date().toISOString();
  private handovers = 0;
  private readonly views: KernelViews;
  private readonly sweeps: KernelSweeps;

  constructor(private readonly opts: AgentOptions) {
    const { agent, log } = opts;
    this.desired = new DesiredSet(agent, () => knownIds(agent), specStore(agent));
    this.views = new KernelViews(agent.auditSeconds * 1000, () => Date.now());
    this.sweeps = new KernelSweeps(agent, opts.runner, this.views, log, () => this.desired.ids().length);
    this.metrics = createMetrics({
      roles: () => countRoles(this.roles()),
      kernelReads: () => this.views,
      queueDepth: () => this.queue.depth,
      ...(agent.peerLink ? { peerUp: () => this.peer?.isUp() ?? false } : {}),
    });
    this.io = {
      runner: opts.runner,
      keepalivedBinary: agent.keepalivedBinary,
      now: () => Date.now(),
      garps: new Semaphore(GARP_CONCURRENCY),
      netns: new NetnsIds(opts.runner, (ns) => this.views.invalidate(ns)),
    };
    this.addresses = wakeOnAddressEvents({
      netns: this.io.netns,
      prefix: agent.namespacePrefix,
      wake: (id) => {
        if (this.desired.get(id)) this.queue.addUrgent(id);
      },
      views: this.views,
      log,
      live: () => this.sweeps.sweep('live'),
    });
    this.peer = agent.peerLink
      ? new PeerLink(agent.peerLink, {
          node: agent.node,
          roles: () => this.roles(),
          log,
          ...splitHandlers({
            agent,
            log,
            io: this.io,
            states: this.states,
            splitCount: () => this.peer?.splitIds().size ?? 0,
            metrics: this.metrics,
            wake: (id) => this.queue.addUrgent(id),
          }),
        })
      : undefined;
    const deps: ReconcileDeps = {
      agent,
      notify: opts.notify,
      desired: this.desired,
      states: this.states,
      io: this.io,
      log,
      metrics: this.metrics,
      views: this.views,
    };
    this.queue = new WorkQueue((id) => reconcile(id, deps), {
      concurrency: opts.concurrency ?? 4,
      isTerminal: (err) => asL3haError(err).terminal,
      onError: reconcileFailed(deps),
    });
  }

  async start(): Promise<void> {
    const { agent, log } = this.opts;
    for (const d of [agent.runDir, agent.stateDir]) makeOwnDir(d);
    // Watch addresses before the first look, so no change falls between the two.
    await this.io.netns.refresh();
    this.addresses.start();
    this.refresh();
    await seedMemory(agent, this.desired.ids(), this.states);
    // Routers this node has state for but no longer wants: tear them down.
    for (const id of knownIds(agent)) this.queue.add(id);
    this.servers.push(
      await listenControl(controlSocket(agent), (m, u) =>
        handleControl(
          {
            status: () => this.status(),
            failover: (ids) => this.failover(ids),
            nudge: (id) => this.nudge(id),
          },
          m,
          u,
        ),
      ),
    );
    if (agent.metrics) this.servers.push(await serveMetrics(agent.metrics.listen, this.metrics.registry));
    await this.peer?.start();
    this.watcher = watchDir(agent.routersDir, this.opts.debounceMs ?? 200, () => this.refresh());
    this.timers.push(setInterval(() => this.resyncAll(), agent.resyncSeconds * 1000));
    this.timers.push(probeLiveness(this.states, log, (id) => this.queue.addUrgent(id)));
    this.sweeps.start();
    log.info(
      { node: agent.node, routers: this.desired.ids().length, socket: controlSocket(agent) },
      'agent started',
    );
    const warning = neighbourWarning(neighboursNeeded(this.desired.specs()), gcThresh3());
    if (warning) log.warn({ code: 'neighbour-table' }, warning);
  }

  // Re-reads the routers directory; queues what changed or went away.
  refresh(): void {
    let r: ReturnType<DesiredSet['refresh']>;
    try {
      r = this.desired.refresh();
    } catch (err) {
      const codes = err instanceof L3haErrors ? err.errors.map((e) => e.code) : undefined;
      const msg = 'cannot read routers directory; keeping last good state';
      this.opts.log.error({ err: (err as Error).message, codes }, msg);
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
    for (const id of new Set([...this.desired.ids(), ...knownIds(this.opts.agent)])) this.queue.add(id);
  }

  // Queue one router for a fresh look (the hook's nudge; its claimed state is not used, lesson 3).
  nudge(id: string): boolean {
    if (!this.desired.get(id)) return false;
    this.queue.addUrgent(id);
    return true;
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  roles(): Record<string, Role> {
    return rolesOf(this.states, this.desired.ids());
  }

  status(): Promise<unknown> {
    const { agent, runner, notify } = this.opts;
    return nodeStatus({
      agent,
      runner,
      notify,
      desired: this.desired,
      states: this.states,
      split: () => this.peer?.splitIds() ?? new Set(),
      startedAt: this.startedAt,
      views: this.views,
      watched: (ns) => this.io.netns.has(ns),
    });
  }

  // Planned handover away from this node: a request in the router's memory that its next
  // reconcile carries out (see planRouter), answered once it has.
  async failover(which: readonly string[] | 'all'): Promise<{ router: string; result: string }[]> {
    const ids = which === 'all' ? this.desired.ids().sort() : which;
    return Promise.all(
      ids.map(async (id) => {
        if (!this.desired.get(id)) return { router: id, result: 'unknown router' };
        const seq = ++this.handovers;
        this.states.request(id, { handover: seq });
        this.queue.addUrgent(id);
        const m = await this.states.until(id, (x) => x.handoverDone?.seq === seq, HANDOVER_WAIT_MS);
        return { router: id, result: m?.handoverDone?.result ?? 'timed out waiting for the reconcile' };
      }),
    );
  }

  // Stops watching and serving. keepalived, namespaces and NAT stay as they are.
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.sweeps.stop();
    this.queue.stop();
    this.addresses.stop();
    await this.peer?.stop();
    await this.watcher?.close();
    for (const s of this.servers) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
