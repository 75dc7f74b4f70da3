import type { AgentConfig } from '../config/schema-agent.js';
import { sweepKernel, worthSweeping } from '../observe/kernel-sweep.js';
import type { KernelViews } from '../observe/kernel-views.js';
import { listDir } from '../system/files.js';
import type { Logger } from '../system/logger.js';
import type { CommandRunner } from '../system/runner.js';

// When the agent reads every router's kernel state in one sweep (lesson 40):
// - each time the address watch goes live, which drops every reading: at start (a
//   restart adopting hundreds of routers), and after the watch lost events;
// - every 0.9 audit periods, so the readings are renewed before they expire and the audit
//   costs two processes, not two per router.
// Reconciles that find no reading while a sweep runs wait for it (KernelViews.swept).
export class KernelSweeps {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  sweeps = 0;

  private readonly o: {
    readonly runner: CommandRunner;
    readonly views: KernelViews;
    readonly prefix: string;
    readonly auditMs: number;
    readonly routers: () => number;
    readonly log: Logger;
  };

  constructor(
    agent: Pick<AgentConfig, 'namespacePrefix' | 'auditSeconds'>,
    runner: CommandRunner,
    views: KernelViews,
    log: Logger,
    routers: () => number,
  ) {
    this.o = {
      runner,
      views,
      log,
      routers,
      prefix: agent.namespacePrefix,
      auditMs: agent.auditSeconds * 1000,
    };
  }

  start(): void {
    this.timer = setInterval(() => this.sweep('audit'), Math.max(1000, Math.floor(this.o.auditMs * 0.9)));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  // Starts a sweep unless one runs, or the routers are too few a share of the namespaces.
  sweep(why: 'live' | 'audit'): void {
    if (this.running || !this.o.views.isLive()) return;
    const all = listDir('/run/netns').length;
    if (!worthSweeping(this.o.routers(), all)) return;
    this.running = true;
    const t0 = Date.now();
    void sweepKernel(this.o.runner, this.o.views, this.o.prefix)
      .then((r) => {
        this.sweeps++;
        this.o.log.info({ why, ...r, ms: Date.now() - t0 }, 'read every router namespace in one sweep');
      })
      .catch((err: Error) =>
        this.o.log.warn({ err: err.message }, 'kernel sweep failed; routers read one by one'),
      )
      .finally(() => {
        this.running = false;
      });
  }
}
