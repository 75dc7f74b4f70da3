import type { Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { listenHttp } from '../system/http-listen.js';

// The agent's Prometheus series. Values are set by the agent; nothing here does I/O.
export interface Metrics {
  readonly registry: Registry;
  readonly transitions: Counter<'router' | 'to'>;
  readonly replaySeconds: Histogram;
  readonly garpsSent: Counter;
  readonly keepalivedRestarts: Counter<'router'>;
  readonly reconcileErrors: Counter<'router'>;
  readonly splitBrain: Gauge;
}

// What the agent's gauges read when scraped.
export interface MetricSources {
  readonly roles: () => Record<string, number>;
  readonly kernelReads?: () => { readonly reads: number; readonly hits: number };
  readonly queueDepth?: () => number;
  // Only with a peer link: whether the last poll of the peer answered.
  readonly peerUp?: () => boolean;
}

export function createMetrics(src: MetricSources): Metrics {
  const rolesByCount = src.roles;
  const kernelReads = src.kernelReads ?? (() => ({ reads: 0, hits: 0 }));
  const registry = new Registry();
  const registers = [registry];
  new Gauge({
    name: 'l3ha_queue_depth',
    help: 'Routers waiting for or in a reconcile',
    registers,
    collect() {
      this.set(src.queueDepth?.() ?? 0);
    },
  });
  new Counter({
    name: 'l3ha_kernel_reads_total',
    help: 'Looks at a router namespace: read from the kernel (two processes, or its share of one sweep of every namespace), or trusted from an earlier read',
    labelNames: ['source'],
    registers,
    collect() {
      const k = kernelReads();
      this.reset();
      this.inc({ source: 'kernel' }, k.reads);
      this.inc({ source: 'trusted' }, k.hits);
    },
  });
  const peerUp = src.peerUp;
  if (peerUp)
    new Gauge({
      name: 'l3ha_peer_link_up',
      help: 'The peer link answered the last poll (1) or did not (0; also before the first poll)',
      registers,
      collect() {
        this.set(peerUp() ? 1 : 0);
      },
    });
  new Gauge({
    name: 'l3ha_routers',
    help: 'Routers on this node by observed role',
    labelNames: ['role'],
    registers,
    collect() {
      this.reset();
      for (const [role, n] of Object.entries(rolesByCount())) this.set({ role }, n);
    },
  });
  return {
    registry,
    transitions: new Counter({
      name: 'l3ha_transitions_total',
      help: 'Observed role transitions',
      labelNames: ['router', 'to'],
      registers,
    }),
    replaySeconds: new Histogram({
      name: 'l3ha_replay_duration_seconds',
      help: 'MASTER replay duration (NAT re-assert and conntrack cleanup)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    garpsSent: new Counter({
      name: 'l3ha_garps_sent_total',
      help: 'Follow-up gratuitous ARPs sent',
      registers,
    }),
    keepalivedRestarts: new Counter({
      name: 'l3ha_keepalived_restarts_total',
      help: 'keepalived (re)starts by the agent',
      labelNames: ['router'],
      registers,
    }),
    reconcileErrors: new Counter({
      name: 'l3ha_reconcile_errors_total',
      help: 'Failed reconciles',
      labelNames: ['router'],
      registers,
    }),
    splitBrain: new Gauge({
      name: 'l3ha_split_brain_routers',
      help: 'Routers MASTER on both nodes of the pair',
      registers,
    }),
  };
}

// Serves the registry at /metrics on host:port.
export function serveMetrics(listen: string, registry: Registry): Promise<Server> {
  return listenHttp(listen, async (_req, url) =>
    url.pathname === '/metrics'
      ? { status: 200, type: registry.contentType, body: await registry.metrics() }
      : { status: 404, type: 'text/plain', body: 'not found\n' },
  );
}
