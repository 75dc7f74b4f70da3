import type { Server } from 'node:http';
import { controlSocket } from '../config/paths.js';
import type { AgentConfig } from '../config/schema-agent.js';
import { L3haError } from '../errors.js';
import type { RouterMemory } from '../plan/observed.js';
import { listenControl } from '../system/control-server.js';
import { ensureDir } from '../system/files.js';
import type { Logger } from '../system/logger.js';
import { isAlive } from '../system/process.js';
import type { CommandRunner } from '../system/runner.js';
import { watchDir } from '../system/watcher.js';
import { DesiredSet } from './desired-set.js';
import { WorkQueue } from './queue.js';
import { knownIds, type ReconcileDeps, reconcile } from './reconcile.js';
import { routerStatus } from './status.js';

// The supervisor: watches the routers directory, reconciles each router through a
// deduplicating queue, resyncs everything periodically, and serves status. Stopping
// the agent leaves keepalived and the data plane untouched (lesson 6).

// How often the agent probes keepalived pids; bounds the time to notice a crash.
export const LIVENESS_MS = 200;

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
  private watcher: { close(): Promise<void> } | undefined;
  private server: Server | undefined;
  private resync: NodeJS.Timeout | undefined;
  private liveness: NodeJS.Timeout | undefined;
  private readonly startedAt = new Date().toISOString();

  constructor(private readonly opts: AgentOptions) {
    this.desired = new DesiredSet(opts.agent);
    this.deps = {
      agent: opts.agent,
      desired: this.desired,
      runner: opts.runner,
      notify: opts.notify,
      log: opts.log,
      now: () => Date.now(),
      memory: new Map<string, RouterMemory>(),
      problems: new Map(),
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
        opts.log.error(
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
    // Routers this node has state for but no longer wants: tear them down.
    for (const id of knownIds(agent)) this.queue.add(id);
    this.server = await listenControl(controlSocket(agent), (m, u) => this.handle(m, u));
    this.watcher = watchDir(agent.routersDir, this.opts.debounceMs ?? 200, () => this.refresh());
    this.resync = setInterval(() => this.resyncAll(), agent.resyncSeconds * 1000);
    this.liveness = setInterval(() => this.checkLiveness(), LIVENESS_MS);
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
    for (const id of [...r.changed, ...r.removed]) this.queue.add(id);
  }

  resyncAll(): void {
    this.refresh();
    for (const id of new Set([...this.desired.ids(), ...knownIds(this.opts.agent)])) this.queue.add(id);
  }

  // keepalived processes are not our children (they outlive the agent), so their exit is
  // noticed by polling their pids: a signal-0 probe per pid, no process spawned.
  private checkLiveness(): void {
    for (const [id, mem] of this.deps.memory) {
      if ((mem.pids ?? []).some((p) => !isAlive(p))) {
        this.opts.log.warn({ router: id, pids: mem.pids }, 'keepalived exited');
        this.deps.memory.set(id, { ...mem, pids: [] });
        this.queue.add(id);
      }
    }
  }

  // Queue one router for a fresh look (the notify hook's nudge).
  nudge(id: string): boolean {
    if (!this.desired.get(id)) return false;
    this.queue.add(id);
    return true;
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  async status(): Promise<unknown> {
    const { agent, runner, notify } = this.opts;
    const routers = [];
    for (const id of this.desired.ids().sort()) {
      const entry = this.desired.get(id);
      if (!entry) continue;
      const lastError = this.deps.problems.get(id);
      routers.push(
        await routerStatus(
          runner,
          agent,
          entry.spec,
          notify,
          this.deps.memory.get(id),
          lastError ? { lastError } : {},
        ),
      );
    }
    return {
      node: agent.node,
      nodeIndex: agent.nodeIndex,
      pid: process.pid,
      startedAt: this.startedAt,
      routers,
    };
  }

  private async handle(method: string, url: URL): Promise<{ status: number; json: unknown }> {
    if (method === 'GET' && url.pathname === '/status') return { status: 200, json: await this.status() };
    if (method === 'POST' && url.pathname === '/nudge') {
      const id = url.searchParams.get('router') ?? '';
      return this.nudge(id)
        ? { status: 202, json: { queued: id } }
        : { status: 404, json: { error: 'unknown router' } };
    }
    return { status: 404, json: { error: 'not found' } };
  }

  // Stops watching and serving. keepalived, namespaces and NAT stay as they are.
  async stop(): Promise<void> {
    if (this.resync) clearInterval(this.resync);
    if (this.liveness) clearInterval(this.liveness);
    this.queue.stop();
    await this.watcher?.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
